import { accountForIdent } from './authors.js'
import { BadCredentials, NotFound, RequiresAuthentication } from '../errors.js'
import { RATE_LIMIT_DEFAULT_PER_HOUR } from '../limits.js'
import type { AccountType, Permission, Store, TokenRecord, UserRecord } from '../state.js'

/** Who is calling: the token presented and its user. `null` elsewhere means anonymous. */
export interface Caller {
  token: TokenRecord
  user: UserRecord
  /** Set for a GitHub App JWT (`installationId` absent) or an installation token. */
  app?: { appId: number; installationId?: number }
}

/** Admin input for `POST /_emulator/tokens`. */
export interface CreateTokenInput {
  token: string
  login: string
  type?: 'User' | 'Bot'
  permission: Permission
  repos?: string[]
  rate_limit_per_hour?: number
  /** Verified e-mail addresses of the token's user: commits by them are attributed to it (§12.1). */
  emails?: string[]
}

/** Case-insensitive equality, as GitHub compares logins and repository names. */
export function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase()
}

/** Users and the tokens that act as them. */
export class UsersModel {
  /** Credentials that are not admin tokens (App JWTs, installation tokens); set by `Models`. */
  otherCredentials: (credential: string) => Caller | null = () => null

  constructor(private readonly s: Store) {}

  /** The user with this login (case-insensitive), or `undefined`. */
  find(login: string): UserRecord | undefined {
    return this.s.data.users[login.toLowerCase()]
  }

  /**
   * The user a commit identity belongs to (GraphQL `GitActor.user`, REST `author`), by e-mail
   * only, as GitHub attributes commits (`accountForIdent`, docs/github-behaviour.md §12.1);
   * `undefined` when no account has the address.
   */
  byCommitIdentity(ident: { name: string; email: string }): UserRecord | undefined {
    return accountForIdent(this.s, ident) ?? undefined
  }

  /** The user with this login; throws `NotFound` when unknown. */
  get(login: string): UserRecord {
    const user = this.find(login)
    if (!user) throw new NotFound()
    return user
  }

  /**
   * The user with this login, created when missing. `type` defaults to `Bot` for logins ending
   * in `[bot]` (e.g. `github-actions[bot]`), else `User`; an explicit type overrides a stored one.
   */
  ensure(login: string, type?: AccountType): UserRecord {
    const existing = this.find(login)
    if (existing) {
      if (type) existing.type = type
      return existing
    }
    const user: UserRecord = {
      id: this.s.nextId(),
      login,
      type: type ?? (login.endsWith('[bot]') ? 'Bot' : 'User')
    }
    this.s.data.users[login.toLowerCase()] = user
    return user
  }

  /** Admin: registers (or replaces) a token acting as `login` with `permission`. */
  createToken(input: CreateTokenInput): TokenRecord {
    const user = this.ensure(
      input.login,
      input.type ?? (input.login.endsWith('[bot]') ? 'Bot' : 'User')
    )
    if (input.emails) user.emails = input.emails.map((e) => e.toLowerCase())
    const record: TokenRecord = {
      token: input.token,
      login: input.login,
      permission: input.permission,
      repos: input.repos ?? null,
      rate_limit_per_hour: input.rate_limit_per_hour ?? RATE_LIMIT_DEFAULT_PER_HOUR
    }
    this.s.data.tokens[input.token] = record
    return record
  }

  /**
   * Resolves an `Authorization` header (`token X` or `Bearer X`). No header → `null`
   * (anonymous). Any other header, or an unknown token → throws `BadCredentials` (401).
   */
  authenticate(authorization: string | undefined): Caller | null {
    if (authorization === undefined || authorization.trim() === '') return null
    const match = /^(?:token|bearer)\s+(\S+)\s*$/i.exec(authorization.trim())
    const token = match ? this.s.data.tokens[match[1]] : undefined
    const other = match && !token ? this.otherCredentials(match[1]) : null
    if (other) return other
    if (!token) throw new BadCredentials()
    return { token, user: this.ensure(token.login) }
  }

  /** `GET /user` (users/get-authenticated): throws `RequiresAuthentication` when anonymous. */
  getAuthenticated(caller: Caller | null): UserRecord {
    if (!caller) throw new RequiresAuthentication()
    return caller.user
  }
}
