/**
 * `@hubstore/core/objects`: canonical objects — aliases, duplicates and deprecation of objects
 * stored as issues — and the object lease's options. The store's verbs (create, get, update,
 * delete, list, history, process) are at the root.
 */
export {
  createAlias,
  deduplicateObject,
  deprecateObject,
  findAliases,
  findDuplicates,
  resolveCanonicalObjectId,
  type AliasResult,
  type DeduplicationResult,
  type DeprecationReason,
  type DeprecationResult
} from './canonical.js'

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
  storeConfigOf,
  storeLabels,
  type ReactionContent,
  type StoreConfig,
  type StoreLabels
} from './config.js'

// Exact JSON (docs/gh-store-format.md §1.8): the ordered value behind `StoredObject.json`,
// accepted by createObject/updateObject in place of plain data.
export {
  fromPlainJson,
  JsonNumber,
  JsonTextError,
  parseJson,
  serializeJson,
  toPlainJson,
  type JsonMap,
  type JsonValue
} from '../json/index.js'
export type { JsonObjectInput } from './json.js'
export { LEASE_DEFAULTS, loggedLeaseWaits, type LeaseOptions } from './lease.js'
export { formatDuration, oneLine, sweepProgressLine } from './progress.js'
export { settleOpenVersions } from './versions.js'
