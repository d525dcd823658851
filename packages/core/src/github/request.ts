/**
 * Turns Octokit's `RequestError` into hubstore's `GitHubRequestError` (code
 * `GITHUB_REQUEST_FAILED`) with the operation, the status, `METHOD /path` and GitHub's message.
 * Non-HTTP errors pass through untouched.
 */
import { GitHubRequestError, isHubstoreError } from './errors.js'

/** The HTTP status of an Octokit `RequestError` (500 for network failures), else `undefined`. */
export function statusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined
  const status = (error as { status?: unknown }).status
  return (error as { name?: unknown }).name === 'HttpError' && typeof status === 'number'
    ? status
    : undefined
}

/**
 * Runs one GitHub call; an HTTP failure becomes a `GitHubRequestError` naming `operation`
 * (e.g. `list comments of issue #5`).
 */
export async function callGitHub<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (error) {
    throw toGitHubRequestError(operation, error)
  }
}

/** Wraps an Octokit `RequestError`; anything else is returned unchanged. */
export function toGitHubRequestError(operation: string, error: unknown): unknown {
  const status = statusOf(error)
  if (status === undefined || isHubstoreError(error)) return error
  const { request, response } = error as {
    request?: { method?: string; url?: string }
    response?: { data?: unknown }
  }
  const data = response?.data
  const githubMessage =
    typeof data === 'object' &&
    data !== null &&
    typeof (data as { message?: unknown }).message === 'string'
      ? (data as { message: string }).message
      : undefined
  return new GitHubRequestError(
    operation,
    status,
    `${request?.method ?? 'GET'} ${pathOf(request?.url)}`,
    githubMessage,
    { cause: error }
  )
}

function pathOf(url: string | undefined): string {
  if (!url) return '?'
  try {
    return new URL(url, 'http://github.invalid').pathname
  } catch {
    return '?'
  }
}
