/**
 * The client's per-attempt layer (two Octokit plugins, see `createGitHubClient`): every HTTP
 * attempt is counted, writes are spaced by the clock between their actual sends, each attempt has
 * a timeout, each retry is logged, and failures that got no answer are marked for
 * `toGitHubRequestError` (src/github/request.ts).
 */
import type { Octokit } from '@octokit/core'
import type { OctokitOptions } from '@octokit/core/types'
import { RequestError } from '@octokit/request-error'
import { RequestBudgetExceededError, type NetworkFailure } from '../errors.js'
import type { RateLimitDecision } from './request.js'

/** Marks an Octokit error that got no answer (a `NetworkFailure`, src/errors/github.ts). */
export const NETWORK_FAILURE = Symbol.for('hubstore.networkFailure')
/** Marks a rate-limit error the client stopped waiting for (see `RateLimitDecision`). */
export const RATE_LIMIT_DECISION = Symbol.for('hubstore.rateLimitDecision')

/** Requests this client has sent (every HTTP attempt, retries included). */
export interface RequestCounter {
  requests: number
  writes: number
}

/** One hour, in milliseconds: the window of a request budget. */
const HOUR_MS = 3_600_000

/**
 * A client-side request budget (`ClientOptions.budget`, gh-store's
 * `store.rate_limit.max_requests_per_hour`), under the Octokit option `hubstoreBudget`: every
 * HTTP attempt counts; the one that would pass the budget is not sent.
 */
interface RequestBudget {
  maxRequestsPerHour: number
  /** The clock, ms since the epoch (default `Date.now`). */
  now?: () => number
}

/** What the transport plugin takes, under the Octokit option `hubstoreTransport`. */
export interface TransportSettings {
  /** The API root, for messages. */
  apiUrl: string
  /** Space writes (`false` when throttling is off). */
  spaceWrites: boolean
  /** Minimum milliseconds between the sends of two writes. */
  writeSpacingMs: number
  /** Milliseconds an attempt may take before it is aborted; 0 = no limit. */
  requestTimeoutMs: number
  /** Where retry lines go. */
  log: (line: string) => void
  /** Monotonic clock in ms (default `performance.now`). */
  now?: () => number
}

/** Per request (one Octokit `options` object across its retries). */
interface RequestState {
  attempts: number
  lastFailure?: string
  rateLimited?: boolean
  signal?: AbortSignal
}

/** `ECONNREFUSED` and the like: nothing reached a server, so retrying soon will not help. */
const CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ERR_INVALID_URL',
  'bad port'
])

/**
 * True when the request is a write that GitHub's advice spaces (POST, PATCH, PUT, DELETE), where a
 * GraphQL request counts only when it is a mutation: a query is a read, whatever its method
 * (docs/github-behaviour.md §5.2, §5.4).
 */
export function isSpacedWrite(method: string, url: string, body: unknown): boolean {
  if (method === 'GET' || method === 'HEAD') return false
  if (!/\/graphql$/.test(pathOf(url))) return true
  const query = (body as { query?: unknown } | null | undefined)?.query
  return typeof query !== 'string' || isMutation(query)
}

/** True when a GraphQL document holds a mutation operation (comments and strings ignored). */
export function isMutation(document: string): boolean {
  const code = document.replace(/"""[\s\S]*?"""|"(?:[^"\\\n]|\\.)*"|#[^\n]*/g, ' ')
  return /(^|[}\s])mutation\b/.test(code.trimStart())
}

function pathOf(url: string): string {
  try {
    return new URL(url, 'http://github.invalid').pathname
  } catch {
    return url
  }
}

/**
 * Sends writes one at a time, each at least `spacingMs` after the previous one was answered (or
 * failed), as measured by the clock just before sending: GitHub's advice for mutative requests is
 * to make them serially and wait at least a second between them (docs/github-behaviour.md §5.2,
 * §5.4). Counting from the answer, not from the planned start as Bottleneck's `minTime` does,
 * means the server sees the two requests at least `spacingMs` apart however late a timer fires:
 * it received the first before it answered it.
 */
class WriteGate {
  private answered = Number.NEGATIVE_INFINITY
  private queue: Promise<void> = Promise.resolve()
  constructor(private readonly now: () => number) {}

  /** Waits for this write's turn; the answer must be reported with the returned `done`. */
  async pass(spacingMs: number): Promise<() => void> {
    let done!: () => void
    const previous = this.queue
    this.queue = new Promise<void>((resolve) => {
      done = () => {
        this.answered = this.now()
        resolve()
      }
    })
    await previous
    for (let wait = this.answered + spacingMs - this.now(); wait > 0;) {
      await new Promise((resolve) => setTimeout(resolve, Math.ceil(wait)))
      wait = this.answered + spacingMs - this.now()
    }
    return done
  }
}

/** A short line for a failed attempt: `no answer within 200 ms`, `502 Bad Gateway`, `ECONNRESET`. */
function failureLine(error: unknown, timedOut: boolean, timeoutMs: number): string {
  if (timedOut) return `no answer within ${timeoutMs} ms`
  const e = error as { status?: number; message?: string; cause?: unknown }
  const code = systemCodeOf(error)
  if (code) return code
  return `${e.status ?? '?'} ${e.message ?? ''}`.trim()
}

/**
 * The system error code under a failed fetch (`ECONNREFUSED`…), or `bad port` for a port the
 * Fetch standard blocks (e.g. 1, 25, 6000: fetch refuses them without connecting).
 */
function systemCodeOf(error: unknown): string | undefined {
  let e: unknown = error
  for (let depth = 0; depth < 4 && e; depth++) {
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code
    e = (e as { cause?: unknown }).cause
    if ((e as { message?: unknown } | undefined)?.message === 'bad port') return 'bad port'
  }
  return undefined
}

/**
 * Octokit plugin, registered first so its wrap is the innermost: it runs once per HTTP attempt
 * (retries included) with the options object every plugin shares for that request.
 */
export function transport(
  octokit: Octokit,
  octokitOptions: OctokitOptions
): { hubstore: RequestCounter } {
  const hubstore: RequestCounter = { requests: 0, writes: 0 }
  const settings = octokitOptions.hubstoreTransport as TransportSettings | undefined
  const budget = octokitOptions.hubstoreBudget as RequestBudget | undefined
  const sentAt: number[] = []
  const now = settings?.now ?? (() => performance.now())
  const gate = new WriteGate(now)
  const states = new WeakMap<object, RequestState>()
  octokit.hook.wrap('request', async (request, options) => {
    if (budget) {
      // a rolling hour: the attempts of the last 3,600,000 ms
      const at = (budget.now ?? Date.now)()
      while (sentAt.length > 0 && sentAt[0]! <= at - HOUR_MS) sentAt.shift()
      if (sentAt.length >= budget.maxRequestsPerHour) {
        const path = new URL(String(options.url), 'http://github.invalid').pathname
        throw new RequestBudgetExceededError(budget.maxRequestsPerHour, `${options.method} ${path}`)
      }
      sentAt.push(at)
    }
    hubstore.requests += 1
    if (options.method !== 'GET' && options.method !== 'HEAD') hubstore.writes += 1
    if (!settings) return request(options)
    let state = states.get(options)
    if (!state) {
      state = { attempts: 0, signal: options.request?.signal as AbortSignal | undefined }
      states.set(options, state)
    }
    state.attempts += 1
    // the hook sees the route template (`/repos/{owner}/…`); the parsed request has the real URL
    const sent = octokit.request.endpoint.parse(options)
    const line = `${sent.method} ${pathOf(sent.url)}`
    if (state.attempts > 1 && !state.rateLimited)
      settings.log(
        `hubstore: retrying ${line} (attempt ${state.attempts}) after ${state.lastFailure}`
      )
    state.rateLimited = false
    const done =
      settings.spaceWrites &&
      settings.writeSpacingMs > 0 &&
      isSpacedWrite(sent.method, sent.url, sent.body)
        ? await gate.pass(settings.writeSpacingMs)
        : undefined
    const timeout =
      settings.requestTimeoutMs > 0 ? AbortSignal.timeout(settings.requestTimeoutMs) : undefined
    if (timeout)
      options.request = {
        ...options.request,
        signal: state.signal ? AbortSignal.any([state.signal, timeout]) : timeout
      }
    try {
      const response = await request(options)
      done?.()
      return response
    } catch (error) {
      done?.()
      const timedOut = timeout?.aborted === true && state.signal?.aborted !== true
      state.lastFailure = failureLine(error, timedOut, settings.requestTimeoutMs)
      const status = (error as { status?: unknown }).status
      state.rateLimited = status === 403 || status === 429
      let failure = error
      if (timedOut && !(error instanceof RequestError)) {
        // the body was still arriving: make it the retryable network failure a failed fetch is
        failure = new RequestError(`no answer within ${settings.requestTimeoutMs} ms`, 500, {
          request: options
        })
        ;(failure as { cause?: unknown }).cause = error
      }
      const code = systemCodeOf(error)
      const connect = !timedOut && status === 500 && code !== undefined && CONNECT_CODES.has(code)
      // a refused connection is not retried: nothing was sent, and the same host refuses again
      if (connect) options.request = { ...options.request, retries: 0 }
      if (timedOut || connect)
        Object.defineProperty(failure, NETWORK_FAILURE, {
          configurable: true,
          value: {
            kind: connect ? 'connect' : 'timeout',
            apiUrl: settings.apiUrl,
            ...(connect ? { systemCode: code } : { timeoutMs: settings.requestTimeoutMs }),
            attempts: state.attempts
          } satisfies NetworkFailure
        })
      throw failure
    }
  })
  return { hubstore }
}

/**
 * Octokit plugin, registered last so its wrap is the outermost: a rate-limit error the client's
 * handler stopped waiting for carries the decision (bound or retries) to `toGitHubRequestError`.
 */
export function rateLimitDecisions(
  octokit: Octokit,
  octokitOptions: OctokitOptions
): Record<never, never> {
  const decisions = octokitOptions.hubstoreDecisions as
    WeakMap<object, RateLimitDecision> | undefined
  if (!decisions) return {}
  octokit.hook.wrap('request', async (request, options) => {
    try {
      return await request(options)
    } catch (error) {
      const decision = decisions.get(options)
      if (decision && typeof error === 'object' && error !== null)
        Object.defineProperty(error, RATE_LIMIT_DECISION, { configurable: true, value: decision })
      throw error
    }
  })
  return {}
}
