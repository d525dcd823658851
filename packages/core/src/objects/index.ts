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
export { LEASE_DEFAULTS, loggedLeaseWaits, type LeaseOptions } from './lease.js'
