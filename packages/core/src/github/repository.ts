/**
 * A 404 from a file read means "no such file" only when the repository is there: GitHub answers
 * 404 for a repository that does not exist and for a private one the token cannot see
 * (docs/github-behaviour.md §11.6), and the contents API answers the same 404 `Not Found` for a
 * missing file. Readers that take a 404 for "no file yet" call {@link ensureRepositoryVisible}
 * on that path only, so a typo in the repository name fails at the read, not at the first write.
 */
import { RepositoryNotFoundError } from '../errors.js'
import { repositoryName, type RepoContext } from './context.js'
import { statusOf, toGitHubRequestError } from './request.js'

/**
 * Checks that `owner/repo` is visible to the token after a read answered 404 (`cause`).
 *
 * Cost: 1 request, `GET /repos/{owner}/{repo}` (made only on the 404 path; a read that finds
 * its file costs nothing extra).
 *
 * @throws RepositoryNotFoundError when that request answers 404 too (`cause`: the first 404);
 *   GitHubRequestError when it fails otherwise.
 */
export async function ensureRepositoryVisible(
  ctx: Pick<RepoContext, 'octokit' | 'owner' | 'repo'>,
  cause: unknown
): Promise<void> {
  const { octokit, owner, repo } = ctx
  try {
    await octokit.rest.repos.get({ owner, repo })
  } catch (error) {
    if (statusOf(error) === 404) throw new RepositoryNotFoundError(repositoryName(ctx), { cause })
    throw toGitHubRequestError(`read repository ${repositoryName(ctx)}`, error)
  }
}

/**
 * True for GraphQL's answer to a query on a repository that does not exist or that the token
 * cannot see: a `NOT_FOUND` error `Could not resolve to a Repository with the name 'o/r'.`
 * (docs/github-behaviour.md §11.6). Needs no extra request.
 */
export function isRepositoryNotResolved(message: string | undefined): boolean {
  return /Could not resolve to a Repository/i.test(message ?? '')
}
