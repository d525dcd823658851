/**
 * The one way hubstore reaches GitHub: `createGitHubClient` builds an Octokit with REST endpoint
 * methods, pagination, `@octokit/plugin-retry`, `@octokit/plugin-throttling` and a request counter.
 * Every default lives in `CLIENT_DEFAULTS`. Limiter state belongs to the client it was built for:
 * unlike plugin-throttling's module-global groups, two clients never delay each other.
 */
import { randomUUID } from 'node:crypto'
import { Octokit, type OctokitOptions } from '@octokit/core'
import { paginateRest } from '@octokit/plugin-paginate-rest'
import { restEndpointMethods } from '@octokit/plugin-rest-endpoint-methods'
import { retry } from '@octokit/plugin-retry'
import { throttling } from '@octokit/plugin-throttling'
import Bottleneck from 'bottleneck/light.js'
import { HUBSTORE_VERSION } from '../version.js'
import { InvalidOptionsError, RequestBudgetExceededError } from '../errors.js'

/** Decides whether to retry after a rate limit; `retryAfterSeconds` is GitHub's requested wait. */
export type RateLimitHandler = (
  retryAfterSeconds: number,
  request: { method: string; url: string },
  retryCount: number
) => boolean

/** Options of {@link createGitHubClient}; every field is optional (see `CLIENT_DEFAULTS`). */
export interface ClientOptions {
  /** Token (PAT, `GITHUB_TOKEN`, App installation token). Empty: unauthenticated. */
  token?: string
  /** REST API root, e.g. `https://ghe.example.com/api/v3` or an emulator's `url`. */
  baseUrl?: string
  /** `user-agent` prefix sent with every request. */
  userAgent?: string
  retry?: {
    /** Retry 5xx, 429, 409 and network failures (plugin-retry's policy). */
    enabled?: boolean
    /** Retries per request after the first attempt. */
    retries?: number
    /** Milliseconds per "second" of plugin-retry's (n+1)² s backoff; tests pass a few ms. */
    retryAfterBaseMs?: number
  }
  throttle?: {
    /** Queue requests (plugin-throttling) and honour rate-limit answers. */
    enabled?: boolean
    /** Limiter key; only clients given the same `id` AND limiter groups would share a queue. */
    id?: string
    /** Minimum milliseconds between two writes (POST/PATCH/PUT/DELETE) of this client. */
    writeSpacingMs?: number
    /** Maximum concurrent requests of this client. */
    maxConcurrent?: number
    /** Rate-limit retries per request; the handlers below are only asked while under it. */
    retries?: number
    /** Milliseconds per second of a rate-limit wait (`retry-after`, reset time); tests shrink it. */
    retryAfterBaseMs?: number
    /** Asked on a primary rate limit (403/429 with `x-ratelimit-remaining: 0`). */
    onRateLimit?: RateLimitHandler
    /** Asked on a secondary rate limit (403/429 "secondary rate limit"). */
    onSecondaryRateLimit?: RateLimitHandler
  }
  /**
   * A client-side request budget (gh-store's `config.yml` `store.rate_limit.max_requests_per_hour`,
   * docs/gh-store-format.md §5.3): before each HTTP attempt (retries included) the client counts
   * the attempts it sent in the last hour; at `maxRequestsPerHour` it sends nothing and throws
   * `RequestBudgetExceededError`. Absent: no budget (GitHub's own limits still apply).
   */
  budget?: {
    /** requests per rolling hour, an integer ≥ 1 */
    maxRequestsPerHour: number
    /** clock in epoch milliseconds (default `Date.now`); tests pass the emulator's */
    now?: () => number
  }
}

type Defaults = Required<Omit<ClientOptions, 'retry' | 'throttle' | 'budget'>> & {
  retry: Required<NonNullable<ClientOptions['retry']>>
  throttle: Required<NonNullable<ClientOptions['throttle']>>
}

const retryWithinBudget: RateLimitHandler = () => true

/** Environment variable that overrides `CLIENT_DEFAULTS.throttle.writeSpacingMs` (milliseconds). */
export const WRITE_SPACING_ENV = 'HUBSTORE_WRITE_SPACING_MS'

/**
 * Every default of {@link createGitHubClient}, in one place. Getters are read per client, when
 * {@link createGitHubClient} runs (never at module load).
 */
export const CLIENT_DEFAULTS = {
  /** `''`: no `authorization` header (60 requests/hour per IP on github.com). */
  token: '',
  /** `process.env.GITHUB_API_URL` (set on every Actions runner, GHES included), else github.com. */
  get baseUrl() {
    return process.env.GITHUB_API_URL || 'https://api.github.com'
  },
  /** `hubstore/<version>` (Octokit appends its own identifiers). */
  userAgent: `hubstore/${HUBSTORE_VERSION}`,
  retry: {
    enabled: true,
    /** 3 retries: waits of 1 s, 4 s, 9 s (plugin-retry's schedule). */
    retries: 3,
    /** 1000 ms = real seconds. */
    retryAfterBaseMs: 1000
  },
  throttle: {
    enabled: true,
    /** A fresh UUID per client, so unrelated clients never share limiter state. */
    get id() {
      return `hubstore-${randomUUID()}`
    },
    /**
     * 1000 ms: GitHub's advice to wait a second between mutative requests. The environment
     * variable `HUBSTORE_WRITE_SPACING_MS` overrides it for every client of the process (the
     * test suite sets 0 against the emulator, which has no secondary rate limit to respect).
     */
    get writeSpacingMs() {
      const fromEnv = process.env[WRITE_SPACING_ENV]
      return fromEnv === undefined || fromEnv === '' ? 1000 : Number(fromEnv)
    },
    /** 10 concurrent requests (plugin-throttling's default; GitHub allows 100). */
    maxConcurrent: 10,
    /** 3 rate-limit retries per request. */
    retries: 3,
    /** 1000 ms = real seconds. */
    retryAfterBaseMs: 1000,
    /** Retry (while under `retries`). */
    onRateLimit: retryWithinBudget,
    /** Retry (while under `retries`). */
    onSecondaryRateLimit: retryWithinBudget
  }
} satisfies Defaults

/** Requests this client has sent (every HTTP attempt, retries included). */
export interface RequestCounter {
  requests: number
  writes: number
}

/** One hour, in milliseconds: the window of `ClientOptions.budget`. */
const HOUR_MS = 3_600_000

function requestCounter(octokit: Octokit, options: OctokitOptions): { hubstore: RequestCounter } {
  const hubstore: RequestCounter = { requests: 0, writes: 0 }
  const budget = (options as { hubstoreBudget?: ClientOptions['budget'] }).hubstoreBudget
  const sentAt: number[] = []
  // Registered before retry and throttling, so this wrap is innermost: it sees each attempt.
  octokit.hook.wrap('request', async (request, options) => {
    if (budget) {
      const now = (budget.now ?? Date.now)()
      while (sentAt.length > 0 && sentAt[0]! <= now - HOUR_MS) sentAt.shift()
      if (sentAt.length >= budget.maxRequestsPerHour) {
        const path = new URL(String(options.url), 'http://github.invalid').pathname
        throw new RequestBudgetExceededError(budget.maxRequestsPerHour, `${options.method} ${path}`)
      }
      sentAt.push(now)
    }
    hubstore.requests += 1
    if (options.method !== 'GET' && options.method !== 'HEAD') hubstore.writes += 1
    return request(options)
  })
  return { hubstore }
}

const HubstoreOctokitClass = Octokit.plugin(
  requestCounter,
  restEndpointMethods,
  paginateRest,
  retry,
  throttling
)

/** The Octokit type every core function takes; `client.hubstore.requests` counts requests. */
export type HubstoreOctokit = InstanceType<typeof HubstoreOctokitClass>

/**
 * Builds the Octokit every hubstore operation uses.
 *
 * - Base URL: `options.baseUrl`, else `GITHUB_API_URL`, else `https://api.github.com`.
 * - Retries (plugin-retry 8): 5xx, 429, 409 and network failures, `retries` times, waiting
 *   (n+1)² × `retryAfterBaseMs` ms. 400/401/403/404/410/422/451 are never retried.
 * - Throttling (plugin-throttling 11) with limiter groups owned by this client: at most
 *   `maxConcurrent` requests in flight, writes `writeSpacingMs` ms apart (plugin-throttling's
 *   own 3 s spacing for notification-triggering writes is replaced by the same value), search
 *   2 s apart; rate-limit answers are waited out and retried up to `throttle.retries` times.
 *
 * @throws InvalidOptionsError (`INVALID_OPTIONS`) for a negative or non-integer number option.
 */
export function createGitHubClient(options: ClientOptions = {}): HubstoreOctokit {
  const state = resolveOptions(options)
  const { throttle } = state
  const limitHandler =
    (handler: RateLimitHandler) =>
    (retryAfter: number, request: { method: string; url: string }, _o: unknown, count: number) =>
      count < throttle.retries &&
      handler(retryAfter, { method: request.method, url: request.url }, count)
  const group = (kind: string, settings: Bottleneck.ConstructorOptions) =>
    new Bottleneck.Group({ id: `${throttle.id}-${kind}`, ...settings })
  return new HubstoreOctokitClass({
    ...(state.token ? { auth: state.token } : {}),
    ...(options.budget ? { hubstoreBudget: options.budget } : {}),
    baseUrl: state.baseUrl.replace(/\/+$/, ''),
    userAgent: state.userAgent,
    retry: {
      enabled: state.retry.enabled,
      retries: state.retry.retries,
      retryAfterBaseValue: state.retry.retryAfterBaseMs
    },
    throttle: throttle.enabled
      ? {
          id: throttle.id,
          Bottleneck,
          retryAfterBaseValue: throttle.retryAfterBaseMs,
          onRateLimit: limitHandler(throttle.onRateLimit),
          onSecondaryRateLimit: limitHandler(throttle.onSecondaryRateLimit),
          // plugin-throttling merges these over its module-global groups (dist-src/index.js).
          ...{
            global: group('global', { maxConcurrent: throttle.maxConcurrent }),
            auth: group('auth', { maxConcurrent: 1 }),
            search: group('search', { maxConcurrent: 1, minTime: 2000 }),
            write: group('write', { maxConcurrent: 1, minTime: throttle.writeSpacingMs }),
            notifications: group('notifications', {
              maxConcurrent: 1,
              minTime: throttle.writeSpacingMs
            })
          }
        }
      : { enabled: false }
  })
}

function resolveOptions(options: ClientOptions): Defaults {
  const d = CLIENT_DEFAULTS
  const state: Defaults = {
    token: options.token ?? d.token,
    baseUrl: options.baseUrl || d.baseUrl,
    userAgent: options.userAgent ?? d.userAgent,
    retry: { ...d.retry, ...definedOnly(options.retry) },
    throttle: { ...d.throttle, ...definedOnly(options.throttle) }
  }
  for (const [name, value, min] of [
    ['retry.retries', state.retry.retries, 0],
    ['retry.retryAfterBaseMs', state.retry.retryAfterBaseMs, 0],
    [
      options.throttle?.writeSpacingMs === undefined && process.env[WRITE_SPACING_ENV]
        ? WRITE_SPACING_ENV
        : 'throttle.writeSpacingMs',
      state.throttle.writeSpacingMs,
      0
    ],
    ['throttle.maxConcurrent', state.throttle.maxConcurrent, 1],
    ['throttle.retries', state.throttle.retries, 0],
    ['throttle.retryAfterBaseMs', state.throttle.retryAfterBaseMs, 0],
    ...(options.budget
      ? ([['budget.maxRequestsPerHour', options.budget.maxRequestsPerHour, 1]] as const)
      : [])
  ] as const) {
    if (!Number.isInteger(value) || value < min)
      throw new InvalidOptionsError(name, `an integer ≥ ${min}`, value)
  }
  return state
}

function definedOnly<T extends object>(value: T | undefined): Partial<T> {
  return Object.fromEntries(
    Object.entries(value ?? {}).filter(([, v]) => v !== undefined)
  ) as Partial<T>
}
