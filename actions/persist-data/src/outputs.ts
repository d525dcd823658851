import type { OutputValue } from '@hubstore/action-kit'
import type {
  BackupListing,
  BackupResult,
  DirectoryStatus,
  PruneResult,
  RestoreResult
} from '@hubstore/core/data'
import { Outputs } from './constants.js'

/** Every output of a step; those a mode does not produce are `''`. */
type StepOutputs = Record<Outputs, OutputValue>

const none: StepOutputs = {
  [Outputs.BackupId]: '',
  [Outputs.CommitSha]: '',
  [Outputs.Files]: '',
  [Outputs.Bytes]: '',
  [Outputs.UploadedBytes]: '',
  [Outputs.Restored]: false
}

/** `restore`: the backup restored (empty when if-missing found content), `restored`. */
export function restoreOutputs(r: RestoreResult): StepOutputs {
  return {
    ...none,
    [Outputs.BackupId]: r.backupId,
    [Outputs.CommitSha]: r.commitSha,
    [Outputs.Files]: r.restored ? r.files : '',
    [Outputs.Bytes]: r.restored ? r.bytes : '',
    [Outputs.Restored]: r.restored
  }
}

/** `backup`: the new backup, its size and the bytes it uploaded. */
export function backupOutputs(r: BackupResult): StepOutputs {
  return {
    ...none,
    [Outputs.BackupId]: r.backupId,
    [Outputs.CommitSha]: r.commitSha,
    [Outputs.Files]: r.files,
    [Outputs.Bytes]: r.bytes,
    [Outputs.UploadedBytes]: r.uploadedBytes
  }
}

/** `status`: the latest backup, and the local directory's files and bytes. */
export function statusOutputs(s: DirectoryStatus): StepOutputs {
  return {
    ...none,
    [Outputs.BackupId]: s.latest?.backupId,
    [Outputs.CommitSha]: s.latest?.commitSha,
    [Outputs.Files]: s.files,
    [Outputs.Bytes]: s.bytes
  }
}

/** `history`: the newest backup and the branch head. */
export function historyOutputs(commitSha: string | null, newest?: BackupListing): StepOutputs {
  return {
    ...none,
    [Outputs.BackupId]: newest?.id,
    [Outputs.CommitSha]: commitSha,
    [Outputs.Files]: newest?.files,
    [Outputs.Bytes]: newest?.bytes,
    [Outputs.UploadedBytes]: newest?.uploadedBytes
  }
}

/** `prune`: its commit (empty when nothing was removed) and the newest kept backup. */
export function pruneOutputs(r: PruneResult): StepOutputs {
  const newest = r.kept[0]
  return {
    ...none,
    [Outputs.BackupId]: newest?.id,
    [Outputs.CommitSha]: r.commitSha,
    [Outputs.Files]: newest?.files,
    [Outputs.Bytes]: newest?.bytes
  }
}
