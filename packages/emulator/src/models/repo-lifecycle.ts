import {
  MustHaveAdminRights,
  NotFound,
  RequiresAuthentication,
  ResourceNotAccessibleByIntegration
} from '../errors.js'
import { RepositoryCreationFailed } from '../errors-activity.js'
import type { DomainEvents } from '../events.js'
import type { GitStore } from '../git/store.js'
import { dictionary, type RepoRecord, type Store } from '../state.js'
import { fullName, tokenPermission } from './access.js'
import type { ContentsModel } from './contents.js'
import type { ReposModel } from './repos.js'
import { sameName, type Caller, type UsersModel } from './users.js'

/** Body of `repos/create-for-authenticated-user` and `repos/create-in-org` (the fields served). */
export interface CreateRepoBody {
  name: string
  description?: string | null
  private?: boolean
  /** Commit `README.md` as "Initial commit" (default `false`: an empty repository). */
  auto_init?: boolean
}

/** Body of `repos/update` (the fields served; `name` renames). */
export interface UpdateRepoBody {
  name?: string
  description?: string | null
  private?: boolean
  default_branch?: string
}

/** Query of `repos/list-for-authenticated-user` and `repos/list-for-org`. */
export interface ListReposQuery {
  /** `all` (default), `public`, `private`. */
  visibility?: string | null
  /** User list: `all` (default), `owner`, `public`, `private`, `member`; org list adds `forks`, `sources`. */
  type?: string | null
  /** `created`, `updated`, `pushed`, `full_name` (default: `full_name` for users, `created` for orgs). */
  sort?: string | null
  /** `asc` or `desc`; default `asc` for `full_name`, else `desc`. */
  direction?: string | null
}

/** Repository names GitHub accepts: ASCII letters, digits, `.`, `-`, `_` (≤ 100 characters). */
const REPO_NAME = /^[A-Za-z0-9._-]{1,100}$/

/**
 * Repositories created, listed, renamed and deleted through the REST API
 * (docs/github-behaviour.md §12.2). Emits `repository` domain events: `created`, `deleted`
 * (with `snapshot` = the repository as `GET /repos` answered it just before), `renamed` (with
 * `changes.repository.name.from`).
 */
export class RepoLifecycleModel {
  constructor(
    private readonly s: Store,
    private readonly repos: ReposModel,
    private readonly users: UsersModel,
    private readonly contents: ContentsModel,
    private readonly git: GitStore,
    private readonly events: DomainEvents
  ) {}

  /**
   * `repos/list-for-authenticated-user`: every repository the token can see that the user owns
   * or reaches through the token (`type: owner` keeps the user's own, `member` the others).
   * 401 when anonymous.
   */
  listForAuthenticatedUser(caller: Caller | null, query: ListReposQuery): RepoRecord[] {
    if (!caller) throw new RequiresAuthentication()
    const login = caller.user.login
    const type = query.type ?? 'all'
    const found = Object.values(this.s.data.repos).filter((r) => {
      if (tokenPermission(caller, r) === 'none') return false
      const own = sameName(r.owner, login)
      const reach = own || caller.token.repos !== null || tokenPermission(caller, r) !== 'read'
      if (!reach) return false
      if (type === 'owner' && !own) return false
      if (type === 'member' && own) return false
      return matchesVisibility(r, type === 'public' || type === 'private' ? type : query.visibility)
    })
    return sortRepos(found, query.sort ?? 'full_name', query.direction)
  }

  /** `repos/list-for-org`: the organisation's repositories the caller can see; 404 unknown org. */
  listForOrg(caller: Caller | null, org: string, query: ListReposQuery): RepoRecord[] {
    const account = this.users.find(org)
    if (!account || account.type !== 'Organization') throw new NotFound()
    const type = query.type ?? 'all'
    const found = Object.values(this.s.data.repos).filter(
      (r) =>
        sameName(r.owner, account.login) &&
        tokenPermission(caller, r) !== 'none' &&
        (type === 'forks'
          ? false
          : matchesVisibility(r, type === 'public' || type === 'private' ? type : null))
    )
    return sortRepos(found, query.sort ?? 'created', query.direction)
  }

  /**
   * `repos/create-for-authenticated-user`: a repository owned by the token's user, default
   * branch `main`. 401 anonymous; 403 `Resource not accessible by integration` for an
   * installation token or a read-only token; 422 `Repository creation failed.` for a taken or
   * invalid name.
   */
  async createForAuthenticatedUser(
    caller: Caller | null,
    body: CreateRepoBody
  ): Promise<RepoRecord> {
    if (!caller) throw new RequiresAuthentication()
    if (caller.app || caller.token.permission === 'read')
      throw new ResourceNotAccessibleByIntegration()
    return this.create(caller, caller.user.login, 'User', body)
  }

  /**
   * `repos/create-in-org`: 404 for an unknown organisation; the token needs admin permission and
   * no repository restriction (the emulator's stand-in for "members can create repositories"),
   * else 403 `Must have admin rights to Repository.`; 422 as for a user repository.
   */
  async createInOrg(caller: Caller | null, org: string, body: CreateRepoBody): Promise<RepoRecord> {
    if (!caller) throw new RequiresAuthentication()
    const account = this.users.find(org)
    if (!account || account.type !== 'Organization') throw new NotFound()
    if (caller.token.permission !== 'admin' || caller.token.repos !== null)
      throw new MustHaveAdminRights()
    return this.create(caller, account.login, 'Organization', body)
  }

  private async create(
    caller: Caller,
    owner: string,
    ownerType: 'User' | 'Organization',
    body: CreateRepoBody
  ): Promise<RepoRecord> {
    if (!REPO_NAME.test(body.name)) throw new RepositoryCreationFailed('name is invalid')
    const key = `${owner}/${body.name}`.toLowerCase()
    if (this.s.data.repos[key])
      throw new RepositoryCreationFailed('name already exists on this account')
    const repo = this.repos.create({
      full_name: `${owner}/${body.name}`,
      private: body.private ?? false,
      owner_type: ownerType,
      default_labels: true
    })
    if (body.description !== undefined) repo.description = body.description
    this.dropRedirect(key)
    await this.contents.initRepo(repo, body.auto_init === true)
    this.events.emit({
      name: 'repository',
      action: 'created',
      repo: fullName(repo),
      sender: caller.user.login
    })
    return repo
  }

  /**
   * `repos/delete`: removes the repository, its git data, webhooks and redirects; 204. Needs admin
   * permission (403 `Must have admin rights to Repository.`; 404 when invisible). `snapshot` is
   * called first to build the repository as `GET /repos` answers it, for the `deleted` event.
   */
  async delete(
    caller: Caller | null,
    owner: string,
    name: string,
    snapshot: (repo: RepoRecord) => Record<string, unknown>
  ): Promise<void> {
    const repo = this.adminAccess(caller, owner, name)
    const before = snapshot(repo)
    const key = fullName(repo).toLowerCase()
    delete this.s.data.repos[key]
    const redirects = this.s.data.redirects
    if (redirects)
      for (const [old, id] of Object.entries(redirects)) if (id === repo.id) delete redirects[old]
    // Its webhooks go with it (GitHub's; the `deleted` event reaches only App webhooks).
    const hooks = this.s.data.hooks
    if (hooks)
      for (const [id, hook] of Object.entries(hooks))
        if (hook.repository_id === repo.id) delete hooks[id]
    await this.git.relocate(repo.owner, repo.name, null)
    this.events.emit({
      name: 'repository',
      action: 'deleted',
      repo: fullName(repo),
      sender: caller!.user.login,
      snapshot: before
    })
  }

  /**
   * `repos/update`: description, visibility, default branch and `name` (a rename: the old name
   * keeps redirecting, `redirectTarget`). Needs admin permission. 422 `Repository creation
   * failed.`-style error for a taken name. Emits `renamed` with `changes.repository.name.from`.
   */
  async update(
    caller: Caller | null,
    owner: string,
    name: string,
    body: UpdateRepoBody
  ): Promise<RepoRecord> {
    const repo = this.adminAccess(caller, owner, name)
    if (body.description !== undefined) repo.description = body.description
    if (body.private !== undefined) repo.private = body.private
    if (body.default_branch !== undefined) repo.default_branch = body.default_branch
    const from = repo.name
    if (body.name !== undefined && body.name !== repo.name) {
      if (!REPO_NAME.test(body.name)) throw new RepositoryCreationFailed('name is invalid')
      const oldKey = fullName(repo).toLowerCase()
      const newKey = `${repo.owner}/${body.name}`.toLowerCase()
      if (newKey !== oldKey && this.s.data.repos[newKey])
        throw new RepositoryCreationFailed('name already exists on this account')
      await this.git.relocate(repo.owner, repo.name, body.name)
      delete this.s.data.repos[oldKey]
      repo.name = body.name
      this.s.data.repos[newKey] = repo
      this.dropRedirect(newKey)
      if (newKey !== oldKey) (this.s.data.redirects ??= dictionary())[oldKey] = repo.id
    }
    repo.updated_at = this.s.timestamp()
    if (from !== repo.name)
      this.events.emit({
        name: 'repository',
        action: 'renamed',
        repo: fullName(repo),
        sender: caller!.user.login,
        changes: { repository: { name: { from } } }
      })
    return repo
  }

  /** The repository an old (renamed-away) `owner/name` now points to, or `null`. */
  redirectTarget(owner: string, name: string): RepoRecord | null {
    const id = this.s.data.redirects?.[`${owner}/${name}`.toLowerCase()]
    if (id === undefined) return null
    return Object.values(this.s.data.repos).find((r) => r.id === id) ?? null
  }

  private dropRedirect(key: string): void {
    if (this.s.data.redirects) delete this.s.data.redirects[key]
  }

  private adminAccess(caller: Caller | null, owner: string, name: string): RepoRecord {
    if (!caller) throw new RequiresAuthentication()
    const repo = this.repos.find(owner, name)
    const level = tokenPermission(caller, repo)
    if (level === 'none') throw new NotFound()
    if (level !== 'admin') {
      if (caller.user.type === 'Bot') throw new ResourceNotAccessibleByIntegration()
      throw new MustHaveAdminRights()
    }
    return repo
  }
}

function matchesVisibility(repo: RepoRecord, visibility: string | null | undefined): boolean {
  if (visibility === 'public') return !repo.private
  if (visibility === 'private') return repo.private
  return true
}

function sortRepos(
  repos: RepoRecord[],
  sort: string,
  direction: string | null | undefined
): RepoRecord[] {
  const key = (r: RepoRecord): string =>
    sort === 'full_name'
      ? fullName(r).toLowerCase()
      : sort === 'updated'
        ? (r.updated_at ?? r.created_at)
        : sort === 'pushed'
          ? (r.pushed_at ?? r.created_at)
          : r.created_at
  const asc = (direction ?? (sort === 'full_name' ? 'asc' : 'desc')) === 'asc'
  return [...repos].sort((a, b) => {
    const c = key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.id - b.id
    return asc ? c : -c
  })
}
