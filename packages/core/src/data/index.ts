/**
 * `@hubstore/core/data`: an application's data directory backed up to a GitHub repository —
 * consistent SQLite capture, deduplicated chunks in Git LFS packs (or plain files with LFS
 * pointers, the `lfs-files` layout), one manifest per backup committed by compare-and-swap,
 * atomic restore, including of a data repository written by the seed's script
 * (docs/persist-data.md). The action and the CLI
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
export { FILES_ROOT } from './files-tree.js'
export { isLfsPath, lfsAttributesText, parseLfsRules, SEED_LFS_PATTERNS } from './gitattributes.js'
export { LfsClient, lfsClientFor, lfsPointer, type LfsObject } from './lfs.js'
export {
  DATA_FORMAT,
  DATA_FORMAT_2,
  DATA_LAYOUTS,
  nodePath,
  parseManifest,
  type DataLayout,
  type BackupSummary,
  type FileEntry,
  type FileEntryV2,
  type Manifest,
  type ManifestV1,
  type ManifestV2,
  type PackRef,
  type TreeRef
} from './manifest.js'
export { inlineManifest, NodeReader, TREE_SHAPE, type TreeShape } from './tree.js'
export {
  encodeNode,
  innerDigest,
  leafDigest,
  NODE_FORMAT,
  type InnerNode,
  type LeafNode,
  type TreeNode
} from './tree-node.js'
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
  restoreDirectory,
  type RestoreOptions,
  type RestoreResult
} from './restore.js'
export { parseRestorePoint, type RestorePoint } from './restore-point.js'
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
