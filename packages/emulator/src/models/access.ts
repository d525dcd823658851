import {
  MustHaveAdminRights,
  NotFound,
  RequiresAuthentication,
  ResourceNotAccessibleByIntegration
} from '../errors.js'
import type { PermissionLevel, RepoRecord, Store, TokenRecord } from '../state.js'
import { sameName, type Caller } from './users.js'

/**
 * What an operation needs:
 * - `read`: see the repository (public, or a token with access);
 * - `participate`: open issues, comment, react — any signed-in user who can read it
 *   (as on github.com); a `Bot` token needs write;
 * - `write`: push access (labels, editing other people's issues and comments).
 */
export type Need = 'read' | 'participate' | 'write'

const RANK: Record<PermissionLevel, number> = { none: 0, read: 1, write: 2, admin: 3 }

/** Full name `owner/name` of a repository. */
export function fullName(repo: RepoRecord): string {
  return `${repo.owner}/${repo.name}`
}

function covers(token: TokenRecord, repo: RepoRecord): boolean {
  return token.repos === null || token.repos.some((r) => sameName(r, fullName(repo)))
}

/** The caller's access through its token: its permission if the token covers the repo. */
export function tokenPermission(caller: Caller | null, repo: RepoRecord): PermissionLevel {
  if (caller && covers(caller.token, repo)) return caller.token.permission
  return repo.private ? 'none' : 'read'
}

/**
 * A user's permission on a repository (`collaborators/{username}/permission`): the owner of a
 * User-owned repo is `admin`; otherwise the best permission of that user's tokens covering the
 * repo; otherwise `read` on a public repo and `none` on a private one.
 */
export function userPermission(s: Store, login: string, repo: RepoRecord): PermissionLevel {
  if (repo.owner_type === 'User' && sameName(login, repo.owner)) return 'admin'
  let best: PermissionLevel = 'none'
  for (const token of Object.values(s.data.tokens)) {
    if (sameName(token.login, login) && covers(token, repo) && RANK[token.permission] > RANK[best])
      best = token.permission
  }
  if (best !== 'none') return best
  return repo.private ? 'none' : 'read'
}

/** True if the caller's token may push (write or admin) to the repository. */
export function canPush(caller: Caller | null, repo: RepoRecord): boolean {
  return RANK[tokenPermission(caller, repo)] >= RANK.write
}

/**
 * Throws unless the caller may do an operation needing `need` on `repo`:
 * 404 `Not Found` when it cannot see the repo; 401 `Requires authentication` for anonymous
 * writes; a read-only `Bot` token writing → 403 `Resource not accessible by integration`
 * (docs/github-behaviour.md §8 item 10); a User token without push access → 404 on a private
 * repo, 403 `Must have admin rights to Repository.` on a public one.
 */
export function authorize(caller: Caller | null, repo: RepoRecord, need: Need): void {
  const level = tokenPermission(caller, repo)
  if (level === 'none') throw new NotFound()
  if (need === 'read') return
  if (!caller) throw new RequiresAuthentication()
  if (RANK[level] >= RANK.write) return
  if (need === 'participate' && caller.user.type !== 'Bot') return
  denyWrite(caller, repo)
}

/** Like `authorize(…, 'write')`, but the author of the resource may act on it anyway. */
export function authorizeAuthorOrWrite(caller: Caller | null, repo: RepoRecord, author: string) {
  authorize(caller, repo, 'participate')
  if (caller && sameName(caller.user.login, author) && caller.user.type !== 'Bot') return
  authorize(caller, repo, 'write')
}

function denyWrite(caller: Caller, repo: RepoRecord): never {
  if (caller.user.type === 'Bot') throw new ResourceNotAccessibleByIntegration()
  if (repo.private) throw new NotFound()
  throw new MustHaveAdminRights()
}

/**
 * `author_association` of `login` on `repo` (docs/github-behaviour.md §3.6, reduced to three
 * values): `OWNER` for the owner of the repo, `COLLABORATOR` with write/admin, else `NONE`.
 */
export function authorAssociation(s: Store, repo: RepoRecord, login: string): string {
  if (sameName(login, repo.owner)) return 'OWNER'
  const level = userPermission(s, login, repo)
  return RANK[level] >= RANK.write ? 'COLLABORATOR' : 'NONE'
}
