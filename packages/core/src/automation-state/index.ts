/**
 * `@hubstore/core/automation-state`: the automation-state domain on the branch store — models,
 * layout, storage adapters (git, repository variables, auto) and the migration off repository
 * variables. See packages/core/README.md, "State on a branch".
 */
export {
  BACKUP_DIRECTORY,
  VARIABLE_VALUE_MAX_BYTES,
  VARIABLES_PER_PAGE_MAX,
  VARIABLES_PER_REPO_MAX
} from './constants.js'
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
export { runMigration } from './migrate.js'
export {
  backupPath,
  MIGRATION_COMMANDS,
  type FileReport,
  type MigrationCommand,
  type MigrationOptions,
  type MigrationReport,
  type VariableReport,
  type VariablesBackup
} from './migration/report.js'
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
export type { AlbumChange, AlbumState, StateStorageAdapter } from './storage/adapter.js'
export { AutoStateAdapter } from './storage/auto-adapter.js'
export {
  AUTOMATION_STATE_SCHEMAS,
  createStateStorage,
  type CreateStateStorageOptions
} from './storage/factory.js'
export { GitStateAdapter } from './storage/git-adapter.js'
export { recordFailure, recordPost, type FailureInput, type PostedInput } from './storage/record.js'
export {
  STATE_STORAGE_DEFAULTS,
  STATE_STORAGE_ENV,
  stateStorageConfigFromEnv,
  STORAGE_BACKENDS,
  type StateStorageConfig,
  type StorageBackend
} from './storage/settings.js'
export { VariablesStateAdapter } from './storage/variables-adapter.js'
export {
  RepositoryVariables,
  variableSourceFromJson,
  type LegacyVariable,
  type VariableSource
} from './variables.js'
