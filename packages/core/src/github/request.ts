/**
 * Turns Octokit's `RequestError` into hubstore's typed errors: a rate limit (403/429 with
 * `x-ratelimit-remaining: 0` or GitHub's "secondary rate limit" text, docs/github-behaviour.md
 * §5.3) becomes `RateLimitedError` (`RATE_LIMITED`); anything else `GitHubRequestError`
 * (`GITHUB_REQUEST_FAILED`) with the operation, the status, `METHOD /path` and GitHub's message,
 * or, for a refused connection or an unanswered request, its `network` failure.
 * Non-HTTP errors pass through untouched.
 */
import {
  GitHubRequestError,
  isHubstoreError,
  RateLimitedError,
  type NetworkFailure
} from '../errors.js'
import { NETWORK_FAILURE, RATE_LIMIT_DECISION } from './transport.js'

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

/** A response header of an Octokit `RequestError`, else `undefined`. */
function headerOf(error: unknown, name: string): string | undefined {
  const headers = (error as { response?: { headers?: Record<string, unknown> } } | null)?.response
    ?.headers
  const value = headers?.[name]
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined
}

/**
 * `primary` or `secondary` when `error` is GitHub's rate-limit answer (403 or 429;
 * docs/github-behaviour.md §5.3, the same tests plugin-throttling applies), else `undefined`.
 */
export function rateLimitReasonOf(error: unknown): 'primary' | 'secondary' | undefined {
  const status = statusOf(error)
  if (status !== 403 && status !== 429) return undefined
  if (/\bsecondary rate\b/i.test(githubMessageOf(error) ?? '')) return 'secondary'
  if (headerOf(error, 'x-ratelimit-remaining') === '0') return 'primary'
  return status === 429 ? 'secondary' : undefined
}

/**
 * Runs one GitHub call; an HTTP failure becomes a typed error naming `operation`
 * (e.g. `list comments of issue #5`).
 *
 * @throws RateLimitedError or GitHubRequestError (see the module TSDoc)
 */
export async function callGitHub<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (error) {
    throw toGitHubRequestError(operation, error)
  }
}

/** Wraps an Octokit `RequestError` (see the module TSDoc); anything else is returned unchanged. */
export function toGitHubRequestError(operation: string, error: unknown): unknown {
  const status = statusOf(error)
  if (status === undefined || isHubstoreError(error)) return error
  const { request } = error as { request?: { method?: string; url?: string } }
  const line = `${request?.method ?? 'GET'} ${pathOf(request?.url)}`
  const network = (error as { [NETWORK_FAILURE]?: NetworkFailure })[NETWORK_FAILURE]
  const reason = rateLimitReasonOf(error)
  if (reason) return rateLimitError(reason, status, line, error)
  return new GitHubRequestError(operation, status, line, githubMessageOf(error), {
    cause: error,
    acceptedPermissions: headerOf(error, 'x-accepted-github-permissions'),
    network
  })
}

function rateLimitError(
  reason: 'primary' | 'secondary',
  status: number,
  request: string,
  error: unknown
): RateLimitedError {
  const decision = (error as { [RATE_LIMIT_DECISION]?: RateLimitDecision })[RATE_LIMIT_DECISION]
  const reset = Number(headerOf(error, 'x-ratelimit-reset'))
  const retryAfter = Number(headerOf(error, 'retry-after'))
  const limit = Number(headerOf(error, 'x-ratelimit-limit'))
  const resetMs =
    reason === 'primary' && reset > 0
      ? reset * 1000
      : Date.now() + (retryAfter > 0 ? retryAfter : 60) * 1000
  return new RateLimitedError(
    {
      reason,
      status,
      request,
      resource: headerOf(error, 'x-ratelimit-resource'),
      limit: Number.isFinite(limit) && headerOf(error, 'x-ratelimit-limit') ? limit : undefined,
      resetAt: isoSeconds(resetMs),
      maxWaitMs: decision?.maxWaitMs,
      gaveUp: decision?.gaveUp,
      githubMessage: githubMessageOf(error)
    },
    { cause: error }
  )
}

/** What the client's rate-limit handler decided when it stopped waiting. */
export interface RateLimitDecision {
  maxWaitMs: number
  gaveUp: 'bound' | 'retries'
}

/** `2026-01-01T00:00:00Z`: ISO 8601 UTC, whole seconds (GitHub's form). */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z')
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
  const network =
    (error as { [NETWORK_FAILURE]?: NetworkFailure } | null)?.[NETWORK_FAILURE] ??
    (isHubstoreError(error) && error.code === 'GITHUB_REQUEST_FAILED' ? error.network : undefined)
  // a refused connection sent nothing
  if (network?.kind === 'connect') return false
  const status =
    statusOf(error) ??
    (isHubstoreError(error) && error.code === 'GITHUB_REQUEST_FAILED' ? error.status : undefined)
  if (status !== undefined) return status >= 500
  const e = error as { name?: string; code?: string }
  return e?.name === 'TypeError' || e?.name === 'AbortError' || e?.code === 'ECONNRESET'
}
