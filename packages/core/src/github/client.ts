/**
 * The one way hubstore reaches GitHub: `createGitHubClient` builds an Octokit with REST endpoint
 * methods, pagination, `@octokit/plugin-retry`, `@octokit/plugin-throttling` and a request counter.
 * Every default lives in `CLIENT_DEFAULTS`. Limiter state belongs to the client it was built for:
 * unlike plugin-throttling's module-global groups, two clients never delay each other.
 */
import { randomUUID } from 'node:crypto'
import { createAppAuth } from '@octokit/auth-app'
import { Octokit } from '@octokit/core'
import { paginateRest } from '@octokit/plugin-paginate-rest'
import { restEndpointMethods } from '@octokit/plugin-rest-endpoint-methods'
import { retry } from '@octokit/plugin-retry'
import { throttling } from '@octokit/plugin-throttling'
import Bottleneck from 'bottleneck/light.js'
import { HUBSTORE_VERSION } from '../version.js'
import { InvalidOptionsError } from '../errors.js'
import { isoSeconds, type RateLimitDecision } from './request.js'
import { rateLimitDecisions, transport } from './transport.js'

export type { RequestCounter } from './transport.js'

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
  /**
   * GitHub App credentials instead of `token` (through `@octokit/auth-app`): with
   * `installationId` the client acts as that installation (its token minted on first use and
   * cached by auth-app; `cache` replaces auth-app's 59-minute LRU), without it as the App (a
   * JWT, for `/app/…` routes). docs/github-behaviour.md §7.
   */
  app?: AppCredentials
  /** REST API root, e.g. `https://ghe.example.com/api/v3` or an emulator's `url`. */
  baseUrl?: string
  /** `user-agent` prefix sent with every request. */
  userAgent?: string
  /**
   * Milliseconds one HTTP attempt may take (until its body has arrived) before it is aborted and,
   * like a network failure, retried (`retry`); `0` = no limit (fetch's own is 300 s).
   */
  requestTimeoutMs?: number
  /** Receives one line per retry and per rate-limit wait (default: standard error). */
  log?: (line: string) => void
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
    /**
     * Minimum milliseconds between the answer to one write (REST POST/PATCH/PUT/DELETE, GraphQL
     * mutation) of this client and the send of the next; writes then go one at a time.
     */
    writeSpacingMs?: number
    /** Maximum concurrent requests of this client. */
    maxConcurrent?: number
    /** Rate-limit retries per request; the handlers below are only asked while under it. */
    retries?: number
    /** Milliseconds per second of a rate-limit wait (`retry-after`, reset time); tests shrink it. */
    retryAfterBaseMs?: number
    /**
     * Longest time, in milliseconds, the client waits out rate limits for one request (all its
     * waits together). A longer wait fails at once with `RateLimitedError` (`RATE_LIMITED`).
     */
    maxRateLimitWaitMs?: number
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

/** What {@link ClientOptions.app} takes: `@octokit/auth-app`'s strategy options. */
export interface AppCredentials {
  appId: number | string
  /** PEM (PKCS#1 or PKCS#8) */
  privateKey: string
  installationId?: number
  /**
   * Replaces auth-app's token cache: `get` answers the stored value, or `undefined` to make
   * auth-app mint a new token; values are auth-app's `token|createdAt|expiresAt|…` strings.
   */
  cache?: {
    get(key: string): string | undefined | Promise<string | undefined>
    set(key: string, value: string): unknown
  }
}

type Defaults = Required<Omit<ClientOptions, 'retry' | 'throttle' | 'budget' | 'app'>> & {
  retry: Required<NonNullable<ClientOptions['retry']>>
  throttle: Required<NonNullable<ClientOptions['throttle']>>
}

const retryWithinBudget: RateLimitHandler = () => true

/** Environment variable that overrides `CLIENT_DEFAULTS.throttle.writeSpacingMs` (milliseconds). */
export const WRITE_SPACING_ENV = 'HUBSTORE_WRITE_SPACING_MS'
/** Environment variable that overrides `CLIENT_DEFAULTS.retry.retryAfterBaseMs` (milliseconds). */
export const RETRY_AFTER_BASE_ENV = 'HUBSTORE_RETRY_AFTER_BASE_MS'

function fromEnv(name: string, fallback: number): number {
  const value = process.env[name]
  return value === undefined || value === '' ? fallback : Number(value)
}

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
  /** 30,000 ms per attempt. */
  requestTimeoutMs: 30_000,
  /** One line on standard error. */
  log: (line: string) => void process.stderr.write(`${line}\n`),
  retry: {
    enabled: true,
    /** 3 retries: waits of 1 s, 4 s, 9 s (plugin-retry's schedule). */
    retries: 3,
    /**
     * 1000 ms = real seconds. The environment variable `HUBSTORE_RETRY_AFTER_BASE_MS` overrides
     * it for every client of the process (tests of the CLI and the actions shrink the waits).
     */
    get retryAfterBaseMs() {
      return fromEnv(RETRY_AFTER_BASE_ENV, 1000)
    }
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
      return fromEnv(WRITE_SPACING_ENV, 1000)
    },
    /** 10 concurrent requests (plugin-throttling's default; GitHub allows 100). */
    maxConcurrent: 10,
    /** 3 rate-limit retries per request. */
    retries: 3,
    /** 1000 ms = real seconds. */
    retryAfterBaseMs: 1000,
    /** 300,000 ms (5 minutes): longer waits fail with `RATE_LIMITED` instead of holding a runner. */
    maxRateLimitWaitMs: 300_000,
    /** Retry (while under `retries`). */
    onRateLimit: retryWithinBudget,
    /** Retry (while under `retries`). */
    onSecondaryRateLimit: retryWithinBudget
  }
} satisfies Defaults

// `transport` first: its wrap is the innermost, it sees each attempt; `rateLimitDecisions` last.
const HubstoreOctokitClass = Octokit.plugin(
  transport,
  restEndpointMethods,
  paginateRest,
  retry,
  throttling,
  rateLimitDecisions
)

/** The Octokit type every core function takes; `client.hubstore.requests` counts requests. */
export type HubstoreOctokit = InstanceType<typeof HubstoreOctokitClass>

/**
 * Builds the Octokit every hubstore operation uses.
 *
 * - Base URL: `options.baseUrl`, else `GITHUB_API_URL`, else `https://api.github.com`; it must
 *   be an http(s) URL.
 * - Timeout: each HTTP attempt is aborted after `requestTimeoutMs` ms (30 s) and retried as a
 *   network failure; after the last retry it fails with `GitHubUnreachableError` (`timeout`).
 * - Retries (plugin-retry 8): 5xx, 409, timeouts and network failures (and 429 when throttling
 *   is off), `retries` times, waiting (n+1)² × `retryAfterBaseMs` ms; one `log` line per retry.
 *   400/401/403/404/410/422/451 are never retried, nor a refused connection (`ECONNREFUSED`,
 *   `ENOTFOUND`, a port fetch blocks…: fails at once).
 * - Throttling (plugin-throttling 11) with limiter groups owned by this client: at most
 *   `maxConcurrent` requests in flight, search 2 s apart. Writes (REST POST/PATCH/PUT/DELETE and
 *   GraphQL mutations; GraphQL queries are reads) are sent one at a time, each at least
 *   `writeSpacingMs` ms after the previous write was answered (by the clock, just before the
 *   send; `0`: no spacing and no queue). Rate-limit answers (docs/github-behaviour.md §5.3) are
 *   logged with their reason and reset time and waited out, up to `throttle.retries` times and
 *   `maxRateLimitWaitMs` ms in all per request; past either, the request fails.
 *
 * Errors reach callers as Octokit `RequestError`s; core turns them into `RateLimitedError`,
 * `GitHubUnreachableError` or `GitHubRequestError` (src/github/request.ts).
 *
 * @throws InvalidOptionsError (`INVALID_OPTIONS`) for a negative or non-integer number option,
 *   or a base URL that is not an http(s) URL.
 */
export function createGitHubClient(options: ClientOptions = {}): HubstoreOctokit {
  const state = resolveOptions(options)
  const { throttle } = state
  const decisions = new WeakMap<object, RateLimitDecision>()
  const waited = new WeakMap<object, number>()
  const limitHandler =
    (reason: 'primary' | 'secondary', handler: RateLimitHandler) =>
    (retryAfter: number, request: { method: string; url: string }, _o: unknown, count: number) => {
      const waitMs = retryAfter * throttle.retryAfterBaseMs
      const total = (waited.get(request) ?? 0) + waitMs
      // the reset is a time of day: GitHub's seconds, whatever retryAfterBaseMs scales the wait to
      const resetAt = isoSeconds(Date.now() + (retryAfter - (reason === 'primary' ? 1 : 0)) * 1000)
      const line = `${request.method} ${pathOnly(request.url)}`
      const gaveUp =
        count >= throttle.retries ? 'retries' : total > throttle.maxRateLimitWaitMs ? 'bound' : null
      if (gaveUp) {
        decisions.set(request, { maxWaitMs: throttle.maxRateLimitWaitMs, gaveUp })
        state.log(
          `hubstore: ${reason} rate limit on ${line}, lifting at ${resetAt}: not waiting ` +
            (gaveUp === 'bound'
              ? `${waitMs} ms (over the ${throttle.maxRateLimitWaitMs} ms bound)`
              : `again (${count} retries made)`)
        )
        return false
      }
      const retrying = handler(retryAfter, { method: request.method, url: request.url }, count)
      if (retrying) {
        waited.set(request, total)
        state.log(
          `hubstore: ${reason} rate limit on ${line}, lifting at ${resetAt}: waiting ${waitMs} ms ` +
            `(retry ${count + 1} of ${throttle.retries})`
        )
      }
      return retrying
    }
  const group = (kind: string, settings: Bottleneck.ConstructorOptions) =>
    new Bottleneck.Group({ id: `${throttle.id}-${kind}`, ...settings })
  const baseUrl = state.baseUrl.replace(/\/+$/, '')
  return new HubstoreOctokitClass({
    ...(options.app
      ? {
          authStrategy: createAppAuth,
          auth: {
            appId: options.app.appId,
            privateKey: options.app.privateKey,
            // auth-app's warnings (clock skew, token replication retries) go to the client's log
            log: { warn: (message: string) => state.log(`hubstore: ${message}`) },
            ...(options.app.installationId !== undefined
              ? { installationId: options.app.installationId }
              : {}),
            // auth-app's type says `get` answers a string; `undefined` is what its LRU answers too
            ...(options.app.cache
              ? {
                  cache: options.app.cache as {
                    get(key: string): string
                    set(k: string, v: string): unknown
                  }
                }
              : {})
          }
        }
      : state.token
        ? { auth: state.token }
        : {}),
    ...(options.budget ? { hubstoreBudget: options.budget } : {}),
    baseUrl,
    userAgent: state.userAgent,
    hubstoreTransport: {
      apiUrl: baseUrl,
      spaceWrites: throttle.enabled,
      writeSpacingMs: throttle.writeSpacingMs,
      requestTimeoutMs: state.requestTimeoutMs,
      log: state.log
    },
    hubstoreDecisions: decisions,
    retry: {
      enabled: state.retry.enabled,
      retries: state.retry.retries,
      retryAfterBaseValue: state.retry.retryAfterBaseMs,
      // plugin-retry's list, plus 429 while throttling is on: a 429 is a rate limit, which the
      // throttling handlers wait out within maxRateLimitWaitMs; a second retry loop would not
      doNotRetry: [400, 401, 403, 404, 410, 422, 451, ...(throttle.enabled ? [429] : [])]
    },
    throttle: throttle.enabled
      ? {
          id: throttle.id,
          Bottleneck,
          retryAfterBaseValue: throttle.retryAfterBaseMs,
          onRateLimit: limitHandler('primary', throttle.onRateLimit),
          onSecondaryRateLimit: limitHandler('secondary', throttle.onSecondaryRateLimit),
          // plugin-throttling merges these over its module-global groups (dist-src/index.js).
          // Its write and notification groups space planned starts, and GraphQL queries with
          // them; the transport spaces the actual sends of writes instead, so these pass through.
          ...{
            global: group('global', { maxConcurrent: throttle.maxConcurrent }),
            auth: group('auth', { maxConcurrent: 1 }),
            search: group('search', { maxConcurrent: 1, minTime: 2000 }),
            write: group('write', {}),
            notifications: group('notifications', {})
          }
        }
      : { enabled: false }
  })
}

function pathOnly(url: string): string {
  try {
    return new URL(url, 'http://github.invalid').pathname
  } catch {
    return url
  }
}

function resolveOptions(options: ClientOptions): Defaults {
  const d = CLIENT_DEFAULTS
  const state: Defaults = {
    token: options.token ?? d.token,
    baseUrl: options.baseUrl || d.baseUrl,
    userAgent: options.userAgent ?? d.userAgent,
    requestTimeoutMs: options.requestTimeoutMs ?? d.requestTimeoutMs,
    log: options.log ?? d.log,
    retry: { ...d.retry, ...definedOnly(options.retry) },
    throttle: { ...d.throttle, ...definedOnly(options.throttle) }
  }
  const envName = (option: unknown, env: string, name: string) =>
    option === undefined && process.env[env] ? env : name
  for (const [name, value, min] of [
    ['retry.retries', state.retry.retries, 0],
    [
      envName(options.retry?.retryAfterBaseMs, RETRY_AFTER_BASE_ENV, 'retry.retryAfterBaseMs'),
      state.retry.retryAfterBaseMs,
      0
    ],
    [
      envName(options.throttle?.writeSpacingMs, WRITE_SPACING_ENV, 'throttle.writeSpacingMs'),
      state.throttle.writeSpacingMs,
      0
    ],
    ['throttle.maxConcurrent', state.throttle.maxConcurrent, 1],
    ['throttle.retries', state.throttle.retries, 0],
    ['throttle.retryAfterBaseMs', state.throttle.retryAfterBaseMs, 0],
    ['throttle.maxRateLimitWaitMs', state.throttle.maxRateLimitWaitMs, 0],
    ['requestTimeoutMs', state.requestTimeoutMs, 0],
    ...(options.budget
      ? ([['budget.maxRequestsPerHour', options.budget.maxRequestsPerHour, 1]] as const)
      : [])
  ] as const) {
    if (!Number.isInteger(value) || value < min)
      throw new InvalidOptionsError(name, `an integer ≥ ${min}`, value)
  }
  if (apiUrlProblem(state.baseUrl) !== undefined)
    throw new InvalidOptionsError(
      options.baseUrl ? 'baseUrl' : 'GITHUB_API_URL',
      'an http(s) URL such as https://api.github.com',
      state.baseUrl
    )
  return state
}

/**
 * What is wrong with a REST API root given by a user (`--api-url`, the `api-url` input,
 * `GITHUB_API_URL`), or `undefined` when it is an absolute http(s) URL with a host.
 */
export function apiUrlProblem(value: string): string | undefined {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return 'is not a URL'
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return `uses ${url.protocol.replace(/:$/, '')}, not http or https`
  if (url.search || url.hash) return 'has a query or fragment'
  return undefined
}

function definedOnly<T extends object>(value: T | undefined): Partial<T> {
  return Object.fromEntries(
    Object.entries(value ?? {}).filter(([, v]) => v !== undefined)
  ) as Partial<T>
}
