/**
 * Every error @hubstore/core throws. Callers match on `code` (a literal type, so `switch
 * (error.code)` narrows), never on `instanceof`: each Action bundle carries its own copy of core.
 * Messages state the facts and the fix; they never contain tokens, clients or options. The
 * underlying error (usually Octokit's `RequestError`) is kept as the non-enumerable `cause`.
 * The table in packages/core/README.md lists every code.
 */

const MARKER = Symbol.for('hubstore.error')

/** Base class: a stable `code` plus a message built from facts. */
export abstract class HubstoreError extends Error {
  abstract readonly code: string
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    Object.defineProperty(this, MARKER, { value: true })
  }
}

/** An option passed to a core function has the wrong type or range. */
export class InvalidOptionsError extends HubstoreError {
  override readonly name = 'InvalidOptionsError'
  readonly code = 'INVALID_OPTIONS'
  constructor(
    readonly option: string,
    readonly expected: string,
    received: unknown
  ) {
    super(`Option ${option} must be ${expected}; received ${describe(received)}.`)
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `a string of ${value.length} characters`
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value
}

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
        `the labels gh-store, stored-object and UID:${objectId}. Create it with createObject.`
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
        `updateObject to change it, or pick another id.`
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

/** GitHub answered with an error status (after retries), or could not be reached. */
export class GitHubRequestError extends HubstoreError {
  override readonly name = 'GitHubRequestError'
  readonly code = 'GITHUB_REQUEST_FAILED'
  constructor(
    /** what hubstore was doing, e.g. `get issue #5` */
    readonly operation: string,
    /** HTTP status; 500 for network failures (Octokit's convention) */
    readonly status: number,
    /** e.g. `GET /repos/o/r/issues/5` (path only: no host, no query) */
    readonly request: string,
    /** GitHub's `message`, when it sent one */
    readonly githubMessage: string | undefined,
    options?: { cause?: unknown }
  ) {
    super(
      `GitHub request failed while trying to ${operation}: ${request} answered ${status}` +
        `${githubMessage ? ` (${githubMessage})` : ''}. ${fixForStatus(status)}`,
      options
    )
  }
}

function fixForStatus(status: number): string {
  if (status === 401) return 'Check that the token is valid and not expired.'
  if (status === 403 || status === 429)
    return 'The token lacks a permission (issues: write, metadata: read) or a rate limit was hit.'
  if (status === 404 || status === 410)
    return 'Check the owner, repository and number, and that the token can see the repository.'
  if (status === 422) return 'GitHub rejected the input; see its message.'
  return 'GitHub may be unavailable; retry later.'
}

/** Every concrete error class, for narrowing on `code`. */
export type AnyHubstoreError =
  | InvalidOptionsError
  | InvalidObjectIdError
  | InvalidObjectDataError
  | ObjectTooLargeError
  | ObjectNotFoundError
  | ObjectAlreadyExistsError
  | DuplicateObjectIdError
  | NotAStoredObjectError
  | InvalidObjectBodyError
  | LabelsNotAppliedError
  | GitHubRequestError

/** The `code` of every error core throws. */
export type HubstoreErrorCode = AnyHubstoreError['code']

/** True for any error thrown by any copy of @hubstore/core (bundles included). */
export function isHubstoreError(value: unknown): value is AnyHubstoreError {
  return typeof value === 'object' && value !== null && MARKER in value
}
