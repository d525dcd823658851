/**
 * Every default of the sequence store, in one place (octokit plugins' habit: one defaults literal,
 * units in the names). `docs/github-behaviour.md §9` is the algorithm these numbers tune.
 */

/** Defaults of `SequenceStoreOptions` and `IncrementOptions`. */
export const SEQUENCE_DEFAULTS = {
  /** The file, compatible with the existing `sequence_data.json`. */
  path: 'sequence_data.json',
  /**
   * Budget and backoff of one increment or set (the compare-and-swap loop's `RetryOptions`): 10
   * attempts, none starting later than 60,000 ms after the first, full-jitter waits below
   * min(5,000, 200 × 2^(n−1)) ms before retry n (the same waits as "below min(5,000, 100 × 2^n)
   * after n failures").
   */
  retry: { maxAttempts: 10, maxElapsedMs: 60_000, baseMs: 200, maxMs: 5_000 },
  /** A write that has not answered after this many milliseconds is treated as ambiguous. */
  requestTimeoutMs: 30_000,
  /** Claims kept in the file (newest first); older ones are found through commit trailers. */
  claimsKept: 100,
  /** Commit pages (100 commits each) searched for a claim trailer when the file dropped it. */
  historyPages: 3,
  /** Numbers start at `initialValue + 1`. */
  initialValue: 0,
  count: 1,
  /** Largest block one increment may reserve. */
  maxCount: 100_000,
  /** GST rule 46(b): at most 16 characters; applied when a format is given. */
  maxLengthWithFormat: 16,
  /** The Indian financial year starts in April. */
  fiscalYearStartMonth: 4,
  /** Month and year for series are read in this IANA time zone. */
  timeZone: 'UTC',
  /** Written as `version` when hubstore creates the file. */
  fileVersion: '1.0'
} as const

/** Commit trailer naming the claim's nonce: `Hubstore-Claim: <uuid>`. */
export const CLAIM_TRAILER = 'Hubstore-Claim'
/** Commit trailer naming the caller's idempotency key. */
export const IDEMPOTENCY_TRAILER = 'Hubstore-Idempotency-Key'
/** Longest sequence name and idempotency key accepted (characters). */
export const MAX_NAME_CHARS = 100
export const MAX_IDEMPOTENCY_KEY_CHARS = 200
