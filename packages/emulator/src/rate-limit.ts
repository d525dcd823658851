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
 * Primary rate limits of one emulator instance (reference/github-api.md §5.1, §5.3): one
 * budget per key (a token, or `anonymous`), an hour window starting at the key's first
 * request and starting afresh once `reset` has passed (by the emulated clock).
 */
export class RateLimiter {
  private windows = new Map<string, { reset: number; used: number }>()

  constructor(private readonly clock: Clock) {}

  /** The bucket's state without spending anything. */
  status(key: string, limit: number): RateStatus {
    const w = this.window(key)
    return { limit, used: w.used, remaining: Math.max(0, limit - w.used), reset: w.reset }
  }

  /** Spends one request. Returns `null` (and spends nothing) when the budget is exhausted. */
  consume(key: string, limit: number): RateStatus | null {
    const w = this.window(key)
    if (w.used >= limit) return null
    w.used += 1
    return this.status(key, limit)
  }

  /** Forgets every bucket. */
  clear(): void {
    this.windows.clear()
  }

  private window(key: string): { reset: number; used: number } {
    const now = this.clock.epochSeconds()
    let w = this.windows.get(key)
    if (!w || now >= w.reset) {
      w = { reset: now + RATE_LIMIT_WINDOW_SECONDS, used: 0 }
      this.windows.set(key, w)
    }
    return w
  }
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
