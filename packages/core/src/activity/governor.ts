/**
 * The budget governor of the activity loops: accounting and a reserve, on top of the client's
 * own rate-limit handling. `createGitHubClient` (src/github/client.ts) already waits out
 * `retry-after` and reset times through plugin-throttling; the governor does not repeat that.
 * It reads every answer's `x-ratelimit-*` headers (and GraphQL's `rateLimit { cost }`) per
 * budget (a token, an installation, the App), counts what a job spends (REST requests that
 * count against the primary limit, GraphQL points; a 304 is free), and refuses to send a
 * request that would dip into the reserve (default 10 % of the limit), so a sweep never eats
 * the quota that webhooks and users need (docs/activity-sweeps.md §3).
 */
import type { HubstoreOctokit } from '../github/client.js'
import { isoSeconds } from '../github/request.js'
import { BudgetReserveError } from '../errors/activity-sync.js'
import { InvalidOptionsError } from '../errors/github.js'

/** One rate-limit window as last seen in a response. */
export interface BudgetWindow {
  limit: number
  remaining: number
  /** epoch ms */
  resetAt: number
}

/** What a job spent, as the governor counted it. */
export interface Spend {
  /** REST answers that count against the primary rate limit (every status but 304). */
  restRequests: number
  /** GraphQL points charged (`rateLimit.cost`, else the drop in `x-ratelimit-remaining`, else 1). */
  graphqlPoints: number
  /** 304 answers (free: they do not count against the primary rate limit). */
  notModified: number
}

/** A running count of {@link Spend}; `stop()` detaches it. */
export interface SpendMeter extends Spend {
  stop(): Spend
}

/** Options of {@link BudgetGovernor}. */
export interface GovernorOptions {
  /** Share of each limit kept back, 0–100 (default 10, Airbyte's habit). `0` = no reserve. */
  reservePercent?: number
  /** Clock, epoch ms (default `Date.now`); a window whose reset has passed is not enforced. */
  now?: () => number
}

/** 10 %: the default reserve. */
export const DEFAULT_RESERVE_PERCENT = 10

type Resource = 'core' | 'graphql'

function header(headers: Record<string, unknown> | undefined, name: string): number | undefined {
  const value = headers?.[name]
  if (value === undefined || value === null || value === '') return undefined
  const n = Number(value)
  return Number.isFinite(n) ? n : undefined
}

function isGraphql(url: string): boolean {
  try {
    return new URL(url, 'http://github.invalid').pathname.endsWith('/graphql')
  } catch {
    return false
  }
}

function isFree(url: string): boolean {
  try {
    // GET /rate_limit does not count against the primary rate limit (docs/github-behaviour.md §5.1)
    return new URL(url, 'http://github.invalid').pathname.endsWith('/rate_limit')
  } catch {
    return false
  }
}

/**
 * Tracks rate-limit windows per budget and the spend of every running meter. One governor per
 * set of clients (an `activityClients`); `attach` each client once with its budget key.
 */
export class BudgetGovernor {
  readonly reservePercent: number
  private readonly now: () => number
  private readonly windows = new Map<string, Partial<Record<Resource, BudgetWindow>>>()
  private readonly meters = new Set<Spend>()
  private readonly attached = new WeakSet<object>()

  constructor(options: GovernorOptions = {}) {
    const pct = options.reservePercent ?? DEFAULT_RESERVE_PERCENT
    if (!(pct >= 0 && pct < 100))
      throw new InvalidOptionsError('reservePercent', 'a number from 0 to below 100', pct)
    this.reservePercent = pct
    this.now = options.now ?? Date.now
  }

  /**
   * Hooks `octokit` (once; later calls are no-ops): before each request the reserve of
   * `budget` is checked, after each answer (or failure) its headers are read and the spend
   * counted.
   * @throws BudgetReserveError (`BUDGET_RESERVE_REACHED`, from the request) when the last seen
   *   `remaining` of the request's resource is at or below the reserve and the window has not reset
   */
  attach(octokit: HubstoreOctokit, budget: string): void {
    if (this.attached.has(octokit)) return
    this.attached.add(octokit)
    octokit.hook.before('request', (options) => {
      const url = String(options.url ?? '')
      if (!isFree(url)) this.check(budget, isGraphql(url) ? 'graphql' : 'core')
    })
    octokit.hook.after('request', (response, options) => {
      this.observe(
        budget,
        String(options.url ?? ''),
        response.status,
        response.headers,
        response.data
      )
    })
    octokit.hook.error('request', (error, options) => {
      const e = error as { status?: number; response?: { headers?: Record<string, unknown> } }
      if (e.response)
        this.observe(
          budget,
          String(options.url ?? ''),
          e.status ?? 0,
          e.response.headers,
          undefined
        )
      throw error
    })
  }

  /** Starts counting what every attached client spends from now on. */
  meter(): SpendMeter {
    const spend: Spend = { restRequests: 0, graphqlPoints: 0, notModified: 0 }
    this.meters.add(spend)
    const meters = this.meters
    return Object.assign(spend, {
      stop(): Spend {
        meters.delete(spend)
        return {
          restRequests: spend.restRequests,
          graphqlPoints: spend.graphqlPoints,
          notModified: spend.notModified
        }
      }
    })
  }

  /** The last seen window of `budget`'s `resource`, if any. */
  window(budget: string, resource: Resource): BudgetWindow | undefined {
    return this.windows.get(budget)?.[resource]
  }

  /** Requests (or points) kept back of a window of `limit`. */
  reserveOf(limit: number): number {
    return Math.ceil((limit * this.reservePercent) / 100)
  }

  /** The lowest `remaining` seen over every budget, per resource (for health reports). */
  summary(): { core: BudgetWindow | null; graphql: BudgetWindow | null } {
    const lowest = (resource: Resource) => {
      let best: BudgetWindow | null = null
      for (const w of this.windows.values()) {
        const x = w[resource]
        if (x && (!best || x.remaining < best.remaining)) best = x
      }
      return best
    }
    return { core: lowest('core'), graphql: lowest('graphql') }
  }

  /** @throws BudgetReserveError, see {@link attach} */
  check(budget: string, resource: Resource): void {
    const w = this.window(budget, resource)
    if (!w || this.reservePercent === 0) return
    if (this.now() >= w.resetAt) return
    const reserve = this.reserveOf(w.limit)
    if (w.remaining <= reserve)
      throw new BudgetReserveError(budget, resource, w.remaining, reserve, isoSeconds(w.resetAt))
  }

  private observe(
    budget: string,
    url: string,
    status: number,
    headers: Record<string, unknown> | undefined,
    data: unknown
  ): void {
    const graphql = isGraphql(url)
    const resource: Resource = graphql ? 'graphql' : 'core'
    const previous = this.window(budget, resource)
    const limit = header(headers, 'x-ratelimit-limit')
    const remaining = header(headers, 'x-ratelimit-remaining')
    const reset = header(headers, 'x-ratelimit-reset')
    const named = headers?.['x-ratelimit-resource']
    if (
      limit !== undefined &&
      remaining !== undefined &&
      reset !== undefined &&
      (named === undefined || named === resource)
    ) {
      const windows = this.windows.get(budget) ?? {}
      windows[resource] = { limit, remaining, resetAt: reset * 1000 }
      this.windows.set(budget, windows)
    }
    if (isFree(url)) return
    if (graphql) {
      const cost = (data as { data?: { rateLimit?: { cost?: unknown } } } | undefined)?.data
        ?.rateLimit?.cost
      let points = typeof cost === 'number' ? cost : 1
      if (
        typeof cost !== 'number' &&
        previous &&
        remaining !== undefined &&
        reset !== undefined &&
        previous.resetAt === reset * 1000 &&
        previous.remaining > remaining
      )
        points = previous.remaining - remaining
      for (const m of this.meters) m.graphqlPoints += points
      return
    }
    for (const m of this.meters) {
      if (status === 304) m.notModified += 1
      else m.restRequests += 1
    }
  }
}
