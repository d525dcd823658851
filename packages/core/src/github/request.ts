/**
 * Turns Octokit's `RequestError` into hubstore's `GitHubRequestError` (code
 * `GITHUB_REQUEST_FAILED`) with the operation, the status, `METHOD /path` and GitHub's message.
 * Non-HTTP errors pass through untouched.
 */
import { GitHubRequestError, isHubstoreError } from '../errors.js'

/** The HTTP status of an Octokit `RequestError` (500 for network failures), else `undefined`. */
export function statusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined
  const status = (error as { status?: unknown }).status
  return (error as { name?: unknown }).name === 'HttpError' && typeof status === 'number'
    ? status
    : undefined
}

/** GitHub's `message` from an Octokit `RequestError`'s response body, else `undefined`. */
export function githubMessageOf(error: unknown): string | undefined {
  const data = (error as { response?: { data?: unknown } } | null)?.response?.data
  const message =
    typeof data === 'object' && data !== null ? (data as { message?: unknown }).message : undefined
  return typeof message === 'string' ? message : undefined
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
  const { request } = error as { request?: { method?: string; url?: string } }
  return new GitHubRequestError(
    operation,
    status,
    `${request?.method ?? 'GET'} ${pathOf(request?.url)}`,
    githubMessageOf(error),
    { cause: error }
  )
}

/**
 * The request's path as a person reads it: Octokit percent-encodes `{path}` parameters
 * (`contents/data%2Fstore-snapshot.json`, docs/github-behaviour.md §6), and a message shows
 * `contents/data/store-snapshot.json`. Each encoded sequence is decoded once; a segment that
 * is not valid percent-encoding is left as sent.
 */
export function pathOf(url: string | undefined): string {
  if (!url) return '?'
  let pathname: string
  try {
    pathname = new URL(url, 'http://github.invalid').pathname
  } catch {
    return '?'
  }
  return pathname
    .split('/')
    .map((segment) => {
      try {
        return decodeURIComponent(segment)
      } catch {
        return segment
      }
    })
    .join('/')
}

/** True when a failed write may nevertheless have happened (5xx, timeout, network). */
export function isAmbiguous(error: unknown): boolean {
  const status =
    statusOf(error) ??
    (isHubstoreError(error) && error.code === 'GITHUB_REQUEST_FAILED' ? error.status : undefined)
  if (status !== undefined) return status >= 500
  const e = error as { name?: string; code?: string }
  return e?.name === 'TypeError' || e?.name === 'AbortError' || e?.code === 'ECONNRESET'
}
