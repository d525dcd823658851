/** Errors of the data module (`@hubstore/core/data`). The catalogue is src/errors.ts. */
import { HubstoreError } from './base.js'

/** Why a directory could not be captured. */
export type DataCaptureProblem =
  | 'not-a-directory'
  | 'symlink'
  | 'special-file'
  | 'unsafe-name'
  | 'hook-failed'
  | 'sqlite-failed'
  | 'unstable'

const CAPTURE_FIX: Record<DataCaptureProblem, string> = {
  'not-a-directory': 'Pass the path of an existing directory.',
  symlink:
    'Symbolic links are not backed up (they could point outside the directory): replace it with the file or remove it.',
  'special-file':
    'Only regular files and directories are backed up: remove the device, socket or FIFO.',
  'unsafe-name':
    'Names with a control character, or a ".git" segment, cannot be stored in a repository: rename the file.',
  'hook-failed': 'Fix the hook command (it must exit 0) or run without it.',
  'sqlite-failed':
    'The database could not be read through SQLite: check that it is not corrupt and that the process may read it.',
  unstable:
    'The file kept changing while it was read: quiesce the writer with a pre-backup hook, or retry.'
}

/** A directory could not be captured; nothing was uploaded or committed. */
export class DataCaptureError extends HubstoreError {
  override readonly name = 'DataCaptureError'
  readonly code = 'DATA_CAPTURE_FAILED'
  constructor(
    readonly problem: DataCaptureProblem,
    /** the relative path (or the directory, or the hook command name) concerned */
    readonly path: string,
    readonly detail: string,
    options?: { cause?: unknown }
  ) {
    super(`Cannot back up ${path}: ${detail}. ${CAPTURE_FIX[problem]}`, options)
  }
}

/** A manifest (or the backup index) read from the data branch is not valid. */
export class InvalidDataManifestError extends HubstoreError {
  override readonly name = 'InvalidDataManifestError'
  readonly code = 'INVALID_DATA_MANIFEST'
  constructor(
    /** where it was read from (`backups/<id>.json@<commit>`) */
    readonly source: string,
    /** the offending field as a dotted path; `''` for the whole document */
    readonly field: string,
    readonly problem: string
  ) {
    super(
      `The backup manifest ${source} is not valid: ${field ? `field "${field}" ` : ''}${problem}. ` +
        `Nothing was written. Restore another backup, or check who wrote to the data branch.`
    )
  }
}

/** Bytes downloaded or restored do not have the SHA-256 (or size) the manifest names. */
export class DataIntegrityError extends HubstoreError {
  override readonly name = 'DataIntegrityError'
  readonly code = 'DATA_INTEGRITY'
  constructor(
    /** `pack`, `chunk` or `file` */
    readonly kind: 'pack' | 'chunk' | 'file',
    /** the pack oid, chunk id or file path */
    readonly subject: string,
    readonly problem: string
  ) {
    super(
      `The ${kind} ${subject} failed verification: ${problem}. Nothing was written to the ` +
        `target directory. Delete the local pack cache and retry; if it fails again, restore ` +
        `another backup.`
    )
  }
}

/** A Git LFS Batch API or transfer request failed. */
export class LfsRequestError extends HubstoreError {
  override readonly name = 'LfsRequestError'
  readonly code = 'LFS_REQUEST_FAILED'
  constructor(
    /** e.g. `upload batch`, `upload 3b1f…`, `download 3b1f…` */
    readonly operation: string,
    /** HTTP status; 0 when the server could not be reached */
    readonly status: number,
    /** the server's message (never a header) */
    readonly serverMessage: string
  ) {
    super(
      `Git LFS ${operation} failed: ${status === 0 ? 'no answer' : `HTTP ${status}`}` +
        `${serverMessage ? ` (${serverMessage})` : ''}. ${lfsFix(status)}`
    )
  }
}

function lfsFix(status: number): string {
  if (status === 401) return 'Check that the token is valid and not expired.'
  if (status === 403 || status === 404)
    return 'Check that the token may read (restore) or write (backup) the data repository (contents: write).'
  if (status === 413 || status === 422) return 'The object was refused; report this as a bug.'
  return 'Retry later.'
}

/** GitHub refused LFS storage or bandwidth: the account is over its Git LFS quota. */
export class LfsQuotaExceededError extends HubstoreError {
  override readonly name = 'LfsQuotaExceededError'
  readonly code = 'LFS_QUOTA_EXCEEDED'
  constructor(
    readonly operation: 'upload' | 'download',
    readonly serverMessage: string
  ) {
    super(
      `Git LFS ${operation} refused: the repository is over its LFS quota (${serverMessage}). ` +
        (operation === 'upload'
          ? 'Nothing was committed; the previous backup stands. Add LFS storage to the account, or back up to another repository.'
          : 'Wait for the monthly bandwidth reset, add bandwidth to the account, or restore from the local pack cache.')
    )
  }
}

/** The restore point names no backup on the data branch. */
export class RestorePointNotFoundError extends HubstoreError {
  override readonly name = 'RestorePointNotFoundError'
  readonly code = 'RESTORE_POINT_NOT_FOUND'
  constructor(
    readonly repository: string,
    readonly branch: string,
    /** the restore point as given (`latest`, an id, a SHA, a tag, `before:<time>`) */
    readonly point: string,
    /** when the backup was pruned (ISO time), if the branch's prune list names it */
    readonly prunedAt?: string
  ) {
    super(
      prunedAt
        ? `${point} was pruned from branch ${branch} of ${repository} at ${prunedAt}. Its ` +
            `manifest is still in the branch's history: restore from a commit SHA or tag of ` +
            `that time, or pick a kept backup (history).`
        : `No backup matches ${point} on branch ${branch} of ${repository}. List the backups ` +
            `(history) and pass one of their ids, a commit SHA, a tag or a later time.`
    )
  }
}

/** Every compare-and-swap commit of a backup manifest (or of a prune) lost a race to another writer. */
export class DataBackupConflictError extends HubstoreError {
  override readonly name = 'DataBackupConflictError'
  readonly code = 'DATA_BACKUP_CONFLICT'
  constructor(
    readonly repository: string,
    readonly branch: string,
    readonly attempts: number,
    readonly lastProblem: string,
    /** what could not be committed: a backup's manifest, or a prune's removals */
    readonly operation: 'backup' | 'prune' = 'backup'
  ) {
    super(
      operation === 'prune'
        ? `Could not commit the prune to branch ${branch} of ${repository}: ${attempts} ` +
            `attempt(s) each found the branch moved by another writer (last: ${lastProblem}). ` +
            `Nothing was removed; run the prune again when no backup is running.`
        : `Could not commit the backup manifest to branch ${branch} of ${repository}: ${attempts} ` +
            `attempt(s) each found the branch moved by another writer (last: ${lastProblem}). The ` +
            `packs are uploaded; running the backup again reuses them. Run one backup at a time ` +
            `per data branch.`
    )
  }
}
