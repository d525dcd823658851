/**
 * `@hubstore/core/objects`: canonical objects — aliases, duplicates and deprecation of objects
 * stored as issues — and the object lease's options. The store's verbs (create, get, update,
 * delete, list, history, process) are at the root.
 */
export {
  createAlias,
  deduplicateAll,
  deduplicateObject,
  DEPRECATION_REASONS,
  deprecateObject,
  findAliases,
  findDuplicates,
  resolveCanonicalObjectId,
  type AliasResult,
  type CanonicalWriteOptions,
  type DeduplicationResult,
  type DeprecationReason,
  type DeprecationResult
} from './canonical.js'
export { getCanonicalObject, type CanonicalObject, type FoldedComment } from './canonical-view.js'

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
