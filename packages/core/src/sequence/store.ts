/**
 * Atomic sequence numbers kept in a JSON file on a branch, one commit per increment
 * (`reference/github-api.md §9`; peers' failure modes in `reference/peers-and-platform-limits.md
 * §2, §7`).
 *
 * One increment: read the file and its blob SHA, compute the block, `PUT` it quoting that SHA
 * (compare-and-swap; plugin-retry off for the write). A conflict is retried after a fresh read
 * with full-jitter exponential backoff, bounded by attempts and time. An ambiguous answer
 * (timeout, network failure, 5xx) is settled by reading back: a block is returned only when the
 * file, or a commit trailer, proves it is this caller's. The claim written into the file doubles
 * as the idempotency record, so neither costs an extra request.
 */
import { randomUUID } from 'node:crypto'
import type { HubstoreOctokit } from '../github/client.js'
import { BACKOFF_DEFAULTS, fullJitterDelay } from '../github/backoff.js'
import {
  IdempotencyKeyConflictError,
  InvalidOptionsError,
  SequenceContentionError,
  SequenceFormatTooLongError,
  SequenceOutcomeUnknownError
} from '../errors.js'
import { MAX_IDEMPOTENCY_KEY_CHARS, SEQUENCE_DEFAULTS } from './constants.js'
import {
  describeFile,
  findClaimCommit,
  readSnapshot,
  writeSnapshot,
  type FileLocation,
  type Snapshot
} from './contents.js'
import {
  claimsOf,
  sequencesOf,
  serialiseSequenceFile,
  withIncrement,
  withValue,
  type Claim
} from './file.js'
import {
  compileTemplate,
  hasControlCharacter,
  periodOf,
  seriesKey,
  SERIES_KINDS,
  validateName,
  type Period,
  type SeriesKind
} from './format.js'
import { incrementMessage, setMessage } from './message.js'

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
  /** Attempts per increment or set (read + guarded write each). Default 10. */
  maxAttempts?: number
  /** No attempt starts later than this many ms after the first. Default 60,000 ms. */
  maxElapsedMs?: number
  /** Full-jitter backoff base, ms: wait `random() * min(cap, base * 2^n)` after failure n. Default 100. */
  backoffBaseMs?: number
  /** Backoff cap, ms. Default 5,000. */
  backoffCapMs?: number
  /** A write with no answer after this many ms is ambiguous (then read back). Default 30,000. */
  requestTimeoutMs?: number
  /** Claims kept in the file, newest first. Default 100. */
  claimsKept?: number
  /** Pages of 100 commits searched for a claim the file has dropped. Default 3. */
  historyPages?: number
  /** Clock: claim times, `last_updated`, series, elapsed time. Default `() => new Date()`. */
  now?: () => Date
  /** Random source in [0, 1) for backoff. Default `Math.random`. */
  random?: () => number
  /** Waits `ms` milliseconds. Default `setTimeout`. */
  sleep?: (ms: number) => Promise<void>
  /** Told about conflicts, ambiguous answers and how they were settled (for logs). */
  onEvent?: (event: SequenceEvent) => void
}

/** What happened during an attempt, for logs and tests. */
export type SequenceEvent =
  | { type: 'conflict'; attempt: number; problem: string }
  | { type: 'ambiguous'; attempt: number; problem: string }
  | {
      type: 'settled'
      attempt: number
      ours: boolean
      /** claim: the file holds our claim; unchanged: the file did not move; other-claim: someone
       * else's claim covers our first number; history: the commit trailers decided */
      how: 'claim' | 'unchanged' | 'other-claim' | 'history'
    }
  | { type: 'backoff'; attempt: number; waitMs: number }

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
  /** Per-call override of the store's `maxAttempts`. */
  maxAttempts?: number
  /** Per-call override of the store's `maxElapsedMs`. */
  maxElapsedMs?: number
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

type StoreState = Required<
  Omit<SequenceStoreOptions, 'octokit' | 'owner' | 'repo' | 'branch' | 'onEvent'>
> &
  Pick<SequenceStoreOptions, 'branch' | 'onEvent'>

/**
 * A sequence file, with the last blob SHA and parsed file cached: in a long-running process an
 * uncontended increment costs one request (`PUT` quoting the cached SHA); a conflict costs a
 * re-read. Peeks are conditional GETs (`If-None-Match`), and a 304 costs no rate limit.
 * Safe to share between concurrent callers: every write is compare-and-swap.
 */
export class SequenceStore {
  private readonly loc: FileLocation
  private readonly state: StoreState
  private cache: Snapshot | undefined

  /** @throws InvalidOptionsError for a bad number option or path. */
  constructor(options: SequenceStoreOptions) {
    const d = SEQUENCE_DEFAULTS
    this.state = {
      path: options.path ?? d.path,
      branch: options.branch || undefined,
      maxAttempts: options.maxAttempts ?? d.maxAttempts,
      maxElapsedMs: options.maxElapsedMs ?? d.maxElapsedMs,
      backoffBaseMs: options.backoffBaseMs ?? d.backoffBaseMs,
      backoffCapMs: options.backoffCapMs ?? d.backoffCapMs,
      requestTimeoutMs: options.requestTimeoutMs ?? d.requestTimeoutMs,
      claimsKept: options.claimsKept ?? d.claimsKept,
      historyPages: options.historyPages ?? d.historyPages,
      now: options.now ?? (() => new Date()),
      random: options.random ?? BACKOFF_DEFAULTS.random,
      sleep: options.sleep ?? BACKOFF_DEFAULTS.sleep,
      onEvent: options.onEvent
    }
    for (const [name, min] of [
      ['maxAttempts', 1],
      ['maxElapsedMs', 0],
      ['backoffBaseMs', 0],
      ['backoffCapMs', 0],
      ['requestTimeoutMs', 1],
      ['claimsKept', 1],
      ['historyPages', 0]
    ] as const)
      checkInteger(name, this.state[name], min)
    if (!this.state.path || this.state.path.startsWith('/') || this.state.path.endsWith('/'))
      throw new InvalidOptionsError('path', 'a file path such as sequence_data.json', options.path)
    this.loc = {
      octokit: options.octokit,
      owner: options.owner,
      repo: options.repo,
      path: this.state.path,
      branch: this.state.branch
    }
  }

  /** `owner/repo:path (branch b)`. */
  get file(): string {
    return describeFile(this.loc)
  }

  /** Forgets the cached file, so the next call reads it again. */
  invalidate(): void {
    this.cache = undefined
  }

  /**
   * Reserves `count` consecutive numbers of `name` in one commit `Increment <key>: <old> → <new>`.
   *
   * Cost: 2 requests cold (GET + PUT), 1 warm (PUT with the cached SHA), +2 per conflict; an
   * ambiguous answer adds a read (and, rarely, a commit listing).
   *
   * @throws InvalidOptionsError, SequenceFormatTooLongError (nothing written),
   *   IdempotencyKeyConflictError, InvalidSequenceFileError, SequenceContentionError (budget
   *   exhausted; nothing committed for this call), SequenceOutcomeUnknownError (an answer was
   *   lost and reading back failed), GitHubRequestError (401, 403, 404 …).
   */
  async increment(options: IncrementOptions): Promise<IncrementResult> {
    const o = this.incrementOptions(options)
    const requestsBefore = this.requests()
    const started = this.state.now().getTime()
    const nonce = randomUUID()
    const claimKey = o.idempotencyKey ?? nonce
    const result = (claim: Claim, attempts: number, commitSha: string | null, reused: boolean) =>
      this.incrementResult(o, claim, { attempts, commitSha, reused, requestsBefore })

    let snap = this.cache
    let lastProblem = ''
    for (let attempt = 1; ; attempt++) {
      if (attempt > 1)
        await this.backoff(
          attempt,
          started,
          o,
          () =>
            new SequenceContentionError(
              o.name,
              this.file,
              attempt - 1,
              this.state.now().getTime() - started,
              lastProblem
            )
        )
      snap ??= await this.read()

      const held = this.heldClaim(snap, claimKey, nonce, o)
      if (held) {
        const commitSha = await this.claimCommit(held.nonce)
        return result(held, attempt, commitSha, held.nonce !== nonce)
      }

      const previous = sequencesOf(snap.doc)[o.key] ?? o.initialValue
      const claim: Claim = {
        sequence: o.key,
        first: previous + 1,
        last: previous + o.count,
        nonce,
        at: this.state.now().toISOString()
      }
      if (!Number.isSafeInteger(claim.last))
        throw new InvalidOptionsError('count', 'small enough to stay below 2^53', o.count)
      this.checkLength(o, claim.last)
      const next = withIncrement(
        snap.doc,
        { key: o.key, value: claim.last, claimKey, claim, now: this.state.now() },
        this.state.claimsKept
      )
      const outcome = await writeSnapshot(this.loc, {
        text: serialiseSequenceFile(next),
        sha: snap.sha,
        message: incrementMessage(o.key, previous, claim.last, nonce, o.idempotencyKey),
        timeoutMs: this.state.requestTimeoutMs
      })
      if (outcome.kind === 'written') {
        this.cache = { sha: outcome.blobSha, doc: next }
        return result(claim, attempt, outcome.commitSha, false)
      }
      this.cache = undefined
      lastProblem = outcome.problem
      this.state.onEvent?.({ type: outcome.kind, attempt, problem: outcome.problem })
      if (outcome.kind === 'conflict') {
        snap = undefined
        continue
      }
      const settled = await this.settle(o, snap, claim, claimKey, attempt, outcome.error)
      if (settled.ours) return result(claim, attempt, settled.commitSha, false)
      lastProblem = `${outcome.problem} (not committed)`
      snap = settled.fresh
    }
  }

  /**
   * Reads the current value of `name` without writing: one GET, conditional on the cached ETag
   * (a 304 costs no rate limit).
   *
   * @throws InvalidOptionsError, InvalidSequenceFileError, GitHubRequestError.
   */
  async peek(options: PeekOptions): Promise<PeekResult> {
    const name = validateName(options.name)
    const { key, period } = this.keyOf(name, options)
    const initialValue = options.initialValue ?? SEQUENCE_DEFAULTS.initialValue
    checkInteger('initialValue', initialValue, 0)
    const render = options.format !== undefined ? compileTemplate(options.format) : undefined
    const requestsBefore = this.requests()
    const snap = await this.read(true)
    const value = sequencesOf(snap.doc)[key]
    const next = (value ?? initialValue) + 1
    return {
      name,
      key,
      value: value ?? null,
      next,
      ...(render ? { formattedNext: render({ value: next, name, period }) } : {}),
      blobSha: snap.sha,
      requests: this.requests() - requestsBefore
    }
  }

  /** Every sequence in the file (one GET, conditional on the cached ETag). */
  async list(): Promise<SequenceListing> {
    const requestsBefore = this.requests()
    const snap = await this.read(true)
    const lastUpdated = snap.doc.json.last_updated
    return {
      sequences: { ...sequencesOf(snap.doc) },
      lastUpdated: typeof lastUpdated === 'string' ? lastUpdated : null,
      claims: Object.keys(claimsOf(snap.doc)).length,
      blobSha: snap.sha,
      requests: this.requests() - requestsBefore
    }
  }

  /**
   * Sets the current value of `name` (a correction; the next increment returns `value + 1`), as
   * a commit `Set <key>: <old> → <value>`, compare-and-swap like an increment. Setting a value
   * below numbers already handed out makes them be handed out again: only do that on purpose.
   *
   * @throws InvalidOptionsError, InvalidSequenceFileError, SequenceContentionError,
   *   SequenceOutcomeUnknownError, GitHubRequestError.
   */
  async set(options: SetOptions): Promise<SetResult> {
    const name = validateName(options.name)
    checkInteger('value', options.value, 0)
    const { key } = this.keyOf(name, options)
    const requestsBefore = this.requests()
    const started = this.state.now().getTime()
    const nonce = randomUUID()
    let lastProblem = ''
    for (let attempt = 1; ; attempt++) {
      if (attempt > 1)
        await this.backoff(
          attempt,
          started,
          this.state,
          () =>
            new SequenceContentionError(
              name,
              this.file,
              attempt - 1,
              this.state.now().getTime() - started,
              lastProblem
            )
        )
      const snap = await this.read()
      const previous = sequencesOf(snap.doc)[key] ?? null
      const done = (commitSha: string | null) => ({
        name,
        key,
        previous,
        value: options.value,
        commitSha,
        attempts: attempt,
        requests: this.requests() - requestsBefore
      })
      if (previous === options.value) return done(null)
      const next = withValue(snap.doc, key, options.value, this.state.now())
      const outcome = await writeSnapshot(this.loc, {
        text: serialiseSequenceFile(next),
        sha: snap.sha,
        message: setMessage(key, previous, options.value, nonce),
        timeoutMs: this.state.requestTimeoutMs
      })
      this.cache = outcome.kind === 'written' ? { sha: outcome.blobSha, doc: next } : undefined
      if (outcome.kind === 'written') return done(outcome.commitSha)
      lastProblem = outcome.problem
      this.state.onEvent?.({ type: outcome.kind, attempt, problem: outcome.problem })
      if (outcome.kind === 'ambiguous') {
        // Setting is idempotent: the value in place is all that matters, whoever wrote it.
        let fresh: Snapshot
        try {
          fresh = await this.read()
        } catch (error) {
          throw new SequenceOutcomeUnknownError(
            name,
            this.file,
            nonce,
            options.value,
            options.value,
            undefined,
            { cause: error }
          )
        }
        if (sequencesOf(fresh.doc)[key] === options.value) return done(null)
      }
    }
  }

  /** Reads the file; the result becomes the cache. */
  private async read(conditional = false): Promise<Snapshot> {
    const snap = await readSnapshot(this.loc, conditional ? this.cache : undefined)
    this.cache = snap
    return snap
  }

  /**
   * After an ambiguous write: is the block ours? Ours when the re-read file holds our claim, or a
   * commit carries our trailer. Not ours when the file has not moved, when another claim covers
   * our first number, or when the history has no commit of ours.
   */
  private async settle(
    o: ResolvedIncrement,
    base: Snapshot,
    claim: Claim,
    claimKey: string,
    attempt: number,
    cause: unknown
  ): Promise<{ ours: true; commitSha: string | null } | { ours: false; fresh: Snapshot }> {
    const unknown = (error: unknown) =>
      new SequenceOutcomeUnknownError(
        o.name,
        this.file,
        claim.nonce,
        claim.first,
        claim.last,
        o.idempotencyKey,
        { cause: error ?? cause }
      )
    const report = (ours: boolean, how: 'claim' | 'unchanged' | 'other-claim' | 'history') =>
      this.state.onEvent?.({ type: 'settled', attempt, ours, how })
    let fresh: Snapshot
    try {
      fresh = await this.read()
    } catch (error) {
      throw unknown(error)
    }
    const claims = claimsOf(fresh.doc)
    if (claims[claimKey]?.nonce === claim.nonce) {
      report(true, 'claim')
      return { ours: true, commitSha: await this.claimCommit(claim.nonce) }
    }
    if (fresh.sha === base.sha) {
      report(false, 'unchanged')
      return { ours: false, fresh }
    }
    const covered = Object.values(claims).some(
      (c) => c.sequence === o.key && c.first <= claim.first && claim.first <= c.last
    )
    if (covered) {
      report(false, 'other-claim')
      return { ours: false, fresh }
    }
    let commitSha: string | null
    try {
      commitSha = await findClaimCommit(this.loc, claim.nonce, this.state.historyPages)
    } catch (error) {
      throw unknown(error)
    }
    report(commitSha !== null, 'history')
    return commitSha !== null ? { ours: true, commitSha } : { ours: false, fresh }
  }

  /** The claim this call already holds: our nonce, or a claim under the caller's idempotency key. */
  private heldClaim(
    snap: Snapshot,
    claimKey: string,
    nonce: string,
    o: ResolvedIncrement
  ): Claim | undefined {
    const claim = claimsOf(snap.doc)[claimKey]
    if (!claim || (claim.nonce !== nonce && o.idempotencyKey === undefined)) return undefined
    const sameName = claim.sequence === o.name || claim.sequence.startsWith(`${o.name}/`)
    if (!sameName || claim.last - claim.first + 1 !== o.count)
      throw new IdempotencyKeyConflictError(claimKey, claim, { sequence: o.key, count: o.count })
    return claim
  }

  /** The commit of an earlier claim (1 request per 100 commits searched), or `null`. */
  private async claimCommit(nonce: string): Promise<string | null> {
    try {
      return await findClaimCommit(this.loc, nonce, this.state.historyPages)
    } catch {
      return null
    }
  }

  private incrementResult(
    o: ResolvedIncrement,
    claim: Claim,
    extra: { attempts: number; commitSha: string | null; reused: boolean; requestsBefore: number }
  ): IncrementResult {
    // A block claimed by an earlier call is formatted in the period it was claimed in.
    const period = extra.reused && claim.at ? this.periodOfClaim(o, claim.at) : o.period
    const render = o.render
    return {
      name: o.name,
      key: claim.sequence,
      first: claim.first,
      last: claim.last,
      previous: claim.first - 1,
      ...(render
        ? {
            formatted: {
              first: render({ value: claim.first, name: o.name, period }),
              last: render({ value: claim.last, name: o.name, period })
            }
          }
        : {}),
      commitSha: extra.commitSha,
      attempts: extra.attempts,
      reused: extra.reused,
      nonce: claim.nonce,
      requests: this.requests() - extra.requestsBefore
    }
  }

  private periodOfClaim(o: ResolvedIncrement, at: string): Period {
    const date = new Date(at)
    return Number.isNaN(date.getTime()) ? o.period : periodOf(date, o.startMonth, o.timeZone)
  }

  private checkLength(o: ResolvedIncrement, last: number): void {
    if (o.maxLength === undefined) return
    const longest = o.render ? o.render({ value: last, name: o.name, period: o.period }) : `${last}`
    if (longest.length > o.maxLength)
      throw new SequenceFormatTooLongError(o.key, longest, o.maxLength)
  }

  /**
   * Waits before `attempt` (≥ 2), or throws `exhausted()` when the attempt would exceed
   * `maxAttempts` or start later than `maxElapsedMs` after `started`.
   */
  private async backoff(
    attempt: number,
    started: number,
    budget: { maxAttempts: number; maxElapsedMs: number },
    exhausted: () => Error
  ): Promise<void> {
    const { backoffBaseMs, backoffCapMs, random, sleep } = this.state
    const waitMs = sequenceBackoffMs(attempt - 1, backoffBaseMs, backoffCapMs, random)
    const elapsed = this.state.now().getTime() - started
    if (attempt > budget.maxAttempts || elapsed + waitMs > budget.maxElapsedMs) throw exhausted()
    this.state.onEvent?.({ type: 'backoff', attempt, waitMs })
    if (waitMs > 0) await sleep(waitMs)
  }

  private keyOf(name: string, options: SeriesOptions) {
    const series = options.series ?? 'none'
    if (!SERIES_KINDS.includes(series))
      throw new InvalidOptionsError('series', `one of ${SERIES_KINDS.join(', ')}`, series)
    const startMonth = options.fiscalYearStartMonth ?? SEQUENCE_DEFAULTS.fiscalYearStartMonth
    const timeZone = options.timeZone ?? SEQUENCE_DEFAULTS.timeZone
    const period = periodOf(options.at ?? this.state.now(), startMonth, timeZone)
    return { key: seriesKey(name, series, period), period, startMonth, timeZone }
  }

  private incrementOptions(options: IncrementOptions): ResolvedIncrement {
    const name = validateName(options.name)
    const count = options.count ?? SEQUENCE_DEFAULTS.count
    checkInteger('count', count, 1, SEQUENCE_DEFAULTS.maxCount)
    const initialValue = options.initialValue ?? SEQUENCE_DEFAULTS.initialValue
    checkInteger('initialValue', initialValue, 0)
    const key = options.idempotencyKey
    if (
      key !== undefined &&
      (key === '' || key.length > MAX_IDEMPOTENCY_KEY_CHARS || hasControlCharacter(key))
    )
      throw new InvalidOptionsError(
        'idempotencyKey',
        `1–${MAX_IDEMPOTENCY_KEY_CHARS} characters without control characters`,
        key
      )
    const render = options.format !== undefined ? compileTemplate(options.format) : undefined
    const maxLength =
      options.maxLength ?? (render ? SEQUENCE_DEFAULTS.maxLengthWithFormat : undefined)
    if (maxLength !== undefined) checkInteger('maxLength', maxLength, 1)
    const maxAttempts = options.maxAttempts ?? this.state.maxAttempts
    checkInteger('maxAttempts', maxAttempts, 1)
    const maxElapsedMs = options.maxElapsedMs ?? this.state.maxElapsedMs
    checkInteger('maxElapsedMs', maxElapsedMs, 0)
    return {
      name,
      count,
      initialValue,
      ...(key !== undefined ? { idempotencyKey: key } : {}),
      render,
      maxLength,
      maxAttempts,
      maxElapsedMs,
      ...this.keyOf(name, options)
    }
  }

  private requests(): number {
    return this.loc.octokit.hubstore?.requests ?? 0
  }
}

interface ResolvedIncrement {
  name: string
  key: string
  count: number
  initialValue: number
  idempotencyKey?: string
  render: ((values: { value: number; name: string; period: Period }) => string) | undefined
  maxLength: number | undefined
  maxAttempts: number
  maxElapsedMs: number
  period: Period
  startMonth: number
  timeZone: string
}

/**
 * The sequence store's wait after `failures` failed attempts, in milliseconds: full jitter below
 * `min(capMs, baseMs × 2^failures)` (its documented convention: the first retry already waits
 * below 2 × baseMs), i.e. {@link fullJitterDelay} of retry `failures + 1`.
 */
export function sequenceBackoffMs(
  failures: number,
  baseMs: number,
  capMs: number,
  random: () => number
): number {
  return fullJitterDelay(failures + 1, { baseMs, maxMs: capMs, random })
}

function checkInteger(name: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER) {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max)
    throw new InvalidOptionsError(
      name,
      max === Number.MAX_SAFE_INTEGER
        ? `a whole number ≥ ${min}`
        : `a whole number from ${min} to ${max}`,
      value
    )
}

/** The repository and client of a one-shot call. */
export type SequenceContext = Pick<SequenceStoreOptions, 'octokit' | 'owner' | 'repo'>

/** Where a one-shot call finds its file; everything but the context is optional. */
export type SequenceFileOptions = Omit<SequenceStoreOptions, 'octokit' | 'owner' | 'repo'>

/** One increment with a fresh store (2 requests when uncontended). See {@link SequenceStore.increment}. */
export function incrementSequence(
  ctx: SequenceContext,
  options: IncrementOptions & SequenceFileOptions
): Promise<IncrementResult> {
  return new SequenceStore({ ...options, ...ctx }).increment(options)
}

/** One peek with a fresh store (1 request). See {@link SequenceStore.peek}. */
export function peekSequence(
  ctx: SequenceContext,
  options: PeekOptions & SequenceFileOptions
): Promise<PeekResult> {
  return new SequenceStore({ ...options, ...ctx }).peek(options)
}

/** One correction with a fresh store. See {@link SequenceStore.set}. */
export function setSequence(
  ctx: SequenceContext,
  options: SetOptions & SequenceFileOptions
): Promise<SetResult> {
  return new SequenceStore({ ...options, ...ctx }).set(options)
}

/** Every sequence of a file (1 request). See {@link SequenceStore.list}. */
export function listSequences(
  ctx: SequenceContext,
  options: SequenceFileOptions = {}
): Promise<SequenceListing> {
  return new SequenceStore({ ...options, ...ctx }).list()
}
