/**
 * The sequence store's option, result and event types, in one place (the store, the increment
 * and the set loops all speak them).
 */
import type { HubstoreOctokit } from '../github/client.js'
import type { CasEvent, RetryOptions } from '../github/cas.js'
import type { SeriesKind } from './format.js'

/** Options of {@link SequenceStore}; only `octokit`, `owner` and `repo` are required. */
export interface SequenceStoreOptions {
  /** built by `createGitHubClient` */
  octokit: HubstoreOctokit
  owner: string
  repo: string
  /** The JSON file. Default `sequence_data.json`. */
  path?: string
  /** Branch holding the file. Default: the repository's default branch (never looked up). */
  branch?: string
  /**
   * Budget and backoff of each increment or set (see `SEQUENCE_DEFAULTS.retry`: 10 attempts,
   * 60,000 ms, full-jitter waits below min(5,000, 200 × 2^(n−1)) ms before retry n); `now`
   * defaults to the store's clock, `onEvent` receives {@link SequenceEvent}s.
   */
  retry?: RetryOptions
  /** A write with no answer after this many ms is ambiguous (then read back). Default 30,000. */
  requestTimeoutMs?: number
  /** Claims kept in the file, newest first. Default 100. */
  claimsKept?: number
  /** Pages of 100 commits searched for a claim the file has dropped. Default 3. */
  historyPages?: number
  /** Clock: claim times, `last_updated`, series, elapsed time. Default `() => new Date()`. */
  now?: () => Date
}

/** What happened during an attempt, for logs and tests (the compare-and-swap loop's events). */
export type SequenceEvent = CasEvent

/**
 * How a sequence's ambiguous write was settled (`SequenceEvent` `settled.how`): `claim`: the
 * file holds our claim; `unchanged`: the file did not move; `other-claim`: someone else's claim
 * covers our first number; `history`: the commit trailers decided.
 */
export type SettledHow = 'claim' | 'unchanged' | 'other-claim' | 'history'

/** Which key a name is stored under: series and the date that picks the period. */
export interface SeriesOptions {
  /** `none` (default): the name itself; `fiscal-year`: `<name>/FY2025-26`; `calendar-year`: `<name>/2026`. */
  series?: SeriesKind
  /** First month (1–12) of the financial year. Default 4 (April). */
  fiscalYearStartMonth?: number
  /** IANA time zone in which month and year are read. Default `UTC`. */
  timeZone?: string
  /** The date that picks the period. Default: the store's `now()`. */
  at?: Date
}

/** Options of {@link SequenceStore.increment}. */
export interface IncrementOptions extends SeriesOptions {
  /** Sequence name (key in `sequences`, before any series suffix). */
  name: string
  /** How many consecutive numbers to reserve, in one commit. Default 1. */
  count?: number
  /** Value of a sequence that does not exist yet (the first number is this + 1). Default 0. */
  initialValue?: number
  /** Same key → same block: a re-run gets the numbers it already got. Default: none. */
  idempotencyKey?: string
  /** Template, e.g. `AKDC/{fy_short}/{value:04}`; see `compileTemplate`. */
  format?: string
  /** Longest formatted number allowed, checked on the block's last number before committing.
   * Default 16 when `format` is given (GST rule 46(b)), else no limit. */
  maxLength?: number
  /** Per-call budget and backoff, over the store's `retry`. */
  retry?: RetryOptions
}

/** A block of numbers that is certainly this caller's. */
export interface IncrementResult {
  name: string
  /** key in `sequences` (`name`, or `name/FY2025-26` with a series) */
  key: string
  first: number
  last: number
  /** the value before this block (`first - 1`) */
  previous: number
  /** `first` and `last` through the template, when `format` was given */
  formatted?: { first: string; last: string }
  /** The commit that recorded the block; `null` only when it is older than the searched history. */
  commitSha: string | null
  /** attempts used (1 = no conflict) */
  attempts: number
  /** true when the idempotency key had already claimed this block (nothing was written) */
  reused: boolean
  /** the claim's nonce (commit trailer `Hubstore-Claim`) */
  nonce: string
  /** requests the client made during this call */
  requests: number
}

/** Options of {@link SequenceStore.peek}. */
export interface PeekOptions extends SeriesOptions {
  name: string
  /** Used to compute `next` for a sequence that does not exist yet. Default 0. */
  initialValue?: number
  /** Template for `formattedNext`. */
  format?: string
}

/** The current value, read without writing. */
export interface PeekResult {
  name: string
  key: string
  /** current value; `null` when the sequence does not exist yet */
  value: number | null
  /** what the next increment would return if nobody else increments first */
  next: number
  formattedNext?: string
  /** blob SHA of the file read; `null` when there is no file */
  blobSha: string | null
  requests: number
}

/** Options of {@link SequenceStore.set}. */
export interface SetOptions extends SeriesOptions {
  name: string
  /** The new current value (the next increment returns `value + 1`). */
  value: number
}

/** What {@link SequenceStore.set} did. */
export interface SetResult {
  name: string
  key: string
  /** value before; `null` when the key did not exist */
  previous: number | null
  value: number
  /** `null` when nothing needed writing, or the write's answer was lost but the value is in place */
  commitSha: string | null
  attempts: number
  requests: number
}

/** Every sequence in the file. */
export interface SequenceListing {
  sequences: Record<string, number>
  lastUpdated: string | null
  /** claims recorded in the file */
  claims: number
  blobSha: string | null
  requests: number
}

/** The repository and client of a one-shot call. */
export type SequenceContext = Pick<SequenceStoreOptions, 'octokit' | 'owner' | 'repo'>

/** Where a one-shot call finds its file; everything but the context is optional. */
export type SequenceFileOptions = Omit<SequenceStoreOptions, 'octokit' | 'owner' | 'repo'>
