import { BadAdminRequest, Conflict, NotFound, RequiresAuthentication } from '../errors.js'
import type { LabelRecord, PermissionLevel, RepoRecord, Store, UserRecord } from '../state.js'
import { authorize, tokenPermission, userPermission, type Need } from './access.js'
import type { Caller, UsersModel } from './users.js'

/** Admin input for `POST /_emulator/repos`. */
export interface CreateRepoInput {
  full_name: string
  default_branch?: string
  private?: boolean
  owner_type?: 'User' | 'Organization'
  /** Create GitHub's nine default labels (default `false`, so label lists start empty). */
  default_labels?: boolean
}

/** GitHub's default labels for new repositories (docs/github-behaviour.md §3.4). */
const DEFAULT_LABELS: Array<[string, string, string]> = [
  ['bug', 'd73a4a', "Something isn't working"],
  ['documentation', '0075ca', 'Improvements or additions to documentation'],
  ['duplicate', 'cfd3d7', 'This issue or pull request already exists'],
  ['enhancement', 'a2eeef', 'New feature or request'],
  ['good first issue', '7057ff', 'Good for newcomers'],
  ['help wanted', '008672', 'Extra attention is needed'],
  ['invalid', 'e4e669', "This doesn't seem right"],
  ['question', 'd876e3', 'Further information is requested'],
  ['wontfix', 'ffffff', 'This will not be worked on']
]

/** Repositories, and who may do what in them. */
export class ReposModel {
  constructor(
    private readonly s: Store,
    private readonly users: UsersModel
  ) {}

  /** Admin: creates a repository (and its owner account). Throws `Conflict` (409) if it exists. */
  create(input: CreateRepoInput): RepoRecord {
    const parts = input.full_name.split('/')
    if (parts.length !== 2 || !parts[0] || !parts[1])
      throw new BadAdminRequest('full_name must look like "owner/repo"')
    const [owner, name] = parts
    if (this.s.data.repos[input.full_name.toLowerCase()])
      throw new Conflict(`Repository ${input.full_name} already exists`)
    const ownerType = input.owner_type ?? 'User'
    const account = this.users.ensure(owner, this.users.find(owner) ? undefined : ownerType)
    const now = this.s.timestamp()
    const labels: LabelRecord[] = input.default_labels
      ? DEFAULT_LABELS.map(([n, color, description]) => ({
          id: this.s.nextId(),
          name: n,
          color,
          description,
          default: true
        }))
      : []
    const repo: RepoRecord = {
      id: this.s.nextId(),
      owner: account.login,
      name,
      owner_type: ownerType,
      private: input.private ?? false,
      default_branch: input.default_branch ?? 'main',
      created_at: now,
      next_issue_number: 1,
      labels,
      issues: {},
      comments: {},
      files: {}
    }
    this.s.data.repos[input.full_name.toLowerCase()] = repo
    return repo
  }

  /** The repository `owner/repo` (case-insensitive); throws `NotFound`. No access check. */
  find(owner: string, repo: string): RepoRecord {
    const found = this.s.data.repos[`${owner}/${repo}`.toLowerCase()]
    if (!found) throw new NotFound()
    return found
  }

  /**
   * The repository, after checking that the caller may do an operation needing `need`
   * (see `authorize`). Anonymous writes fail with 401 before the repository is looked up.
   */
  access(caller: Caller | null, owner: string, repo: string, need: Need): RepoRecord {
    if (need !== 'read' && !caller) throw new RequiresAuthentication()
    const found = this.find(owner, repo)
    authorize(caller, found, need)
    return found
  }

  /**
   * The repository if `caller` may see it, else `null`: GraphQL answers one NOT_FOUND for a
   * missing and an invisible repository.
   */
  visible(caller: Caller, owner: string, repo: string): RepoRecord | null {
    const found = this.s.data.repos[`${owner}/${repo}`.toLowerCase()]
    return found && this.canSee(caller, found) ? found : null
  }

  /** `visible` by database id (GraphQL node ids carry it). */
  visibleById(caller: Caller, id: number): RepoRecord | null {
    const found = Object.values(this.s.data.repos).find((r) => r.id === id)
    return found && this.canSee(caller, found) ? found : null
  }

  /** Whether `caller` may see `repo` at all (any permission but `none`). */
  canSee(caller: Caller | null, repo: RepoRecord): boolean {
    return tokenPermission(caller, repo) !== 'none'
  }

  /** `repos/get`: the repository and the caller's permission on it. */
  get(caller: Caller | null, owner: string, repo: string) {
    const found = this.access(caller, owner, repo, 'read')
    return { repo: found, permission: caller ? tokenPermission(caller, found) : null }
  }

  /**
   * `repos/get-collaborator-permission-level`: `{permission, user}` for `username`
   * (see `userPermission`). Throws `NotFound` for an unknown user or an invisible repo.
   */
  getCollaboratorPermissionLevel(
    caller: Caller | null,
    owner: string,
    repo: string,
    username: string
  ): { repo: RepoRecord; permission: PermissionLevel; user: UserRecord } {
    const found = this.access(caller, owner, repo, 'read')
    const user = this.users.get(username)
    return { repo: found, permission: userPermission(this.s, user.login, found), user }
  }
}
