import { oneOf, wholeNumber } from '@hubstore/action-kit'
import { DATA_LAYOUTS } from '@hubstore/core/data'

/** Input names of the persist-data action (action.yml `inputs`). */
export enum Inputs {
  Token = 'token',
  Repository = 'repository',
  Mode = 'mode',
  Path = 'path',
  Branch = 'branch',
  /** backup only: `chunked` or `lfs-files` */
  Layout = 'layout',
  IfMissing = 'if-missing',
  RestorePoint = 'restore-point',
  PostBackup = 'post-backup',
  LfsQuotaBytes = 'lfs-quota-bytes',
  WarnAtPercent = 'warn-at-percent',
  KeepLast = 'keep-last',
  KeepDaily = 'keep-daily',
  /** read by @hubstore/action-kit's clientFromInputs */
  RequestTimeout = 'request-timeout',
  MaxRateLimitWait = 'max-rate-limit-wait'
}

/** Output names of the persist-data action (action.yml `outputs`). */
export enum Outputs {
  BackupId = 'backup-id',
  CommitSha = 'commit-sha',
  Files = 'files',
  Bytes = 'bytes',
  UploadedBytes = 'uploaded-bytes',
  Restored = 'restored'
}

/** Names of the state main saves for the post step (`core.saveState`, read as `STATE_<name>`). */
export enum State {
  /** set by every main step: the same bundle runs again as the post step (post.ts) */
  IsPost = 'isPost',
  /** `true`: main restored with post-backup, so the post step backs the directory up */
  BackupAtPost = 'backupAtPost'
}

/** What a step does. */
export const MODES = ['restore', 'backup', 'status', 'history', 'prune'] as const
export type Mode = (typeof MODES)[number]

/** Input specs particular to this action (the shared ones live in @hubstore/action-kit). */
export const persistInputSpecs = {
  mode: oneOf(MODES),
  layout: oneOf(DATA_LAYOUTS),
  /** bytes; empty = 10 GiB (core's default) */
  lfsQuotaBytes: wholeNumber({ min: 1, optional: true }),
  /** percent; empty = 80 */
  warnAtPercent: wholeNumber({ min: 1, max: 100, optional: true }),
  /** prune: backups; empty = 0 */
  keep: wholeNumber({ min: 0, optional: true }),
  /** the fix of a prune that would keep nothing */
  keepFix: 'Give keep-last or keep-daily 1 or more: a prune must keep at least the newest backup',
  /** the fix of a `post-backup: true` outside `mode: restore` */
  postBackupFix:
    'post-backup backs up at job end what a restore brought back: use it with mode: restore, or use mode: backup'
}
