/**
 * Atomic sequence numbers kept in a JSON file on a branch, one commit per increment
 * (`docs/github-behaviour.md §9`; peers' failure modes in `docs/peers-and-limits.md
 * §2, §7`).
 *
 * One increment: read the file and its blob SHA, compute the block, `PUT` it quoting that SHA
 * (compare-and-swap; plugin-retry off for the write). A conflict is retried after a fresh read
 * with full-jitter exponential backoff, bounded by attempts and time. An ambiguous answer
 * (timeout, network failure, 5xx) is settled by reading back: a block is returned only when the
 * file, or a commit trailer, proves it is this caller's. The claim written into the file doubles
 * as the idempotency record, so neither costs an extra request.
 *
 * This file is the store's face; the loops live in `increment.ts` and `set.ts` (both callers of
 * `github/cas.ts`), option checking in `options.ts`, the types in `types.ts`.
 */
import { SEQUENCE_DEFAULTS } from './constants.js'
import { dictionary } from '../text.js'
import { claimsOf, sequencesOf } from './file.js'
import { compileTemplate, validateName } from './format.js'
import { SequenceFile } from './handle.js'
import { runIncrement } from './increment.js'
import {
  checkInteger,
  keyOf,
  resolveIncrement,
  storeSettings,
  type StoreSettings
} from './options.js'
import { runSet } from './set.js'
import type {
  IncrementOptions,
  IncrementResult,
  PeekOptions,
  PeekResult,
  SequenceContext,
  SequenceFileOptions,
  SequenceListing,
  SequenceStoreOptions,
  SetOptions,
  SetResult
} from './types.js'

export { sequenceBackoffMs } from './options.js'
export type {
  IncrementOptions,
  IncrementResult,
  PeekOptions,
  PeekResult,
  SequenceContext,
  SequenceEvent,
  SequenceFileOptions,
  SequenceListing,
  SequenceStoreOptions,
  SeriesOptions,
  SetOptions,
  SetResult,
  SettledHow
} from './types.js'

/**
 * A sequence file, with the last blob SHA and parsed file cached: in a long-running process an
 * uncontended increment costs one request (`PUT` quoting the cached SHA); a conflict costs a
 * re-read. Peeks are conditional GETs (`If-None-Match`), and a 304 costs no rate limit.
 * Safe to share between concurrent callers: every write is compare-and-swap.
 */
export class SequenceStore {
  private readonly settings: StoreSettings
  private readonly handle: SequenceFile

  /** @throws InvalidOptionsError for a bad number option, InvalidPathError for an unsafe path. */
  constructor(options: SequenceStoreOptions) {
    this.settings = storeSettings(options)
    this.handle = new SequenceFile(
      {
        octokit: options.octokit,
        owner: options.owner,
        repo: options.repo,
        path: this.settings.path,
        branch: this.settings.branch
      },
      this.settings.historyPages
    )
  }

  /** `owner/repo:path (branch b)`. */
  get file(): string {
    return this.handle.description
  }

  /** Forgets the cached file, so the next call reads it again. */
  invalidate(): void {
    this.handle.cache = undefined
  }

  /**
   * Reserves `count` consecutive numbers of `name` in one commit `Increment <key>: <old> → <new>`.
   *
   * Cost: 2 requests cold (GET + PUT), 1 warm (PUT with the cached SHA), +2 per conflict; an
   * ambiguous answer adds a read (and, rarely, a commit listing). A read that finds no file
   * adds `GET /repos/{owner}/{repo}`, so a missing repository is told from a missing file.
   *
   * @throws InvalidOptionsError, SequenceFormatTooLongError (nothing written),
   *   IdempotencyKeyConflictError, InvalidSequenceFileError, SequenceContentionError (budget
   *   exhausted; nothing committed for this call), SequenceOutcomeUnknownError (an answer was
   *   lost and reading back failed), RepositoryNotFoundError (the repository does not exist or
   *   the token cannot see it; nothing written), GitHubRequestError (401, 403 …).
   */
  async increment(options: IncrementOptions): Promise<IncrementResult> {
    return runIncrement(this.handle, this.settings, resolveIncrement(options, this.settings))
  }

  /**
   * Reads the current value of `name` without writing: one GET, conditional on the cached ETag
   * (a 304 costs no rate limit).
   *
   * @throws InvalidOptionsError, InvalidSequenceFileError, GitHubRequestError.
   */
  async peek(options: PeekOptions): Promise<PeekResult> {
    const name = validateName(options.name)
    const { key, period } = keyOf(name, options, this.settings.now)
    const initialValue = options.initialValue ?? SEQUENCE_DEFAULTS.initialValue
    checkInteger('initialValue', initialValue, 0)
    const render = options.format !== undefined ? compileTemplate(options.format) : undefined
    const requestsBefore = this.handle.requests()
    const snap = await this.handle.read(true)
    const value = sequencesOf(snap.doc)[key]
    const next = (value ?? initialValue) + 1
    return {
      name,
      key,
      value: value ?? null,
      next,
      ...(render ? { formattedNext: render({ value: next, name, period }) } : {}),
      blobSha: snap.sha,
      requests: this.handle.requests() - requestsBefore
    }
  }

  /** Every sequence in the file (one GET, conditional on the cached ETag). */
  async list(): Promise<SequenceListing> {
    const requestsBefore = this.handle.requests()
    const snap = await this.handle.read(true)
    const lastUpdated = snap.doc.json.last_updated
    return {
      sequences: dictionary(sequencesOf(snap.doc)),
      lastUpdated: typeof lastUpdated === 'string' ? lastUpdated : null,
      claims: Object.keys(claimsOf(snap.doc)).length,
      blobSha: snap.sha,
      requests: this.handle.requests() - requestsBefore
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
    const { key } = keyOf(name, options, this.settings.now)
    const target = { name, key, value: options.value, retry: this.settings.retry }
    return runSet(this.handle, this.settings, target)
  }
}

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
