import { generateKeyPairSync, randomBytes } from 'node:crypto'
import { isoSeconds } from '../clock.js'
import {
  BadCredentials,
  Conflict,
  InstallationTokenRequired,
  JwtCouldNotBeDecoded,
  NotFound,
  PermissionsNotGranted,
  RepositoriesNotInInstallation
} from '../errors.js'
import { RATE_LIMIT_DEFAULT_PER_HOUR } from '../limits.js'
import {
  dictionary,
  type Permission,
  type RepoRecord,
  type Store,
  type UserRecord
} from '../state.js'
import { DomainEvents } from '../events.js'
import { fullName } from './access.js'
import type {
  AppRecord,
  AppsData,
  InstallationRecord,
  InstallationTokenRecord
} from './app-records.js'
import { jwtIssuer, looksLikeJwt, verifyAppJwt } from './app-jwt.js'
import { sameName, type Caller, type UsersModel } from './users.js'

/** Admin input for `POST /_emulator/apps`. */
export interface CreateAppInput {
  slug: string
  /** Display name (default: the slug). */
  name?: string
  /** Login of the owning account (default `emulator-apps`, an Organization). */
  owner?: string
  webhook_url?: string
  webhook_secret?: string
  /** Default `{contents: 'write', issues: 'write', metadata: 'read'}`. */
  permissions?: Record<string, string>
  events?: string[]
}

/** Admin input for `POST /_emulator/apps/{slug}/installations`. */
export interface CreateInstallationInput {
  /** The account (user or organization) the App is installed on; created when missing. */
  account: string
  /** Repository names (or `owner/name`) of the account; absent = all, also later ones. */
  repositories?: string[]
}

/** Body of `POST /app/installations/{installation_id}/access_tokens`, already type-checked. */
export interface AccessTokenRequest {
  repositories?: string[]
  repository_ids?: number[]
  permissions?: Record<string, string>
}

/** What an access-token request answers: the token and, when narrowed, its repositories. */
export interface MintedToken {
  record: InstallationTokenRecord
  installation: InstallationRecord
  /** The repositories the token was narrowed to, or `null` (all of the installation's). */
  repositories: RepoRecord[] | null
}

/** An installation access token lives one hour (docs/github-behaviour.md §7). */
export const INSTALLATION_TOKEN_TTL_MS = 60 * 60 * 1000
const DEFAULT_PERMISSIONS: Record<string, string> = {
  contents: 'write',
  issues: 'write',
  metadata: 'read'
}
const DEFAULT_OWNER = 'emulator-apps'
const LEVEL_RANK: Record<string, number> = { read: 1, write: 2, admin: 3 }

/**
 * An installation's primary budget (docs/peers-and-limits.md, rate limits table): 5,000 an
 * hour plus 50 for every repository over 20, at most 12,500.
 */
export function installationRateLimit(repositoryCount: number): number {
  return Math.min(12_500, RATE_LIMIT_DEFAULT_PER_HOUR + 50 * Math.max(0, repositoryCount - 20))
}

/**
 * The single access level the repository routes check, from GitHub App permissions:
 * `administration: write` → admin; any other `write` → write; else read.
 */
function accessLevel(permissions: Record<string, string>): Permission {
  if (permissions.administration === 'write') return 'admin'
  return Object.values(permissions).some((v) => v === 'write' || v === 'admin') ? 'write' : 'read'
}

function randomToken(prefix: string, length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
  const bytes = randomBytes(length)
  let out = prefix
  for (const b of bytes) out += alphabet[b % alphabet.length]
  return out
}

/**
 * GitHub Apps: registration (admin), installations, App JWT authentication (RS256, checked by
 * the emulator clock) and installation access tokens that act as the App's `<slug>[bot]` user
 * on the installation's repositories, with a budget per installation.
 */
export class AppsModel {
  constructor(
    private readonly s: Store,
    private readonly users: UsersModel,
    private readonly events: DomainEvents = new DomainEvents()
  ) {}

  private get data(): AppsData {
    return (this.s.data.apps ??= {
      apps: dictionary(),
      installations: dictionary(),
      tokens: dictionary()
    })
  }

  /** Admin: registers an App with a fresh RSA key; the private key (PKCS#1 PEM) is returned once. */
  create(input: CreateAppInput): { app: AppRecord; privateKey: string } {
    if (this.data.apps[input.slug.toLowerCase()])
      throw new Conflict(`App ${input.slug} already exists`)
    const { publicKey, privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' }
    })
    const owner = this.users.ensure(
      input.owner ?? DEFAULT_OWNER,
      this.users.find(input.owner ?? DEFAULT_OWNER) ? undefined : 'Organization'
    )
    const now = this.s.timestamp()
    const app: AppRecord = {
      id: this.s.nextId(),
      slug: input.slug,
      name: input.name ?? input.slug,
      client_id: `Iv23li${randomBytes(7).toString('hex')}`,
      owner: owner.login,
      public_key_pem: publicKey,
      webhook_url: input.webhook_url ?? null,
      webhook_secret: input.webhook_secret ?? null,
      permissions: { ...(input.permissions ?? DEFAULT_PERMISSIONS) },
      events: [...(input.events ?? [])],
      created_at: now,
      updated_at: now
    }
    this.data.apps[app.slug.toLowerCase()] = app
    this.botUser(app)
    return { app, privateKey }
  }

  /** The App with this slug; throws `NotFound`. */
  bySlug(slug: string): AppRecord {
    const app = this.data.apps[slug.toLowerCase()]
    if (!app) throw new NotFound()
    return app
  }

  /** Admin: installs the App on `account` (created when missing), on all or some repositories. */
  install(slug: string, input: CreateInstallationInput): InstallationRecord {
    const app = this.bySlug(slug)
    const account = this.users.ensure(input.account)
    const ids = (input.repositories ?? []).map((name) => {
      const full = name.includes('/') ? name : `${account.login}/${name}`
      const repo = this.s.data.repos[full.toLowerCase()]
      if (!repo || !sameName(repo.owner, account.login)) throw new NotFound()
      return repo.id
    })
    const now = this.s.timestamp()
    const installation: InstallationRecord = {
      id: this.s.nextId(),
      app_id: app.id,
      account: account.login,
      repository_selection: input.repositories === undefined ? 'all' : 'selected',
      repository_ids: ids,
      created_at: now,
      updated_at: now
    }
    this.data.installations[String(installation.id)] = installation
    this.events.emit({
      name: 'installation',
      action: 'created',
      installationId: installation.id,
      sender: account.login
    })
    return installation
  }

  /** The installation `id` (any App); throws `NotFound`. */
  installationById(id: number): InstallationRecord {
    const installation = this.data.installations[String(id)]
    if (!installation) throw new NotFound()
    return installation
  }

  /** Admin: uninstalls (the App's tokens for it stop working); emits `installation.deleted`. */
  uninstall(id: number): void {
    const installation = this.installationById(id)
    const repositories = this.repositoriesOf(installation).map(fullName)
    delete this.data.installations[String(id)]
    for (const [token, record] of Object.entries(this.data.tokens))
      if (record.installation_id === id) delete this.data.tokens[token]
    this.events.emit({
      name: 'installation',
      action: 'deleted',
      installationId: id,
      sender: installation.account,
      record: { ...installation },
      repositories
    })
  }

  /**
   * Admin: adds and removes repositories (names of the account's repositories) of a `selected`
   * installation (an `all` one becomes `selected` with every current repository first);
   * emits `installation_repositories` `added` / `removed` with the full names that changed.
   * Throws `NotFound` for a repository the account does not own.
   */
  changeRepositories(
    id: number,
    change: { add?: string[]; remove?: string[] }
  ): InstallationRecord {
    const installation = this.installationById(id)
    const resolve = (name: string): RepoRecord => {
      const full = name.includes('/') ? name : `${installation.account}/${name}`
      const repo = this.s.data.repos[full.toLowerCase()]
      if (!repo || !sameName(repo.owner, installation.account)) throw new NotFound()
      return repo
    }
    const adds = (change.add ?? []).map(resolve)
    const removes = (change.remove ?? []).map(resolve)
    if (installation.repository_selection === 'all') {
      installation.repository_selection = 'selected'
      installation.repository_ids = this.repositoriesOf({
        ...installation,
        repository_selection: 'all'
      }).map((r) => r.id)
    }
    const added = adds.filter((r) => !installation.repository_ids.includes(r.id))
    const removed = removes.filter((r) => installation.repository_ids.includes(r.id))
    installation.repository_ids = [
      ...installation.repository_ids.filter((rid) => !removed.some((r) => r.id === rid)),
      ...added.map((r) => r.id)
    ]
    installation.updated_at = this.s.timestamp()
    const event = {
      name: 'installation_repositories',
      installationId: id,
      sender: installation.account
    } as const
    if (added.length > 0)
      this.events.emit({ ...event, action: 'added', added: added.map(fullName), removed: [] })
    if (removed.length > 0)
      this.events.emit({ ...event, action: 'removed', added: [], removed: removed.map(fullName) })
    return installation
  }

  /** The App of an installation. */
  appOf(installation: InstallationRecord): AppRecord {
    const app = Object.values(this.data.apps).find((a) => a.id === installation.app_id)
    if (!app) throw new NotFound()
    return app
  }

  /** The account record an installation targets. */
  accountOf(installation: InstallationRecord): UserRecord {
    return this.users.get(installation.account)
  }

  /** The repositories an installation covers now (`all`: every repository of the account). */
  repositoriesOf(installation: InstallationRecord): RepoRecord[] {
    const repos = Object.values(this.s.data.repos).filter((r) =>
      sameName(r.owner, installation.account)
    )
    if (installation.repository_selection === 'all') return repos
    return repos.filter((r) => installation.repository_ids.includes(r.id))
  }

  /** How many installations the App has. */
  installationCount(app: AppRecord): number {
    return Object.values(this.data.installations).filter((i) => i.app_id === app.id).length
  }

  /**
   * Resolves a credential that is not an admin token: an App JWT (verified with the App's key
   * by the emulator clock; errors as GitHub words them) or an installation token (401
   * `Bad credentials` once expired). Answers `null` for anything else.
   */
  authenticate(credential: string): Caller | null {
    if (looksLikeJwt(credential)) return this.appCaller(credential)
    const token = this.s.data.apps?.tokens[credential]
    if (!token) return null
    if (Date.parse(token.expires_at) <= this.s.clock.now().getTime()) throw new BadCredentials()
    const installation = this.data.installations[String(token.installation_id)]
    if (!installation) throw new BadCredentials()
    const app = this.appOf(installation)
    const covered = this.repositoriesOf(installation)
    const repos =
      token.repository_ids === null
        ? covered
        : covered.filter((r) => token.repository_ids!.includes(r.id))
    const user = this.botUser(app)
    return {
      token: {
        token: `installation:${installation.id}`,
        login: user.login,
        permission: accessLevel(token.permissions),
        repos: repos.map(fullName),
        rate_limit_per_hour: installationRateLimit(covered.length)
      },
      user,
      app: { appId: app.id, installationId: installation.id }
    }
  }

  /** The App a JWT caller is; anything else → 401 `A JSON web token could not be decoded`. */
  requireApp(caller: Caller | null): AppRecord {
    if (!caller?.app || caller.app.installationId !== undefined) throw new JwtCouldNotBeDecoded()
    const appId = caller.app.appId
    const app = Object.values(this.data.apps).find((a) => a.id === appId)
    if (!app) throw new JwtCouldNotBeDecoded()
    return app
  }

  /** `apps/list-installations`: the App's installations, oldest first. */
  listInstallations(caller: Caller | null): InstallationRecord[] {
    const app = this.requireApp(caller)
    return Object.values(this.data.installations)
      .filter((i) => i.app_id === app.id)
      .sort((a, b) => a.id - b.id)
  }

  /** `apps/get-installation`: 404 unless the installation belongs to the calling App. */
  getInstallation(caller: Caller | null, installationId: number): InstallationRecord {
    const app = this.requireApp(caller)
    const installation = this.data.installations[String(installationId)]
    if (!installation || installation.app_id !== app.id) throw new NotFound()
    return installation
  }

  /**
   * `apps/create-installation-access-token`: a `ghs_` token valid one hour (emulator clock)
   * with the installation's permissions and repositories, or fewer: `repositories` (names)
   * and `repository_ids` must lie inside the installation (else 422), `permissions` within
   * what it was granted (else 422).
   */
  createAccessToken(
    caller: Caller | null,
    installationId: number,
    request: AccessTokenRequest
  ): MintedToken {
    const installation = this.getInstallation(caller, installationId)
    const app = this.appOf(installation)
    const permissions = request.permissions ?? app.permissions
    for (const [name, level] of Object.entries(permissions)) {
      const granted = app.permissions[name]
      if (!granted || !LEVEL_RANK[level] || LEVEL_RANK[level] > LEVEL_RANK[granted])
        throw new PermissionsNotGranted()
    }
    const covered = this.repositoriesOf(installation)
    let repositories: RepoRecord[] | null = null
    if (request.repositories !== undefined || request.repository_ids !== undefined) {
      const picked = new Map<number, RepoRecord>()
      for (const name of request.repositories ?? []) {
        const repo = covered.find((r) => sameName(r.name, name))
        if (!repo) throw new RepositoriesNotInInstallation()
        picked.set(repo.id, repo)
      }
      for (const id of request.repository_ids ?? []) {
        const repo = covered.find((r) => r.id === id)
        if (!repo) throw new RepositoriesNotInInstallation()
        picked.set(repo.id, repo)
      }
      repositories = [...picked.values()]
    }
    const record: InstallationTokenRecord = {
      token: randomToken('ghs_', 36),
      installation_id: installation.id,
      expires_at: isoSeconds(new Date(this.s.clock.now().getTime() + INSTALLATION_TOKEN_TTL_MS)),
      permissions: { ...permissions },
      repository_ids: repositories ? repositories.map((r) => r.id) : null
    }
    this.data.tokens[record.token] = record
    return { record, installation, repositories }
  }

  /**
   * `apps/list-repos-accessible-to-installation`: the repositories the installation token
   * reaches; any other caller → 403.
   */
  installationRepositories(caller: Caller | null): {
    installation: InstallationRecord
    repositories: RepoRecord[]
  } {
    const installationId = caller?.app?.installationId
    if (!caller || installationId === undefined) throw new InstallationTokenRequired()
    const installation = this.data.installations[String(installationId)]
    const reachable = new Set((caller.token.repos ?? []).map((n) => n.toLowerCase()))
    const repositories = this.repositoriesOf(installation).filter((r) =>
      reachable.has(fullName(r).toLowerCase())
    )
    return { installation, repositories }
  }

  private appCaller(jwt: string): Caller {
    const iss = jwtIssuer(jwt)
    const app = Object.values(this.data.apps).find(
      (a) => String(a.id) === iss || a.client_id === iss
    )
    if (!app) throw new JwtCouldNotBeDecoded()
    verifyAppJwt(jwt, app.public_key_pem, this.s.clock.epochSeconds())
    const user = this.botUser(app)
    return {
      token: {
        token: `app:${app.id}`,
        login: user.login,
        permission: 'read',
        repos: [],
        rate_limit_per_hour: RATE_LIMIT_DEFAULT_PER_HOUR
      },
      user,
      app: { appId: app.id }
    }
  }

  /** The App's `<slug>[bot]` user. */
  private botUser(app: AppRecord): UserRecord {
    return this.users.ensure(`${app.slug}[bot]`, 'Bot')
  }
}
