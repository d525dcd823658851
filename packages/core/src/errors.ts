/**
 * Every error @hubstore/core throws. Callers match on `code` (a literal type, so `switch
 * (error.code)` narrows), never on `instanceof`: each Action bundle carries its own copy of core.
 * Messages state the facts and the fix; they never contain tokens, clients or options. The
 * underlying error (usually Octokit's `RequestError`) is kept as the non-enumerable `cause`.
 * The table in packages/core/README.md lists every code.
 */

import { MARKER } from './errors/base.js'
import type {
  ActivitySchemaTooNewError,
  InvalidActivityDatabaseError,
  InvalidWebhookPayloadError
} from './errors/activity.js'
import type {
  DataBackupConflictError,
  DataCaptureError,
  DataIntegrityError,
  InvalidDataManifestError,
  LfsQuotaExceededError,
  LfsRequestError,
  RestorePointNotFoundError
} from './errors/data.js'
import type {
  GitHubRequestError,
  InvalidOptionsError,
  InvalidPathError,
  RepositoryNotFoundError,
  RateLimitedError
} from './errors/github.js'
import type {
  ActivityAuthError,
  BudgetReserveError,
  ChangeQueryRefusedError,
  SweepLockedError
} from './errors/activity-sync.js'
import type { InvalidStoreConfigError, RequestBudgetExceededError } from './errors/config.js'
import type {
  DuplicateObjectIdError,
  HistoryIncompleteError,
  InvalidAliasError,
  InvalidObjectBodyError,
  InvalidObjectDataError,
  InvalidObjectIdError,
  LabelsNotAppliedError,
  NotAStoredObjectError,
  ObjectAlreadyExistsError,
  ObjectNotFoundError,
  ObjectProcessingConflictError,
  ObjectTooLargeError,
  VersionNotFoundError
} from './errors/objects.js'
import type {
  IdempotencyKeyConflictError,
  InvalidSequenceFileError,
  SequenceContentionError,
  SequenceFormatTooLongError,
  SequenceOutcomeUnknownError
} from './errors/sequence.js'
import type {
  BackupNotFoundError,
  InvalidMappingError,
  InvalidStateDocumentError,
  StateBranchNotFoundError,
  StateConflictError,
  StateStorageConfigError,
  VariableTooLargeError,
  VariablesAccessError
} from './errors/state.js'
import type {
  InvalidSnapshotError,
  SnapshotConflictError,
  SnapshotNotFoundError
} from './errors/snapshot.js'

export { HubstoreError } from './errors/base.js'
export { InvalidStoreConfigError, RequestBudgetExceededError } from './errors/config.js'
// The data module's classes (errors/data.ts) are in the union and the codes below but are
// exported by `@hubstore/core/data`, not here: the root export list is full (≤ 60 names). The
// activity module's (errors/activity.ts) likewise, from `@hubstore/core/activity`.
export {
  GitHubRequestError,
  InvalidOptionsError,
  InvalidPathError,
  RateLimitedError,
  RepositoryNotFoundError,
  type NetworkFailure,
  type RateLimitReason
} from './errors/github.js'
export {
  DuplicateObjectIdError,
  HistoryIncompleteError,
  InvalidAliasError,
  InvalidObjectBodyError,
  InvalidObjectDataError,
  InvalidObjectIdError,
  LabelsNotAppliedError,
  NotAStoredObjectError,
  ObjectAlreadyExistsError,
  ObjectNotFoundError,
  ObjectProcessingConflictError,
  ObjectTooLargeError,
  VersionNotFoundError
} from './errors/objects.js'
export {
  IdempotencyKeyConflictError,
  InvalidSequenceFileError,
  SequenceContentionError,
  SequenceFormatTooLongError,
  SequenceOutcomeUnknownError
} from './errors/sequence.js'
export {
  BackupNotFoundError,
  InvalidMappingError,
  InvalidStateDocumentError,
  StateBranchNotFoundError,
  StateConflictError,
  StateStorageConfigError,
  VariableTooLargeError,
  VariablesAccessError
} from './errors/state.js'
export {
  InvalidSnapshotError,
  SnapshotConflictError,
  SnapshotNotFoundError
} from './errors/snapshot.js'

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
  | RateLimitedError
  | InvalidPathError
  | RepositoryNotFoundError
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
  | DataCaptureError
  | InvalidDataManifestError
  | DataIntegrityError
  | LfsRequestError
  | LfsQuotaExceededError
  | RestorePointNotFoundError
  | DataBackupConflictError
  | InvalidStoreConfigError
  | RequestBudgetExceededError
  | InvalidActivityDatabaseError
  | ActivitySchemaTooNewError
  | InvalidWebhookPayloadError
  | BudgetReserveError
  | SweepLockedError
  | ActivityAuthError
  | ChangeQueryRefusedError

/** The `code` of every error core throws. */
export type HubstoreErrorCode = AnyHubstoreError['code']

/** True for any error thrown by any copy of @hubstore/core (bundles included). */
export function isHubstoreError(value: unknown): value is AnyHubstoreError {
  return typeof value === 'object' && value !== null && MARKER in value
}
