import { oneOf } from '@hubstore/action-kit'
import { MIGRATION_COMMANDS } from '@hubstore/core/automation-state'

/** Input names of the migrate-state action (action.yml `inputs`). */
export enum Inputs {
  Command = 'command',
  DryRun = 'dry-run',
  Token = 'token',
  VarsJson = 'vars-json',
  VarsFile = 'vars-file',
  Branch = 'branch',
  Mapping = 'mapping',
  Repository = 'repository',
  /** read by @hubstore/action-kit's clientFromInputs */
  RequestTimeout = 'request-timeout',
  MaxRateLimitWait = 'max-rate-limit-wait'
}

/** Output names of the migrate-state action (action.yml `outputs`). */
export enum Outputs {
  Report = 'report',
  Migrated = 'migrated',
  Mismatches = 'mismatches',
  Deleted = 'deleted',
  Restored = 'restored',
  CommitSha = 'commit-sha',
  BackupPath = 'backup-path'
}

/** Input specs particular to this action (the shared ones live in @hubstore/action-kit). */
export const migrateInputSpecs = {
  command: oneOf(MIGRATION_COMMANDS)
}
