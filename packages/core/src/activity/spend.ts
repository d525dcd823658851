/**
 * What a client spent: REST requests that counted against the primary rate limit (a 304
 * answer to a conditional request does not: docs/github-behaviour.md §12.4) and GraphQL
 * points, plus the budget the last answers showed (`x-ratelimit-*`, §5.3). Counted by an
 * Octokit `hook.after` / `hook.error` attached once per client (a WeakMap, no global state
 * beyond it); a job reads the difference of two {@link SpendMeter.snapshot}s.
 */
import type { HubstoreOctokit } from '../github/client.js'
import type { ActivityDb } from './types.js'

/** Cumulative spend of one client. */
export interface Spend {
  rest_requests: number
  graphql_points: number
}

/** The last budget seen per `x-ratelimit-resource` (`core`, `graphql` …). */
export interface SeenLimit {
  /** `x-ratelimit-limit`; `null` when the answer had none */
  limit: number | null
  remaining: number
  reset_at: string
  seen_at: string
}

export interface SpendMeter {
  snapshot(): Spend
  /** Spend since `before` (a snapshot). */
  since(before: Spend): Spend
  readonly limits: Map<string, SeenLimit>
}

const meters = new WeakMap<object, SpendMeter>()

type Headers = Record<string, string | number | undefined>

/** GraphQL points of one answer: its `rateLimit.cost` when the query asked for it, else 1. */
function graphqlPoints(data: unknown): number {
  const cost = (data as { data?: { rateLimit?: { cost?: unknown } } } | undefined)?.data?.rateLimit
    ?.cost
  return typeof cost === 'number' && cost >= 0 ? cost : 1
}

/** The meter of `octokit`, attached on first use. */
export function meterOf(octokit: HubstoreOctokit): SpendMeter {
  const existing = meters.get(octokit)
  if (existing) return existing
  const total: Spend = { rest_requests: 0, graphql_points: 0 }
  const limits = new Map<string, SeenLimit>()
  const seen = (url: string, status: number, headers: Headers | undefined, data: unknown) => {
    if (status === 304) return
    if (/\/graphql$/.test(url.split('?')[0])) total.graphql_points += graphqlPoints(data)
    else total.rest_requests += 1
    const resource = headers?.['x-ratelimit-resource']
    const remaining = Number(headers?.['x-ratelimit-remaining'])
    const reset = Number(headers?.['x-ratelimit-reset'])
    if (typeof resource === 'string' && Number.isFinite(remaining) && Number.isFinite(reset))
      limits.set(resource, {
        limit: Number.isFinite(Number(headers?.['x-ratelimit-limit']))
          ? Number(headers?.['x-ratelimit-limit'])
          : null,
        remaining,
        reset_at: new Date(reset * 1000).toISOString(),
        seen_at: new Date().toISOString()
      })
  }
  octokit.hook.after('request', (response, options) => {
    seen(String(options.url), response.status, response.headers as Headers, response.data)
  })
  octokit.hook.error('request', (error, options) => {
    const e = error as { status?: number; response?: { headers?: Headers; data?: unknown } }
    if (typeof e.status === 'number' && e.response)
      seen(String(options.url), e.status, e.response.headers, e.response.data)
    throw error
  })
  const meter: SpendMeter = {
    snapshot: () => ({ ...total }),
    since: (before) => ({
      rest_requests: total.rest_requests - before.rest_requests,
      graphql_points: total.graphql_points - before.graphql_points
    }),
    limits
  }
  meters.set(octokit, meter)
  return meter
}

/** Saves the budgets `meter` last saw into `rate_limits` (read by health.ts). */
export async function recordRateLimits(db: ActivityDb, meter: SpendMeter): Promise<void> {
  for (const [resource, l] of meter.limits)
    await db.run(
      `INSERT INTO rate_limits (resource, remaining, reset_at, seen_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (resource) DO UPDATE SET remaining = excluded.remaining,
         reset_at = excluded.reset_at, seen_at = excluded.seen_at`,
      [resource, l.remaining, l.reset_at, l.seen_at]
    )
}
