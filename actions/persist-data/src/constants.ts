import { oneOf } from '@hubstore/action-kit'
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

/** What a step does. */
export const MODES = ['restore', 'backup', 'status', 'history'] as const
export type Mode = (typeof MODES)[number]

/** Input specs particular to this action (the shared ones live in @hubstore/action-kit). */
export const persistInputSpecs = {
  mode: oneOf(MODES),
  layout: oneOf(DATA_LAYOUTS)
}
