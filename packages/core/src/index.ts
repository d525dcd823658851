/**
 * @hubstore/core — a GitHub repository as a data store. No `@actions/*` import anywhere: actions
 * and the CLI are thin adapters over these functions.
 */
export {
  CLIENT_DEFAULTS,
  createGitHubClient,
  type ClientOptions,
  type HubstoreOctokit,
  type RateLimitHandler,
  type RequestCounter
} from './github/client.js'
export { BACKOFF_DEFAULTS, fullJitterDelay, type BackoffOptions } from './github/backoff.js'
export type { RepoContext } from './github/context.js'
export {
  DuplicateObjectIdError,
  GitHubRequestError,
  HistoryIncompleteError,
  HubstoreError,
  InvalidAliasError,
  InvalidObjectBodyError,
  InvalidObjectDataError,
  InvalidObjectIdError,
  InvalidOptionsError,
  isHubstoreError,
  LabelsNotAppliedError,
  NotAStoredObjectError,
  ObjectAlreadyExistsError,
  ObjectNotFoundError,
  ObjectTooLargeError,
  InvalidSnapshotError,
  SnapshotConflictError,
  SnapshotNotFoundError,
  VersionNotFoundError,
  type AnyHubstoreError,
  type HubstoreErrorCode
} from './errors.js'
export {
  Authorizer,
  CODEOWNERS_PATHS,
  githubAuthorizationSource,
  grantsWrite,
  parseCodeowners,
  type AuthorizationDecision,
  type AuthorizationSource,
  type Codeowners
} from './objects/authorization.js'
export {
  CLIENT_VERSION,
  INITIAL_STATE_TYPE,
  LABEL_COLORS,
  LABELS,
  MAX_BODY_CHARS,
  MAX_LABEL_CHARS,
  MAX_NESTING_DEPTH,
  REACTIONS,
  TITLE_PREFIX
} from './objects/constants.js'
export {
  buildEnvelope,
  parseComment,
  type EnvelopeInput,
  type ParsedComment,
  type RejectionCode,
  type UpdateMeta
} from './objects/envelope.js'
export {
  aliasTarget,
  createAlias,
  deduplicateObject,
  deprecateIssue,
  deprecateObject,
  findAliases,
  findDuplicates,
  resolveCanonicalObjectId,
  type AliasResult,
  type DeduplicationResult,
  type DeprecationReason,
  type DeprecationResult
} from './objects/canonical.js'
export {
  getObjectAt,
  getObjectHistory,
  historyEntries,
  readInitialState,
  versionFromHistory,
  type HistoryEntry,
  type ObjectHistory,
  type ObjectVersion,
  type VersionSelector
} from './objects/history.js'
export { validateObjectId, type StoredObject } from './objects/issues.js'
export {
  classifyIssues,
  listObjects,
  listUpdatedSince,
  type DuplicateObjectId,
  type ListObjectsOptions,
  type ListProgress,
  type ObjectListing,
  type SkippedIssue,
  type SkipReason
} from './objects/list.js'
export { reactionMutation, ReactionWriter, type Mark, type MarkingMode } from './objects/marking.js'
export type { JsonObject } from './objects/json.js'
export {
  applyUpdate,
  applyUpdates,
  deepMerge,
  type MergeResult,
  type UpdateMode
} from './objects/merge.js'
export {
  processOpenObjects,
  processUpdates,
  type ProcessOptions,
  type ProcessResult
} from './objects/process.js'
export {
  createObject,
  deleteObject,
  getObject,
  updateObject,
  type DeletedObject,
  type UpdateQueued
} from './objects/store.js'
export {
  entryOf,
  mergeIssues,
  type MergeIssuesOptions,
  type SnapshotReport
} from './snapshot/build.js'
export { gitBlobSha, readRepoFile, writeRepoFile, type RepoFile } from './github/contents.js'
export {
  githubTimeToPython,
  parseSnapshot,
  pythonIsoformat,
  serializeSnapshot,
  type Snapshot,
  type SnapshotEntry
} from './snapshot/format.js'
export {
  createSnapshot,
  SINCE_OVERLAP_MS,
  syncSnapshotFile,
  updateSnapshot,
  type SnapshotOptions,
  type SnapshotResult,
  type SyncSnapshotOptions,
  type SyncSnapshotResult
} from './snapshot/snapshot.js'
export { HUBSTORE_VERSION } from './version.js'
export {
  IdempotencyKeyConflictError,
  InvalidSequenceFileError,
  SequenceContentionError,
  SequenceFormatTooLongError,
  SequenceOutcomeUnknownError
} from './errors.js'
export { SEQUENCE_DEFAULTS } from './sequence/constants.js'
export {
  compileTemplate,
  periodOf,
  seriesKey,
  SERIES_KINDS,
  type Period,
  type SeriesKind
} from './sequence/format.js'
export { parseSequenceFile, type Claim, type SequenceDocument } from './sequence/file.js'
export {
  parseMessage as parseSequenceCommitMessage,
  type ParsedMessage as ParsedSequenceCommitMessage
} from './sequence/message.js'
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
// State on a branch: the generic branch store, and the automation-state domain on it.
export * from './branch-store/index.js'
export * from './automation-state/index.js'
