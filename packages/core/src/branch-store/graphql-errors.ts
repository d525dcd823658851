/**
 * GraphQL errors of the branch store's queries and mutations: a GraphQL answer with errors is
 * HTTP 200, so its error types (`STALE_DATA`, `NOT_FOUND` …) are read here and translated into
 * the `GitHubRequestError` a REST call would have given (docs/github-behaviour.md §2.2).
 */
import { RepositoryNotFoundError } from '../errors.js'
import { isRepositoryNotResolved } from '../github/repository.js'
import { toGitHubRequestError } from '../github/request.js'

interface GraphqlErrorLike {
  name?: string
  errors?: Array<{ type?: string; message?: string }>
}

/** The `type` of each entry of a `GraphqlResponseError` (`STALE_DATA`, `NOT_FOUND` …), or `null`. */
export function graphqlErrorTypes(error: unknown): string[] | null {
  const e = error as GraphqlErrorLike
  if (typeof e !== 'object' || e === null || e.name !== 'GraphqlResponseError') return null
  return (e.errors ?? []).map((x) => x.type ?? 'UNKNOWN')
}

export function graphqlMessage(error: unknown): string {
  const e = error as GraphqlErrorLike
  return (e.errors ?? []).map((x) => `${x.type ?? 'ERROR'}: ${x.message ?? ''}`).join('; ')
}

/**
 * A GraphQL answer with errors is HTTP 200; it is reported as a `GitHubRequestError` with the
 * status its first error type means (`NOT_FOUND` 404, `FORBIDDEN` 403, anything else 422) and
 * GitHub's messages, so the fix in the message fits.
 */
export function graphqlToRequestError(
  operation: string,
  error: unknown,
  repository?: string
): unknown {
  const types = graphqlErrorTypes(error)
  if (types === null) return toGitHubRequestError(operation, error)
  if (repository && types[0] === 'NOT_FOUND' && isRepositoryNotResolved(graphqlMessage(error)))
    return new RepositoryNotFoundError(repository, { cause: error })
  const status = types[0] === 'NOT_FOUND' ? 404 : types[0] === 'FORBIDDEN' ? 403 : 422
  const equivalent = Object.assign(new Error(graphqlMessage(error)), {
    name: 'HttpError',
    status,
    request: { method: 'POST', url: '/graphql' },
    response: { data: { message: graphqlMessage(error) } }
  })
  return toGitHubRequestError(operation, equivalent)
}
