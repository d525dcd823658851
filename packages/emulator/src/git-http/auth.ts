import {
  BadCredentials,
  GitAuthenticationRequired,
  GitInvalidCredentials,
  GitPermissionDenied,
  GitRepositoryNotFound,
  NotFound
} from '../errors.js'
import { canPush, fullName, tokenPermission } from '../models/access.js'
import type { Models } from '../models/index.js'
import type { Caller } from '../models/users.js'
import type { RepoRecord } from '../state.js'

/** What a git or LFS request needs: `read` (clone, fetch, download) or `write` (push, upload). */
export type GitNeed = 'read' | 'write'

/**
 * The token in an `Authorization` header sent by git or git-lfs:
 * - `Basic base64(user:password)`: the password (any username, as GitHub's
 *   `x-access-token:<token>`), or the username when the password is empty (`https://TOKEN@host`);
 * - `token X` / `Bearer X`: `X`.
 * Returns `null` without a header and `undefined` for a header of any other form.
 */
export function gitToken(authorization: string | undefined): string | null | undefined {
  if (authorization === undefined || authorization.trim() === '') return null
  const header = authorization.trim()
  const basic = /^basic\s+(\S+)$/i.exec(header)
  if (basic) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8')
    const colon = decoded.indexOf(':')
    const user = colon < 0 ? decoded : decoded.slice(0, colon)
    const password = colon < 0 ? '' : decoded.slice(colon + 1)
    const token = password !== '' ? password : user
    return token === '' ? undefined : token
  }
  const bearer = /^(?:token|bearer)\s+(\S+)$/i.exec(header)
  return bearer ? bearer[1] : undefined
}

/**
 * The caller of a git or LFS request, resolved through the users model (the same tokens as the
 * REST API). No header → `null` (anonymous). Throws `GitInvalidCredentials` (401) for a
 * malformed header or an unknown token.
 */
export function gitCaller(models: Models, authorization: string | undefined): Caller | null {
  const token = gitToken(authorization)
  if (token === null) return null
  if (token === undefined) throw new GitInvalidCredentials()
  try {
    return models.users.authenticate(`token ${token}`)
  } catch (error) {
    if (error instanceof BadCredentials) throw new GitInvalidCredentials()
    throw error
  }
}

/**
 * The repository `owner/repo` after checking that `caller` may `need` it over git/LFS:
 * - it cannot see the repository (unknown, or private without a covering token) → anonymous:
 *   401 `GitAuthenticationRequired` (as github.com, which never tells anonymous callers whether
 *   a repository exists), signed in: 404 `GitRepositoryNotFound`;
 * - `write` without credentials → 401 `GitAuthenticationRequired`;
 * - `write` with a token below write permission → 403 `GitPermissionDenied`.
 * Permissions are the token's (`tokenPermission`, as the REST API's `authorize`).
 */
export function gitAuthorize(
  models: Models,
  caller: Caller | null,
  owner: string,
  repo: string,
  need: GitNeed
): RepoRecord {
  let record: RepoRecord | null = null
  try {
    record = models.repos.find(owner, repo)
  } catch (error) {
    if (!(error instanceof NotFound)) throw error
  }
  if (!record || tokenPermission(caller, record) === 'none') {
    if (!caller) throw new GitAuthenticationRequired()
    throw new GitRepositoryNotFound()
  }
  if (need === 'read') return record
  if (!caller) throw new GitAuthenticationRequired()
  if (!canPush(caller, record)) throw new GitPermissionDenied(fullName(record), caller.user.login)
  return record
}
