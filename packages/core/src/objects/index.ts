/**
 * `@hubstore/core/objects`: canonical objects — aliases, duplicates and deprecation of objects
 * stored as issues — the object lease's options, and `listUpdatedSince` (the incremental
 * listing under snapshots). The store's verbs (create, get, update, delete, list, history,
 * process) are at the root.
 */
export { listUpdatedSince } from './list.js'
export {
  createAlias,
  findAliases,
  resolveCanonicalObjectId,
  type AliasResult,
  type CanonicalWriteOptions
} from './canonical.js'
export {
  deduplicateAll,
  deduplicateObject,
  DEPRECATION_REASONS,
  deprecateIssue,
  deprecateObject,
  findDuplicates,
  type DeduplicationResult,
  type DeprecationReason,
  type DeprecationResult
} from './deprecation.js'
export { getCanonicalObject, type CanonicalObject, type FoldedComment } from './canonical-view.js'

// gh-store's config.yml (docs/gh-store-format.md §5.3): parse it, then pass the result as
// `ctx.storeConfig` to every objects operation.
export {
  DEFAULT_STORE_CONFIG,
  defaultConfigPath,
  formatStoreConfig,
  labelsOf,
  parseStoreConfig,
  REACTION_CONTENTS,
  requestBudgetOf,
  clientOptionsOf,
  storeConfigOf,
  storeLabels,
  VERSION_NUMBERINGS,
  type ReactionContent,
  type StoreConfig,
  type StoreLabels,
  type VersionNumbering
} from './config.js'
export {
  createStoreLogger,
  formatLogLine,
  JSON_LOG_FORMAT,
  LOG_LEVELS,
  logRequests,
  type LogLevel,
  type StoreLogger,
  type StoreLoggerOptions
} from './log.js'

// Exact JSON (docs/gh-store-format.md §1.8): the ordered value behind `StoredObject.json`,
// accepted by createObject/updateObject in place of plain data.
export {
  checkJsonDepth,
  fromPlainJson,
  JsonNumber,
  JsonTextError,
  JsonTooDeepError,
  MAX_JSON_DEPTH,
  parseJson,
  parseJsonChecked,
  serializeJson,
  toPlainJson,
  type JsonMap,
  type JsonValue
} from '../json/index.js'
export type { JsonObjectInput } from './json.js'
export { LEASE_DEFAULTS, loggedLeaseWaits, type LeaseOptions } from './lease.js'
export { formatDuration, oneLine, sweepProgressLine } from './progress.js'
export {
  ghStoreGetVersion,
  GH_STORE_LISTED_VERSION,
  numberingOf,
  settleOpenVersions
} from './versions.js'
