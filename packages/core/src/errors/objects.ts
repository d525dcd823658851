/** Errors of the object store (gh-store objects in issues): ids, data, sizes, lookups, processing, history and aliases. The catalogue is src/errors.ts. */
import { HubstoreError } from './base.js'

/** `objectId` is not usable as a gh-store object id (label `UID:<id>` rules). */
export class InvalidObjectIdError extends HubstoreError {
  override readonly name = 'InvalidObjectIdError'
  readonly code = 'INVALID_OBJECT_ID'
  constructor(
    readonly objectId: string,
    readonly problem: string
  ) {
    super(`Object id ${JSON.stringify(objectId)} is invalid: ${problem}.`)
  }
}

/** Data passed to create/update is not a storable JSON object. */
export class InvalidObjectDataError extends HubstoreError {
  override readonly name = 'InvalidObjectDataError'
  readonly code = 'INVALID_OBJECT_DATA'
  constructor(
    readonly objectId: string,
    readonly problem: string
  ) {
    super(`Data for object ${JSON.stringify(objectId)} cannot be stored: ${problem}.`)
  }
}

/** A body or comment hubstore was about to write exceeds GitHub's 65,536-character limit. */
export class ObjectTooLargeError extends HubstoreError {
  override readonly name = 'ObjectTooLargeError'
  readonly code = 'OBJECT_TOO_LARGE'
  constructor(
    readonly objectId: string,
    readonly what: 'issue body' | 'comment',
    readonly characters: number,
    readonly maxCharacters: number
  ) {
    super(
      `The ${what} for object ${JSON.stringify(objectId)} would be ${characters} characters; ` +
        `GitHub accepts at most ${maxCharacters}. Nothing was written. Store less data in one ` +
        `object (split it into several objects).`
    )
  }
}

/** No issue labelled `gh-store`, `stored-object`, `UID:<id>` exists (open or closed). */
export class ObjectNotFoundError extends HubstoreError {
  override readonly name = 'ObjectNotFoundError'
  readonly code = 'OBJECT_NOT_FOUND'
  constructor(
    readonly objectId: string,
    readonly repository: string
  ) {
    super(
      `No object ${JSON.stringify(objectId)} in ${repository}: no issue (open or closed) carries ` +
        `the labels gh-store, stored-object and UID:${objectId}. Create it with hubstore objects ` +
        `create (createObject in code).`
    )
  }
}

/** createObject found an object with this id already. */
export class ObjectAlreadyExistsError extends HubstoreError {
  override readonly name = 'ObjectAlreadyExistsError'
  readonly code = 'OBJECT_ALREADY_EXISTS'
  constructor(
    readonly objectId: string,
    readonly issueNumber: number
  ) {
    super(
      `Object ${JSON.stringify(objectId)} already exists as issue #${issueNumber}. Use ` +
        `hubstore objects update (updateObject in code) to change it, or pick another id.`
    )
  }
}

/** More than one issue carries `UID:<id>` (gh-store §1.2 allows this; hubstore refuses to guess). */
export class DuplicateObjectIdError extends HubstoreError {
  override readonly name = 'DuplicateObjectIdError'
  readonly code = 'DUPLICATE_OBJECT_ID'
  constructor(
    readonly objectId: string,
    readonly issueNumbers: number[]
  ) {
    super(
      `Object id ${JSON.stringify(objectId)} is used by ${issueNumbers.length} issues ` +
        `(${issueNumbers.map((n) => `#${n}`).join(', ')}). Keep one: remove the stored-object ` +
        `label from the others (or label them archived).`
    )
  }
}

/** processUpdates was pointed at an issue that is not a stored object. */
export class NotAStoredObjectError extends HubstoreError {
  override readonly name = 'NotAStoredObjectError'
  readonly code = 'NOT_A_STORED_OBJECT'
  constructor(
    readonly issueNumber: number,
    readonly problem: string
  ) {
    super(
      `Issue #${issueNumber} is not a stored object: ${problem}. Stored objects carry the ` +
        `labels stored-object and UID:<id>.`
    )
  }
}

/** The issue body of a stored object is not a JSON object. */
export class InvalidObjectBodyError extends HubstoreError {
  override readonly name = 'InvalidObjectBodyError'
  readonly code = 'INVALID_OBJECT_BODY'
  constructor(
    readonly issueNumber: number,
    readonly problem: string
  ) {
    super(
      `The body of issue #${issueNumber} is not a stored object's state: ${problem}. The body ` +
        `must be exactly one JSON object; restore it from the issue's edit history.`
    )
  }
}

/** GitHub created the issue but dropped the labels (the token lacks triage/write access). */
export class LabelsNotAppliedError extends HubstoreError {
  override readonly name = 'LabelsNotAppliedError'
  readonly code = 'LABELS_NOT_APPLIED'
  constructor(
    readonly objectId: string,
    readonly issueNumber: number,
    readonly missing: string[]
  ) {
    super(
      `GitHub created issue #${issueNumber} for object ${JSON.stringify(objectId)} without the ` +
        `labels ${missing.join(', ')}, so it is not a stored object. The token needs write (or ` +
        `triage) access to the repository; close issue #${issueNumber} by hand.`
    )
  }
}

/** getObjectAt was asked for a version or date the object's history does not have. */
export class VersionNotFoundError extends HubstoreError {
  override readonly name = 'VersionNotFoundError'
  readonly code = 'VERSION_NOT_FOUND'
  constructor(
    readonly objectId: string,
    /** the version number or ISO date asked for */
    readonly requested: string,
    /** the object's versions: 1 to this number */
    readonly latestVersion: number
  ) {
    super(
      `Object ${JSON.stringify(objectId)} has no version ${requested}: its versions run from 1 ` +
        `to ${latestVersion} (one per comment on its issue, the initial state first). Ask for a ` +
        `version in that range, or a date after the object was created.`
    )
  }
}

/** The object's initial state is not recorded, so earlier versions cannot be rebuilt. */
export class HistoryIncompleteError extends HubstoreError {
  override readonly name = 'HistoryIncompleteError'
  readonly code = 'HISTORY_INCOMPLETE'
  constructor(
    readonly objectId: string,
    readonly issueNumber: number
  ) {
    super(
      `Object ${JSON.stringify(objectId)} (issue #${issueNumber}) has no initial-state comment ` +
        `(it predates gh-store 0.4) and replaying its updates does not give its current body, so ` +
        `its past versions cannot be rebuilt. Its history is still readable (hubstore objects ` +
        `history; getObjectHistory in code).`
    )
  }
}

/** An alias or deprecation would be invalid (self reference, cycle, label too long, already an alias). */
export class InvalidAliasError extends HubstoreError {
  override readonly name = 'InvalidAliasError'
  readonly code = 'INVALID_ALIAS'
  constructor(
    readonly sourceId: string,
    readonly targetId: string,
    readonly problem: string
  ) {
    super(
      `Cannot link object ${JSON.stringify(sourceId)} to ${JSON.stringify(targetId)}: ${problem}.`
    )
  }
}

/**
 * Processing an object could not go ahead, or could not be confirmed, under its lease
 * (docs/architecture.md §2.3.1): `lease-held` — another processor held the lease for the whole
 * wait; `lease-lost` — the lease was taken over before this run released it; `body-not-written`
 * — GitHub's answer to the body PATCH is not the body that was sent.
 */
export class ObjectProcessingConflictError extends HubstoreError {
  override readonly name = 'ObjectProcessingConflictError'
  readonly code = 'OBJECT_PROCESSING_CONFLICT'
  constructor(
    readonly issueNumber: number,
    readonly reason: 'lease-held' | 'lease-lost' | 'body-not-written',
    /** the other holder's id, when known (`lease-held`, `lease-lost`) */
    readonly holder: string | undefined,
    /** when the other holder's lease expires, ISO time, when known */
    readonly expiresAt: string | undefined,
    /** what was observed, e.g. `waited 12 attempts over 150000 ms` */
    readonly detail: string
  ) {
    super(processingConflictMessage(issueNumber, reason, holder, expiresAt, detail))
  }
}

function processingConflictMessage(
  issueNumber: number,
  reason: ObjectProcessingConflictError['reason'],
  holder: string | undefined,
  expiresAt: string | undefined,
  detail: string
): string {
  const who = `${holder ?? 'another processor'}${expiresAt ? ` (lease until ${expiresAt})` : ''}`
  if (reason === 'lease-held')
    return (
      `Issue #${issueNumber} is being processed by ${who}; ${detail}. Nothing was written. Run ` +
      `again later (the other run applies the queued updates), or, in code, wait longer (lease.wait).`
    )
  if (reason === 'lease-lost')
    return (
      `The lease on issue #${issueNumber} was taken over by ${who} before this run released it ` +
      `(${detail}): this run stalled longer than its lease. Its body write may have replaced ` +
      `the other run's; compare the issue body with its versions (hubstore objects get --version; ` +
      `getObjectAt in code) and the applied (+1) comments, ` +
      `or, in code, raise lease.durationMs.`
    )
  return (
    `GitHub did not keep the body written to issue #${issueNumber} (${detail}). No comment was ` +
    `marked applied; run processing again.`
  )
}
