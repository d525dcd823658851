/**
 * @hubstore/core — a GitHub repository as a data store. No `@actions/*` import anywhere: actions
 * and the CLI are thin adapters over these functions.
 *
 * The root holds the client factory, each capability's verbs and result types, and every error
 * class with `isHubstoreError`. Lower-level pieces sit behind one subpath per capability:
 * `@hubstore/core/github`, `/objects`, `/snapshot`, `/sequence`, `/branch-store` and
 * `/automation-state`. __tests__/public-api.test.ts keeps the root at 60 runtime names or fewer.
 */

// The client
export {
  createGitHubClient,
  type ClientOptions,
  type HubstoreOctokit,
  type RateLimitHandler,
  type RequestCounter
} from './github/client.js'
export type { RepoContext } from './github/context.js'
export type { CasEvent, RetryOptions } from './github/cas.js'

// Errors: every class of the catalogue, and the check that works across bundled copies of core
export {
  BackupNotFoundError,
  DuplicateObjectIdError,
  GitHubRequestError,
  HistoryIncompleteError,
  HubstoreError,
  IdempotencyKeyConflictError,
  InvalidAliasError,
  InvalidMappingError,
  InvalidObjectBodyError,
  InvalidObjectDataError,
  InvalidObjectIdError,
  InvalidOptionsError,
  InvalidPathError,
  InvalidSequenceFileError,
  InvalidSnapshotError,
  InvalidStateDocumentError,
  InvalidStoreConfigError,
  isHubstoreError,
  LabelsNotAppliedError,
  NotAStoredObjectError,
  ObjectAlreadyExistsError,
  ObjectNotFoundError,
  ObjectProcessingConflictError,
  ObjectTooLargeError,
  RateLimitedError,
  RepositoryNotFoundError,
  RequestBudgetExceededError,
  SequenceContentionError,
  SequenceFormatTooLongError,
  SequenceOutcomeUnknownError,
  SnapshotConflictError,
  SnapshotNotFoundError,
  StateBranchNotFoundError,
  StateConflictError,
  StateStorageConfigError,
  VariablesAccessError,
  VariableTooLargeError,
  VersionNotFoundError,
  type AnyHubstoreError,
  type HubstoreErrorCode
} from './errors.js'

// Objects: JSON objects stored as issues
export {
  createObject,
  deleteObject,
  getObject,
  updateObject,
  type DeletedObject,
  type GetObjectOptions,
  type UpdateQueued
} from './objects/store.js'
export type { StoredObject } from './objects/issues.js'
export type { JsonObject } from './objects/json.js'
export {
  listObjects,
  type DuplicateObjectId,
  type ListObjectsOptions,
  type ListProgress,
  type ObjectListing,
  type SkippedIssue,
  type SkipReason
} from './objects/list.js'
export {
  getObjectAt,
  getObjectHistory,
  type HistoryEntry,
  type ObjectHistory,
  type ObjectVersion,
  type VersionSelector
} from './objects/history.js'
export {
  processOpenObjects,
  processUpdates,
  type ProcessOptions,
  type ProcessResult,
  type SweepOptions,
  type SweepProgress
} from './objects/process.js'
export type { Mark, MarkingMode } from './objects/marking.js'
export type { RejectionCode } from './objects/envelope.js'
export type { UpdateMode } from './objects/merge.js'

// Snapshots: every object in one JSON file
export {
  snapshotInto,
  type SnapshotOptions,
  type SnapshotResult,
  type SyncSnapshotResult
} from './snapshot/snapshot.js'
export {
  repositoryFile,
  workspaceFile,
  type LocationWrite,
  type RepositoryFileOptions,
  type SnapshotLocation
} from './snapshot/location.js'
export type { Snapshot, SnapshotEntry } from './snapshot/format.js'

// Sequences: gap-free counters in repository files
export {
  incrementSequence,
  listSequences,
  peekSequence,
  SequenceStore,
  setSequence,
  type IncrementOptions,
  type IncrementResult,
  type PeekOptions,
  type PeekResult,
  type SequenceEvent,
  type SequenceFileOptions,
  type SequenceListing,
  type SequenceStoreOptions,
  type SeriesOptions,
  type SetOptions,
  type SetResult
} from './sequence/store.js'
export type { Period, SeriesKind } from './sequence/format.js'

// Branch store: JSON documents on a branch, compare-and-swap commits
export {
  BranchStore,
  type BranchStoreOptions,
  type ChangeFunction,
  type ChangeSet,
  type CommitResult,
  type CreateBranchMode,
  type Documents,
  type StateDocument
} from './branch-store/branch-store.js'
export {
  runStateCommand,
  type StateCommand,
  type StateCommandOptions,
  type StateCommandResult
} from './branch-store/command.js'

// Automation state: storage adapters over the branch store, and the migration off variables
export type {
  AlbumChange,
  AlbumState,
  StateStorageAdapter
} from './automation-state/storage/adapter.js'
export {
  createStateStorage,
  type CreateStateStorageOptions
} from './automation-state/storage/factory.js'
export type { FailureInput, PostedInput } from './automation-state/storage/record.js'
export type { StateStorageConfig, StorageBackend } from './automation-state/storage/settings.js'
export type {
  AccountConfig,
  AlbumMetadata,
  CompletionStatus,
  FailedPosition,
  PostRecord,
  PostStatus,
  RetryAttempt
} from './automation-state/models.js'
export { runMigration } from './automation-state/migrate.js'
export type {
  FileReport,
  MigrationCommand,
  MigrationOptions,
  MigrationReport,
  VariableReport
} from './automation-state/migration/report.js'
