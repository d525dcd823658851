/** Errors of the sequence store (numbers in a JSON file, one commit per increment). The catalogue is src/errors.ts. */
import { displayPath } from '../json/errors.js'
import { HubstoreError } from './base.js'

/** The sequence file (`sequence_data.json`) is not JSON, or not the shape hubstore reads. */
export class InvalidSequenceFileError extends HubstoreError {
  override readonly name = 'InvalidSequenceFileError'
  readonly code = 'INVALID_SEQUENCE_FILE'
  constructor(
    /** where the file lives, e.g. `octocat/books:sequence_data.json (branch main)` */
    readonly file: string,
    /** the offending field as a dotted path (`sequences.invoice`); `''` for the whole file */
    readonly field: string,
    readonly problem: string
  ) {
    super(
      `${file} is not a sequence file: ${field ? `field "${displayPath(field)}" ` : ''}${problem}. Fix it by ` +
        `hand (expected {"sequences": {"<name>": <whole number ≥ 0>, …}, "last_updated": ` +
        `"<ISO time>", "version": "1.0"}) or restore it from the file's history.`
    )
  }
}

/** Every write of an increment lost a race or failed until the attempt or time budget ran out. */
export class SequenceContentionError extends HubstoreError {
  override readonly name = 'SequenceContentionError'
  readonly code = 'SEQUENCE_CONTENTION'
  constructor(
    readonly sequence: string,
    readonly file: string,
    readonly attempts: number,
    /** milliseconds from the first read to giving up */
    readonly elapsedMs: number,
    /** what the last attempt ran into, e.g. `409 sequence_data.json does not match 3b1f…` */
    readonly lastProblem: string
  ) {
    super(
      `Could not increment "${sequence}" in ${file}: ${attempts} attempt(s) over ${elapsedMs} ms ` +
        `lost a race to other writers or failed (last: ${lastProblem}). Nothing was committed ` +
        `for this call, so no number was used. Run it again, raise max-attempts / ` +
        `maxElapsedMs, or spread the writers over several sequence files.`
    )
  }
}

/** A write's answer was lost and reading back failed: the block may or may not be committed. */
export class SequenceOutcomeUnknownError extends HubstoreError {
  override readonly name = 'SequenceOutcomeUnknownError'
  readonly code = 'SEQUENCE_OUTCOME_UNKNOWN'
  constructor(
    readonly sequence: string,
    readonly file: string,
    /** the claim nonce, also written as the commit trailer `Hubstore-Claim: <nonce>` */
    readonly nonce: string,
    readonly first: number,
    readonly last: number,
    readonly idempotencyKey: string | undefined,
    options?: { cause?: unknown }
  ) {
    super(
      `The commit that would give "${sequence}" ${first === last ? first : `${first}–${last}`} ` +
        `in ${file} may or may not exist: GitHub's answer was lost and reading the file back ` +
        `failed. Those numbers were not handed out. ` +
        (idempotencyKey
          ? `Call again with idempotency key "${idempotencyKey}" to receive them if they were committed.`
          : `If the file's history has a commit with the trailer "Hubstore-Claim: ${nonce}", they ` +
            `were committed and are unused.`),
      options
    )
  }
}

/** The formatted number would be longer than allowed (GST rule 46(b): 16 characters). */
export class SequenceFormatTooLongError extends HubstoreError {
  override readonly name = 'SequenceFormatTooLongError'
  readonly code = 'SEQUENCE_FORMAT_TOO_LONG'
  constructor(
    readonly sequence: string,
    readonly formatted: string,
    readonly maxLength: number
  ) {
    super(
      `"${formatted}" (the last number of this block of "${sequence}") is ${formatted.length} ` +
        `characters; at most ${maxLength} are allowed. Nothing was committed. Shorten the format ` +
        `(fewer zero-pad digits, {fy_short} instead of {fy}) or raise the maximum length.`
    )
  }
}

/** The idempotency key already claimed numbers of another sequence, or a block of another size. */
export class IdempotencyKeyConflictError extends HubstoreError {
  override readonly name = 'IdempotencyKeyConflictError'
  readonly code = 'IDEMPOTENCY_KEY_CONFLICT'
  constructor(
    readonly idempotencyKey: string,
    readonly claimed: { sequence: string; first: number; last: number },
    readonly requested: { sequence: string; count: number }
  ) {
    super(
      `Idempotency key "${idempotencyKey}" already claimed ${claimed.first}–${claimed.last} of ` +
        `"${claimed.sequence}"; this call asks for ${requested.count} number(s) of ` +
        `"${requested.sequence}". Give each sequence and block its own idempotency key.`
    )
  }
}
