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
        `${githubMessage ? ` (${githubMessage})` : ''}. ${fixForStatus(status, request, githubMessage)}`,
      options
    )
  }
}

function fixForStatus(status: number, request: string, githubMessage = ''): string {
  if (status === 401) return 'Check that the token is valid and not expired.'
  // 403 for a file over 1 MB read with the JSON media type: a size limit, not a permission
  // (docs/github-behaviour.md §1.1)
  if (status === 403 && /blobs up to 1 MB|too large to fetch/i.test(githubMessage))
    return 'The file is over the 1 MB the JSON media type returns; read it with the raw media type (application/vnd.github.raw+json) or through the blob API.'
  if (status === 403 || status === 429)
    return `The token lacks a permission (${permissionFor(request)}) or a rate limit was hit.`
  if (status === 404 || status === 410)
    return 'Check the owner, repository and number, and that the token can see the repository.'
  if (status === 422) return 'GitHub rejected the input; see its message.'
  return 'GitHub may be unavailable; retry later.'
}

/**
 * The token permission a request needs, from its `METHOD /path` (names as in a workflow's
 * `permissions:` block; variables have none there: a PAT or App token with "Variables" is needed).
 */
function permissionFor(request: string): string {
  const [method = 'GET', path = ''] = request.split(' ')
  const access = method === 'GET' ? 'read' : 'write'
  if (/\/actions\/variables/.test(path))
    return `Variables: ${access}, which GITHUB_TOKEN cannot have`
  if (/\/(contents|git|commits|branches)(\/|$)/.test(path)) return `contents: ${access}`
  if (/\/(issues|labels)(\/|$)/.test(path)) return `issues: ${access}`
  if (path === '/graphql') return 'contents: write for commits, issues: write for reactions'
  return 'metadata: read'
}

/**
 * A repository path (a file or prefix an input or option names) that git could not check out or
 * that would leave the checkout: empty, `.` or `..` segments, a `.git` segment in any case, a
 * leading `/`, NUL or another control character (docs/github-behaviour.md §1.3).
 */
export class InvalidPathError extends HubstoreError {
  override readonly name = 'InvalidPathError'
  readonly code = 'INVALID_PATH'
  constructor(
    /** the input or option that carried the path, e.g. `path` or `value-file` */
    readonly input: string,
    /** the path as given */
    readonly path: string,
    /** what is wrong with it, e.g. `has a ".." segment` */
    readonly problem: string
  ) {
    super(
      `${input} ${JSON.stringify(path)} is not a safe repository path: it ${problem}. Use a ` +
        `relative path such as "dir/file.json": segments separated by single "/", none of them ` +
        `".", ".." or ".git", no leading "/" and no control characters.`
    )
  }
}

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
      `${file} is not a sequence file: ${field ? `field "${field}" ` : ''}${problem}. Fix it by ` +
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

/** Every attempt to commit a change to a state branch lost the race to another writer. */
export class StateConflictError extends HubstoreError {
  override readonly name = 'StateConflictError'
  readonly code = 'STATE_CONFLICT'
  constructor(
    /** `owner/repo` */
    readonly repository: string,
    readonly branch: string,
    /** the paths the change touched */
    readonly paths: string[],
    readonly attempts: number,
    /** what the last attempt ran into, e.g. `STALE_DATA` or `422 Update is not a fast forward` */
    readonly lastProblem: string
  ) {
    super(
      `Could not commit ${describePaths(paths)} to branch ${branch} of ${repository}: ` +
        `${attempts} attempt(s) each lost a race to another writer (last: ${lastProblem}). ` +
        `Nothing was committed for this call. Run it again, raise maxAttempts, or put ` +
        `concurrent writers in one workflow concurrency group.`
    )
  }
}

/** A document on a state branch is not JSON, or fails the zod schema registered for its path. */
export class InvalidStateDocumentError extends HubstoreError {
  override readonly name = 'InvalidStateDocumentError'
  readonly code = 'INVALID_STATE_DOCUMENT'
  constructor(
    readonly repository: string,
    readonly branch: string,
    readonly path: string,
    /** the offending field as a dotted path (`posts[3].photo_id`); `''` for the whole document */
    readonly field: string,
    readonly problem: string,
    /** `read`: found on the branch; `write`: refused before anything was written */
    readonly when: 'read' | 'write'
  ) {
    super(
      `${path} on branch ${branch} of ${repository} ${when === 'read' ? 'is' : 'would be'} ` +
        `invalid: ${field ? `field "${field}" ` : ''}${problem}. ` +
        (when === 'read'
          ? `Fix the file on the branch (its history has the previous version).`
          : `Nothing was written; pass a value that matches the schema for this path.`)
    )
  }
}

/** The state branch does not exist and the store was told not to create it. */
export class StateBranchNotFoundError extends HubstoreError {
  override readonly name = 'StateBranchNotFoundError'
  readonly code = 'STATE_BRANCH_NOT_FOUND'
  constructor(
    readonly repository: string,
    readonly branch: string
  ) {
    super(
      `Branch ${branch} does not exist in ${repository} and creating it is switched off ` +
        `(createBranch: false). Create the branch, or allow "orphan" or "default-branch".`
    )
  }
}

/** A repository variable value would exceed GitHub's 48 KB limit. Nothing was written. */
export class VariableTooLargeError extends HubstoreError {
  override readonly name = 'VariableTooLargeError'
  readonly code = 'VARIABLE_TOO_LARGE'
  constructor(
    readonly variable: string,
    readonly bytes: number,
    readonly maxBytes: number
  ) {
    super(
      `Repository variable ${variable} would be ${bytes} bytes; GitHub accepts at most ` +
        `${maxBytes} bytes (48 KB) per variable. Nothing was written. Move this state to the git ` +
        `backend (STORAGE_BACKEND=git), which stores files up to 100 MB.`
    )
  }
}

/** GitHub refused access to repository variables (403): the token has no Variables permission. */
export class VariablesAccessError extends HubstoreError {
  override readonly name = 'VariablesAccessError'
  readonly code = 'VARIABLES_ACCESS_DENIED'
  constructor(
    readonly repository: string,
    /** e.g. `list variables`, `delete variable PRIMARY_ALBUM_1_POSTS` */
    readonly operation: string,
    readonly status: number,
    readonly githubMessage: string | undefined,
    options?: { cause?: unknown }
  ) {
    super(
      `GitHub answered ${status}${githubMessage ? ` (${githubMessage})` : ''} to ${operation} ` +
        `in ${repository}. GITHUB_TOKEN has no variables permission: use a PAT (classic: repo) or ` +
        `a fine-grained/App token with "Variables" read (write to change them); to only read, ` +
        `pass vars-json: \${{ toJSON(vars) }} instead.`,
      options
    )
  }
}

/** The mapping of legacy variable names to paths is malformed. */
export class InvalidMappingError extends HubstoreError {
  override readonly name = 'InvalidMappingError'
  readonly code = 'INVALID_MAPPING'
  constructor(
    /** the offending field as a dotted path (`rules[2].pattern`); `''` for the whole mapping */
    readonly field: string,
    readonly problem: string
  ) {
    super(
      `The variable mapping is invalid: ${field ? `field "${field}" ` : ''}${problem}. Expected ` +
        `{"rules": [{"pattern": "{account}_ALBUM_{album}_POSTS", "path": ` +
        `"{account:lower}-account/album-{album:lower}/posts.json", "kind": "posts"}], ` +
        `"include_defaults": true}.`
    )
  }
}

/** The state storage configuration is invalid, or the startup check of a backend failed. */
export class StateStorageConfigError extends HubstoreError {
  override readonly name = 'StateStorageConfigError'
  readonly code = 'STATE_STORAGE_CONFIG'
  constructor(
    /** the setting (`STORAGE_BACKEND`) or backend (`git`, `repository_variables`) at fault */
    readonly setting: string,
    readonly problem: string,
    readonly fix: string,
    options?: { cause?: unknown }
  ) {
    super(`State storage: ${setting} ${problem}. ${fix}`, options)
  }
}

/** rollback found no `backups/variables-*.json` on the state branch. */
export class BackupNotFoundError extends HubstoreError {
  override readonly name = 'BackupNotFoundError'
  readonly code = 'BACKUP_NOT_FOUND'
  constructor(
    readonly repository: string,
    readonly branch: string
  ) {
    super(
      `No variables backup (backups/variables-*.json) on branch ${branch} of ${repository}. ` +
        `cleanup writes one before deleting anything; without it there is nothing to roll back.`
    )
  }
}

function describePaths(paths: string[]): string {
  if (paths.length === 0) return 'a change'
  if (paths.length <= 3) return paths.join(', ')
  return `${paths.slice(0, 3).join(', ')} and ${paths.length - 3} more file(s)`
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
        `its past versions cannot be rebuilt. Its history (getObjectHistory) is still readable.`
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
      `again later (the other run applies the queued updates), or wait longer (lease.wait).`
    )
  if (reason === 'lease-lost')
    return (
      `The lease on issue #${issueNumber} was taken over by ${who} before this run released it ` +
      `(${detail}): this run stalled longer than its lease. Its body write may have replaced ` +
      `the other run's; compare the issue body with getObjectAt and the applied (+1) comments, ` +
      `or raise lease.durationMs.`
    )
  return (
    `GitHub did not keep the body written to issue #${issueNumber} (${detail}). No comment was ` +
    `marked applied; run processing again.`
  )
}

/** A snapshot file is not gh-store's snapshot format. */
export class InvalidSnapshotError extends HubstoreError {
  override readonly name = 'InvalidSnapshotError'
  readonly code = 'INVALID_SNAPSHOT'
  constructor(
    /** where the snapshot was read from (a path, or `path@branch`) */
    readonly source: string,
    /** the offending field as a dotted path (`objects.metrics.meta.version`); `''` for the whole file */
    readonly field: string,
    readonly problem: string
  ) {
    super(
      `The snapshot ${source} is not a gh-store snapshot: ${field ? `field "${field}" ` : ''}` +
        `${problem}. Fix or delete the file, then take a full snapshot (mode full).`
    )
  }
}

/** An incremental snapshot was asked for, but there is no snapshot file to update. */
export class SnapshotNotFoundError extends HubstoreError {
  override readonly name = 'SnapshotNotFoundError'
  readonly code = 'SNAPSHOT_NOT_FOUND'
  constructor(readonly source: string) {
    super(
      `Snapshot file not found: ${source}. Take a full snapshot first (hubstore snapshot, or the ` +
        `snapshot action with mode full).`
    )
  }
}

/** Every compare-and-swap write of a snapshot file lost a race to another writer. */
export class SnapshotConflictError extends HubstoreError {
  override readonly name = 'SnapshotConflictError'
  readonly code = 'SNAPSHOT_CONFLICT'
  constructor(
    readonly repository: string,
    readonly path: string,
    readonly attempts: number,
    /** e.g. `409 data/store-snapshot.json does not match 3b1f…` */
    readonly lastProblem: string
  ) {
    super(
      `Could not write ${path} in ${repository}: ${attempts} attempt(s) each found the file ` +
        `changed by another writer (last: ${lastProblem}). Nothing was written. Run it again, or ` +
        `put snapshot jobs in one workflow concurrency group.`
    )
  }
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
  | InvalidPathError
  | InvalidSequenceFileError
  | SequenceContentionError
  | SequenceOutcomeUnknownError
  | SequenceFormatTooLongError
  | IdempotencyKeyConflictError
  | StateConflictError
  | InvalidStateDocumentError
  | StateBranchNotFoundError
  | VariableTooLargeError
  | VariablesAccessError
  | InvalidMappingError
  | StateStorageConfigError
  | BackupNotFoundError
  | VersionNotFoundError
  | HistoryIncompleteError
  | InvalidAliasError
  | ObjectProcessingConflictError
  | InvalidSnapshotError
  | SnapshotNotFoundError
  | SnapshotConflictError

/** The `code` of every error core throws. */
export type HubstoreErrorCode = AnyHubstoreError['code']

/** True for any error thrown by any copy of @hubstore/core (bundles included). */
export function isHubstoreError(value: unknown): value is AnyHubstoreError {
  return typeof value === 'object' && value !== null && MARKER in value
}
