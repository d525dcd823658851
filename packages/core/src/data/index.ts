/**
 * `@hubstore/core/data`: an application's data directory backed up to a GitHub repository —
 * consistent SQLite capture, deduplicated chunks in Git LFS packs, one manifest per backup
 * committed by compare-and-swap, atomic restore (docs/persist-data.md). The action and the CLI
 * are thin callers of `backupDirectory`, `restoreDirectory`, `listBackups`,
 * `directoryStatus` and `pruneBackups`.
 */
export {
  backupDirectory,
  type BackupOptions,
  type BackupResult,
  type DataRemoteOptions
} from './backup.js'
export { DATA_BRANCH, DataBranch } from './branch.js'
export {
  captureDirectory,
  type Capture,
  type CapturedFile,
  type CaptureOptions,
  type HookCommand
} from './capture.js'
export { cdcChunks, pageChunks, CDC_SIZES, type Chunk } from './chunk.js'
export { directoryStatus, type DirectoryStatus, type FileStatus } from './status.js'
export {
  MIN_WATCH_INTERVAL_MS,
  retryDelayMs,
  watchDirectory,
  type WatchEvent,
  type WatchOptions,
  type WatchSummary
} from './watch.js'
export { listBackups, type BackupListing } from './history.js'
export { LfsClient, lfsClientFor, lfsPointer, type LfsObject } from './lfs.js'
export {
  DATA_FORMAT,
  parseManifest,
  type BackupSummary,
  type FileEntry,
  type Manifest,
  type PackRef
} from './manifest.js'
export { buildPacks, DEFAULT_CODEC, PACK_MAX_BYTES, PACK_TARGET_BYTES } from './pack.js'
export {
  pruneBackups,
  readPrunedList,
  selectBackups,
  type KeepReason,
  type PruneOptions,
  type PruneResult,
  type RetentionPolicy
} from './prune.js'
export {
  LFS_OBJECT_MAX_BYTES,
  lfsStoredBytes,
  PUSH_MAX_BYTES,
  QUOTA_DEFAULTS,
  resolveQuota,
  SIZE_WARNING_CODES,
  sizeWarnings,
  type QuotaOptions,
  type SizeInput,
  type SizeWarningCode
} from './sizes.js'
export type { DataProgress, DataProgressListener } from './progress.js'
export {
  defaultPackCache,
  parseRestorePoint,
  restoreDirectory,
  type RestoreOptions,
  type RestorePoint,
  type RestoreResult
} from './restore.js'
export {
  DataBackupConflictError,
  DataCaptureError,
  DataIntegrityError,
  InvalidDataManifestError,
  LfsQuotaExceededError,
  LfsRequestError,
  RestorePointNotFoundError,
  type DataCaptureProblem
} from '../errors/data.js'
