/**
 * The budget governor of the activity loops: a reserve, on top of two mechanisms it does not
 * repeat. `createGitHubClient` (src/github/client.ts) waits out `retry-after` and reset times
 * through plugin-throttling; spend.ts counts what each client spends (REST requests, GraphQL
 * points; a 304 is free) and keeps the last `x-ratelimit-*` window seen per resource. The
 * governor reads those windows and refuses to send a request that would dip into the reserve
 * (default 10 % of the limit), so a sweep never eats the quota that webhooks and users need
 * (docs/activity-sweeps.md §3).
 */
import type { HubstoreOctokit } from '../github/client.js'
import { isoSeconds } from '../github/request.js'
import { BudgetReserveError } from '../errors/activity-sync.js'
import { InvalidOptionsError } from '../errors/github.js'
import { meterOf } from './spend.js'

/** One rate-limit window as last seen in a response. */
export interface BudgetWindow {
  limit: number
  remaining: number
  /** epoch ms */
  resetAt: number
}

/** Options of {@link BudgetGovernor}. */
export interface GovernorOptions {
  /** Share of each limit kept back, 0 to below 100 (default 10, Airbyte's habit). `0` = none. */
  reservePercent?: number
  /** Clock, epoch ms (default `Date.now`); a window whose reset has passed is not enforced. */
  now?: () => number
}

/** 10 %: the default reserve. */
export const DEFAULT_RESERVE_PERCENT = 10

type Resource = 'core' | 'graphql'

/** GitHub's bucket for a request URL; `null` for `GET /rate_limit`, which spends nothing. */
function resourceOf(url: string): Resource | null {
  let path: string
  try {
    path = new URL(url, 'http://github.invalid').pathname
  } catch {
    return 'core'
  }
  // GET /rate_limit does not count against the primary rate limit (docs/github-behaviour.md §5.3)
  if (path.endsWith('/rate_limit')) return null
  return path.endsWith('/graphql') ? 'graphql' : 'core'
}

/**
 * Keeps a reserve of every attached client's rate limits. One governor per set of clients (a
 * sweep, a process); `attach` each client with the name of its budget (`token`,
 * `installation:<id>`), used in the error.
 */
export class BudgetGovernor {
  readonly reservePercent: number
  private readonly now: () => number
  private readonly clients = new Map<string, HubstoreOctokit>()
  private readonly attached = new WeakSet<object>()

  /** @throws InvalidOptionsError (`INVALID_OPTIONS`) for a reserve outside 0 to below 100 */
  constructor(options: GovernorOptions = {}) {
    const pct = options.reservePercent ?? DEFAULT_RESERVE_PERCENT
    if (!(pct >= 0 && pct < 100))
      throw new InvalidOptionsError('reservePercent', 'a number from 0 to below 100', pct)
    this.reservePercent = pct
    this.now = options.now ?? Date.now
  }

  /**
   * Hooks `octokit` (once; later calls are no-ops): before each request, the last window
   * spend.ts saw for the request's resource is compared with the reserve.
   * @throws BudgetReserveError (`BUDGET_RESERVE_REACHED`, from the request, which is not sent)
   *   when that window's `remaining` is at or below the reserve and it has not reset yet
   */
  attach(octokit: HubstoreOctokit, budget: string): void {
    if (this.attached.has(octokit)) return
    this.attached.add(octokit)
    this.clients.set(budget, octokit)
    meterOf(octokit)
    octokit.hook.before('request', (options) => {
      const resource = resourceOf(String(options.url ?? ''))
      if (resource) this.check(octokit, budget, resource)
    })
  }

  /** The last seen window of `budget`'s `resource`, if any. */
  window(budget: string, resource: Resource): BudgetWindow | undefined {
    const octokit = this.clients.get(budget)
    return octokit ? windowOf(octokit, resource) : undefined
  }

  /** Requests (or points) kept back of a window of `limit`. */
  reserveOf(limit: number): number {
    return Math.ceil((limit * this.reservePercent) / 100)
  }

  /**
   * Whether `budget`'s last seen `resource` window is at or below the reserve and not reset yet:
   * the next request of that resource would be refused. `false` before any answer was seen.
   */
  atReserve(budget: string, resource: Resource): boolean {
    const octokit = this.clients.get(budget)
    return octokit ? this.refusal(octokit, budget, resource) !== null : false
  }

  private check(octokit: HubstoreOctokit, budget: string, resource: Resource): void {
    const refused = this.refusal(octokit, budget, resource)
    if (refused) throw refused
  }

  private refusal(
    octokit: HubstoreOctokit,
    budget: string,
    resource: Resource
  ): BudgetReserveError | null {
    const w = windowOf(octokit, resource)
    if (!w || this.reservePercent === 0 || this.now() >= w.resetAt) return null
    const reserve = this.reserveOf(w.limit)
    return w.remaining <= reserve
      ? new BudgetReserveError(budget, resource, w.remaining, reserve, isoSeconds(w.resetAt))
      : null
  }
}

/** The window spend.ts last saw for `octokit`'s `resource`, when it had a limit. */
function windowOf(octokit: HubstoreOctokit, resource: Resource): BudgetWindow | undefined {
  const seen = meterOf(octokit).limits.get(resource)
  if (!seen || seen.limit === null) return undefined
  return { limit: seen.limit, remaining: seen.remaining, resetAt: Date.parse(seen.reset_at) }
}
