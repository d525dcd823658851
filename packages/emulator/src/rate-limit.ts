import type { Clock } from './clock.js'
import { RATE_LIMIT_UNAUTHENTICATED_PER_HOUR, RATE_LIMIT_WINDOW_SECONDS } from './limits.js'

/** One rate-limit bucket as GitHub reports it (`/rate_limit` `resources.core`, §5.3 headers). */
export interface RateStatus {
  limit: number
  used: number
  remaining: number
  /** Window end, UTC epoch seconds. */
  reset: number
}

/**
 * Admin override of primary budgets (`POST /_emulator/rate-limits`, docs/github-behaviour.md §5.3).
 * `token` absent = every token and anonymous callers. The current window gets `limit` with
 * `remaining` left (default `limit`) and ends in `reset_in_s` seconds (default 3600); later
 * windows get the full `limit`. An exhausted budget answers `status` (403 default, or 429).
 */
export interface BudgetInput {
  token?: string
  /** Bucket resource (default `core`). */
  resource?: RateResource
  /** Requests per window (≥ 0). */
  limit: number
  remaining?: number
  /** Seconds until the current window resets (emulated clock). */
  reset_in_s?: number
  status?: 403 | 429
}

/**
 * Admin rule for secondary limits (`POST /_emulator/secondary-limits`, docs/github-behaviour.md
 * §5.2, §5.3): the next `count` API requests of `token` (absent = anyone, anonymous included)
 * whose method is in `methods` (absent = any) answer `status` (403 default, or 429) with
 * `retry-after: retry_after_s` and GitHub's "secondary rate limit" message.
 */
export interface SecondaryLimitInput {
  token?: string
  count: number
  retry_after_s: number
  status?: 403 | 429
  methods?: string[]
}

/** A secondary-limit rule as stored and listed; `remaining` counts down to 0, then it is dropped. */
export interface SecondaryLimitRule {
  token: string | null
  remaining: number
  retry_after_s: number
  status: 403 | 429
  methods: string[] | null
}

const ALL = '*'

/**
 * Primary rate limits of one emulator instance (docs/github-behaviour.md §5.1, §5.3): one
 * budget per key (a token, or `anonymous`), an hour window starting at the key's first
 * request and starting afresh once `reset` has passed (by the emulated clock). The admin API
 * can override budgets (`setBudget`) and queue secondary-limit answers (`addSecondaryLimit`).
 */
export class RateLimiter {
  private windows = new Map<string, { reset: number; used: number }>()
  /** Overridden limits and exhaustion statuses, by bucket key or `<resource>:*`. */
  private budgets = new Map<string, { limit: number; status: 403 | 429 }>()
  /** First window of every bucket of a resource after a `setBudget` without a token. */
  private seeds = new Map<string, { reset: number; used: number }>()
  private secondary: SecondaryLimitRule[] = []

  constructor(private readonly clock: Clock) {}

  /** The bucket's state without spending anything (`limit` unless the admin API overrode it). */
  status(key: string, limit: number): RateStatus {
    const w = this.window(key)
    const max = this.limitOf(key, limit)
    return { limit: max, used: w.used, remaining: Math.max(0, max - w.used), reset: w.reset }
  }

  /**
   * Spends `points` (default one request; a GraphQL query's cost, §12.5). Returns `null` (and
   * spends nothing) when fewer than `points` remain.
   */
  consume(key: string, limit: number, points = 1): RateStatus | null {
    const w = this.window(key)
    if (w.used + points > this.limitOf(key, limit)) return null
    w.used += points
    return this.status(key, limit)
  }

  /**
   * Gives back one spent request (a `304 Not Modified` answer is free, docs/github-behaviour.md §8
   * item 7).
   */
  refund(key: string, limit: number): RateStatus {
    const w = this.window(key)
    if (w.used > 0) w.used -= 1
    return this.status(key, limit)
  }

  /** HTTP status of an exhausted bucket: 403 unless the admin API chose 429. */
  exceededStatus(key: string): 403 | 429 {
    return (this.budgets.get(key) ?? this.budgets.get(`${resourceOf(key)}:${ALL}`))?.status ?? 403
  }

  /**
   * Admin: overrides the budget of one token or of every caller (see `BudgetInput`) and answers
   * the resulting state of that bucket (`token` absent: the anonymous bucket).
   */
  setBudget(input: BudgetInput): RateStatus {
    const resource = input.resource ?? 'core'
    const now = this.clock.epochSeconds()
    const window = {
      reset: now + (input.reset_in_s ?? RATE_LIMIT_WINDOW_SECONDS),
      used: input.limit - Math.min(input.remaining ?? input.limit, input.limit)
    }
    const budget = { limit: input.limit, status: input.status ?? 403 }
    let key: string
    if (input.token === undefined) {
      for (const map of [this.windows, this.budgets])
        for (const k of [...map.keys()]) if (resourceOf(k) === resource) map.delete(k)
      this.budgets.set(`${resource}:${ALL}`, budget)
      this.seeds.set(resource, window)
      key = `${resource}:anonymous`
    } else {
      key = `${resource}:token:${input.token}`
      this.budgets.set(key, budget)
      this.windows.set(key, window)
    }
    return this.status(key, input.limit)
  }

  /** Admin: queues a secondary-limit rule (see `SecondaryLimitInput`). */
  addSecondaryLimit(input: SecondaryLimitInput): SecondaryLimitRule {
    const rule: SecondaryLimitRule = {
      token: input.token ?? null,
      remaining: input.count,
      retry_after_s: input.retry_after_s,
      status: input.status ?? 403,
      methods: input.methods ? input.methods.map((m) => m.toUpperCase()) : null
    }
    this.secondary.push(rule)
    return { ...rule }
  }

  /** The queued secondary-limit rules (copies). */
  secondaryLimits(): SecondaryLimitRule[] {
    return this.secondary.map((r) => ({ ...r }))
  }

  /** Admin: drops every secondary-limit rule. */
  clearSecondaryLimits(): void {
    this.secondary = []
  }

  /**
   * Spends one answer of the first secondary-limit rule matching this request (`token` `null`
   * = anonymous), or returns `null` when none matches.
   */
  takeSecondaryLimit(token: string | null, method: string): SecondaryLimitRule | null {
    const rule = this.secondary.find(
      (r) =>
        (r.token === null || r.token === token) &&
        (r.methods === null || r.methods.includes(method.toUpperCase()))
    )
    if (!rule) return null
    rule.remaining -= 1
    if (rule.remaining <= 0) this.secondary.splice(this.secondary.indexOf(rule), 1)
    return { ...rule }
  }

  /** Forgets every bucket, override and secondary-limit rule. */
  clear(): void {
    this.windows.clear()
    this.budgets.clear()
    this.seeds.clear()
    this.secondary = []
  }

  private limitOf(key: string, limit: number): number {
    return (this.budgets.get(key) ?? this.budgets.get(`${resourceOf(key)}:${ALL}`))?.limit ?? limit
  }

  private window(key: string): { reset: number; used: number } {
    const now = this.clock.epochSeconds()
    let w = this.windows.get(key)
    if (!w || now >= w.reset) {
      const seed = this.seeds.get(resourceOf(key))
      w =
        seed && now < seed.reset ? { ...seed } : { reset: now + RATE_LIMIT_WINDOW_SECONDS, used: 0 }
      this.windows.set(key, w)
    }
    return w
  }
}

/** The resource part of a bucket key (`core:token:x` → `core`). */
function resourceOf(key: string): string {
  return key.slice(0, key.indexOf(':'))
}

/** The rate-limit resources the emulator reports. */
export type RateResource = 'core' | 'graphql'

/** Minimal view of a caller for rate limiting. */
interface RateCaller {
  token: { token: string; rate_limit_per_hour: number }
}

/** Bucket key and hourly limit of a caller: its token's budget, or 60/h anonymous (§5.1). */
export function rateBucket(
  caller: RateCaller | null,
  resource: RateResource
): { key: string; limit: number } {
  if (!caller)
    return {
      key: `${resource}:anonymous`,
      limit: resource === 'core' ? RATE_LIMIT_UNAUTHENTICATED_PER_HOUR : 0
    }
  return { key: `${resource}:token:${caller.token.token}`, limit: caller.token.rate_limit_per_hour }
}

/** The caller's bucket for `resource`, without spending anything. */
export function rateStatusFor(
  ctx: { rate: RateLimiter },
  caller: RateCaller | null,
  resource: RateResource
): RateStatus {
  const { key, limit } = rateBucket(caller, resource)
  return ctx.rate.status(key, limit)
}
