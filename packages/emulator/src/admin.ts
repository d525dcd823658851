import { BadAdminRequest } from './errors.js'
import type { LedgerEntry } from './ledger.js'
import { compileRoutes, type CompiledRoute, type Route } from './router.js'
import { fields } from './decode.js'
import type { Permission } from './state.js'

/** Prefix of every admin route; these need no token, spend no rate limit, skip the ledger. */
export const ADMIN_PREFIX = '/_emulator'

function str(obj: Record<string, unknown>, key: string, required: true): string
function str(obj: Record<string, unknown>, key: string, required?: false): string | undefined
function str(obj: Record<string, unknown>, key: string, required = false): string | undefined {
  const value = obj[key]
  if (value === undefined && !required) return undefined
  if (typeof value !== 'string' || value === '')
    throw new BadAdminRequest(`"${key}" must be a non-empty string`)
  return value
}

function oneOf<T extends string>(
  obj: Record<string, unknown>,
  key: string,
  allowed: readonly T[]
): T | undefined {
  const value = str(obj, key)
  if (value !== undefined && !allowed.includes(value as T))
    throw new BadAdminRequest(`"${key}" must be one of ${allowed.join(', ')}`)
  return value as T | undefined
}

function strings(obj: Record<string, unknown>, key: string): string[] | undefined {
  const value = obj[key]
  if (value === undefined) return undefined
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))
    throw new BadAdminRequest(`"${key}" must be an array of strings`)
  return value as string[]
}

/** The admin API (JSON over HTTP, under `/_emulator/`). */
const adminRoutes: Route[] = [
  {
    method: 'GET',
    template: '/_emulator/health',
    handler: ({ shapes }) => ({ status: 200, body: { ok: true, url: shapes.origin } })
  },
  {
    method: 'POST',
    template: '/_emulator/repos',
    handler: ({ models, shapes, body }) => {
      const obj = fields(body)
      if (obj.private !== undefined && typeof obj.private !== 'boolean')
        throw new BadAdminRequest('"private" must be a boolean')
      const repo = models.repos.create({
        full_name: str(obj, 'full_name', true),
        default_branch: str(obj, 'default_branch'),
        private: obj.private as boolean | undefined,
        owner_type: oneOf(obj, 'owner_type', ['User', 'Organization'] as const),
        default_labels: obj.default_labels === true
      })
      return { status: 201, body: shapes.repo(repo, null) }
    }
  },
  {
    method: 'POST',
    template: '/_emulator/tokens',
    handler: ({ models, body }) => {
      const obj = fields(body)
      const limit = obj.rate_limit_per_hour
      if (
        limit !== undefined &&
        (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 0)
      )
        throw new BadAdminRequest('"rate_limit_per_hour" must be a non-negative integer')
      const permission = oneOf(obj, 'permission', ['admin', 'write', 'read'] as const)
      if (!permission) throw new BadAdminRequest('"permission" must be one of admin, write, read')
      const token = models.users.createToken({
        token: str(obj, 'token', true),
        login: str(obj, 'login', true),
        type: oneOf(obj, 'type', ['User', 'Bot'] as const),
        permission,
        repos: strings(obj, 'repos'),
        rate_limit_per_hour: limit as number | undefined
      })
      const user = models.users.get(token.login)
      return { status: 201, body: { ...token, type: user.type, id: user.id } }
    }
  },
  {
    method: 'POST',
    template: '/_emulator/repos/{owner}/{repo}/files',
    handler: ({ models, params, body }) => {
      const obj = fields(body)
      if (typeof obj.content !== 'string') throw new BadAdminRequest('"content" must be a string')
      const encoding = oneOf(obj, 'encoding', ['utf-8', 'base64'] as const)
      const { path, file } = models.contents.putFile(
        params.owner,
        params.repo,
        str(obj, 'path', true),
        obj.content,
        encoding
      )
      return { status: 201, body: { path, sha: file.sha, size: file.size } }
    }
  },
  {
    method: 'POST',
    template: '/_emulator/teams',
    handler: ({ models, body }) => {
      const obj = fields(body)
      const team = models.teams.createTeam({
        org: str(obj, 'org', true),
        slug: str(obj, 'slug', true),
        members: strings(obj, 'members') ?? []
      })
      return { status: 201, body: team }
    }
  },
  {
    method: 'GET',
    template: '/_emulator/ledger',
    handler: ({ ctx }) => ({ status: 200, body: { entries: ctx.ledger.list() } })
  },
  {
    method: 'DELETE',
    template: '/_emulator/ledger',
    handler: ({ ctx }) => {
      ctx.ledger.clear()
      return { status: 204 }
    }
  },
  {
    method: 'POST',
    template: '/_emulator/reset',
    handler: ({ ctx }) => {
      ctx.store.reset()
      ctx.ledger.clear()
      ctx.rate.clear()
      return { status: 204 }
    }
  },
  {
    method: 'POST',
    template: '/_emulator/clock',
    handler: ({ ctx, body }) => {
      const ms = fields(body).advance_ms
      if (typeof ms !== 'number' || !Number.isFinite(ms))
        throw new BadAdminRequest('"advance_ms" must be a number')
      ctx.clock.advance(ms)
      return { status: 200, body: { now: ctx.clock.now().toISOString() } }
    }
  }
]

/** The compiled admin routes. */
export const ADMIN_ROUTES: CompiledRoute[] = compileRoutes(adminRoutes)

/** An admin request that failed; `status` and `message` are the emulator's answer. */
export class EmulatorAdminError extends Error {
  constructor(
    readonly status: number,
    message: string
  ) {
    super(`emulator admin API answered ${status}: ${message}`)
    this.name = 'EmulatorAdminError'
  }
}

/**
 * Typed client for the admin API over HTTP (works against any running emulator). Every
 * method throws `EmulatorAdminError` when the emulator answers a non-2xx status.
 */
export class EmulatorAdminClient {
  private readonly baseUrl: string

  /** @param baseUrl the emulator's URL, e.g. `http://127.0.0.1:41234` (a trailing `/` is dropped). */
  constructor(baseUrl: string) {
    this.baseUrl = baseUrl.replace(/\/+$/, '')
  }

  /** Creates a repository (`default_branch` `main`, public, User-owned by default); 409 if it exists. */
  createRepo(r: {
    full_name: string
    default_branch?: string
    private?: boolean
    owner_type?: 'User' | 'Organization'
    default_labels?: boolean
  }): Promise<unknown> {
    return this.call('POST', '/repos', r)
  }

  /**
   * Registers a token acting as `login` with `permission` on every repo, or only on `repos`
   * (full names). `type` defaults to `Bot` for logins ending in `[bot]`, else `User`;
   * `rate_limit_per_hour` defaults to 5000.
   */
  createToken(t: {
    token: string
    login: string
    type?: 'User' | 'Bot'
    permission: Permission
    repos?: string[]
    rate_limit_per_hour?: number
  }): Promise<unknown> {
    return this.call('POST', '/tokens', t)
  }

  /** Writes a UTF-8 file at `path` of `fullName` (`owner/repo`); answers `{path, sha, size}`. */
  putFile(fullName: string, path: string, content: string): Promise<unknown> {
    const [owner, repo] = fullName.split('/')
    const base = `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo ?? '')}`
    return this.call('POST', `${base}/files`, { path, content })
  }

  /** Creates (or replaces) the team `org/slug` with `members` (logins). */
  createTeam(t: { org: string; slug: string; members: string[] }): Promise<unknown> {
    return this.call('POST', '/teams', t)
  }

  /** Every API request recorded since start or the last `clearLedger()`/`reset()`, oldest first. */
  async ledger(): Promise<LedgerEntry[]> {
    const body = (await this.call('GET', '/ledger')) as { entries: LedgerEntry[] }
    return body.entries
  }

  /** Empties the ledger. */
  async clearLedger(): Promise<void> {
    await this.call('DELETE', '/ledger')
  }

  /** Fresh empty state: no repos, tokens, teams; ledger and rate limits cleared. */
  async reset(): Promise<void> {
    await this.call('POST', '/reset')
  }

  /** Moves the emulated clock forward by `ms` milliseconds; answers the new time (ISO). */
  async advanceClock(ms: number): Promise<string> {
    const body = (await this.call('POST', '/clock', { advance_ms: ms })) as { now: string }
    return body.now
  }

  private async call(method: string, path: string, body?: unknown): Promise<unknown> {
    const res = await fetch(`${this.baseUrl}${ADMIN_PREFIX}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body)
    })
    const text = await res.text()
    let data: unknown
    try {
      data = text === '' ? undefined : JSON.parse(text)
    } catch {
      data = text
    }
    if (!res.ok) {
      const message = (data as { message?: string } | undefined)?.message ?? text
      throw new EmulatorAdminError(res.status, message)
    }
    return data
  }
}
