/**
 * Automation state on a branch: the branch store (JSON documents, compare-and-swap commits),
 * the automation-state layer (models, storage adapters) and the migration off repository
 * variables. See packages/core/README.md, "State on a branch".
 */
export {
  BRANCH_STORE_DEFAULTS,
  BranchStore,
  type BranchStoreOptions,
  type ChangeFunction,
  type ChangeSet,
  type CommitResult,
  type CreateBranchMode,
  type Documents,
  type StateDocument
} from './branch-store.js'
export type { BackoffOptions as StateBackoffOptions } from '../github/backoff.js'
export {
  BACKUP_DIRECTORY,
  DEFAULT_STATE_BRANCH,
  VARIABLE_VALUE_MAX_BYTES,
  VARIABLES_PER_PAGE_MAX,
  VARIABLES_PER_REPO_MAX
} from './constants.js'
export {
  runStateCommand,
  STATE_COMMANDS,
  type StateCommand,
  type StateCommandOptions,
  type StateCommandResult
} from './command.js'
export type { BranchHead, CommitVia, ReadVia } from './git.js'
export {
  accountConfigPath,
  albumDirectory,
  albumFilePath,
  legacyVariableName,
  normaliseAccount,
  normaliseAlbumId,
  parseStatePath,
  type AlbumFileKind
} from './layout.js'
export {
  compileMapping,
  DEFAULT_MAPPING_RULES,
  readLegacyValue,
  type LegacyKind,
  type LegacyValue,
  type MappingFile,
  type MappingRule,
  type VariableMapping,
  type VariableTarget
} from './legacy.js'
export { applyMergePatch } from './merge-patch.js'
export {
  backupPath,
  MIGRATION_COMMANDS,
  runMigration,
  type FileReport,
  type MigrationCommand,
  type MigrationOptions,
  type MigrationReport,
  type VariableReport,
  type VariablesBackup
} from './migrate.js'
export {
  AccountConfigSchema,
  AlbumMetadataSchema,
  COMPLETION_STATUSES,
  DERIVED_METADATA_FIELDS,
  deriveMetadata,
  enrichFailed,
  enrichPost,
  FailedFileSchema,
  FailedPositionSchema,
  LegacyPostSchema,
  POST_STATUSES,
  PostRecordSchema,
  PostsFileSchema,
  RetryAttemptSchema,
  type AccountConfig,
  type AlbumMetadata,
  type CompletionStatus,
  type FailedPosition,
  type PostRecord,
  type PostStatus,
  type RetryAttempt
} from './models.js'
export {
  AUTOMATION_STATE_SCHEMAS,
  AutoStateAdapter,
  createStateStorage,
  GitStateAdapter,
  recordFailure,
  recordPost,
  STATE_STORAGE_DEFAULTS,
  STATE_STORAGE_ENV,
  stateStorageConfigFromEnv,
  STORAGE_BACKENDS,
  VariablesStateAdapter,
  type AlbumChange,
  type AlbumState,
  type CreateStateStorageOptions,
  type FailureInput,
  type PostedInput,
  type StateStorageAdapter,
  type StateStorageConfig,
  type StorageBackend
} from './adapter.js'
export {
  RepositoryVariables,
  variableSourceFromJson,
  type LegacyVariable,
  type VariableSource
} from './variables.js'
