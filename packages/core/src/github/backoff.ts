/**
 * Full-jitter exponential backoff (AWS Architecture Blog, "Exponential Backoff And Jitter"), the
 * one implementation every retry loop of core uses: the wait before retry n (n ≥ 1, the first
 * retry being the second attempt) is uniform in [0, min(maxMs, baseMs × 2^(n−1))) milliseconds.
 * Random source and sleep are injectable, so tests pin the waits and skip the time.
 */

/** How a retry loop waits between attempts; every field has a default in `BACKOFF_DEFAULTS`. */
export interface BackoffOptions {
  /** Cap of the first wait (before the second attempt), milliseconds. */
  baseMs?: number
  /** Cap of any wait, milliseconds. */
  maxMs?: number
  /** Uniform random number in [0, 1); tests pass a fixed one. */
  random?: () => number
  /** Waits `ms` milliseconds; tests pass a recorder. */
  sleep?: (ms: number) => Promise<void>
}

/** Defaults of {@link BackoffOptions}. */
export const BACKOFF_DEFAULTS = {
  /** 100 ms */
  baseMs: 100,
  /** 3,000 ms */
  maxMs: 3000,
  random: Math.random,
  sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))
} satisfies Required<BackoffOptions>

/**
 * The wait, in whole milliseconds, before retry `retry` (1 = the first retry):
 * `floor(random() × min(maxMs, baseMs × 2^(retry−1)))`.
 */
export function fullJitterDelay(retry: number, options: BackoffOptions = {}): number {
  const base = options.baseMs ?? BACKOFF_DEFAULTS.baseMs
  const max = options.maxMs ?? BACKOFF_DEFAULTS.maxMs
  const random = options.random ?? BACKOFF_DEFAULTS.random
  const cap = Math.min(max, base * 2 ** Math.max(0, retry - 1))
  return Math.floor(random() * cap)
}
