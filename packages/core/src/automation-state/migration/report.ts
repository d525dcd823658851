/** The migration's commands, options and report (the `report` output of the action). */
import type { BranchStoreOptions } from '../../branch-store/branch-store.js'
import { BACKUP_DIRECTORY, type BACKUP_FORMAT } from '../constants.js'
import type { LegacyKind, MappingFile } from '../legacy.js'
import type { LegacyVariable, RepositoryVariables, VariableSource } from '../variables.js'

/** The five commands. */
export const MIGRATION_COMMANDS = ['analyze', 'migrate', 'validate', 'cleanup', 'rollback'] as const
export type MigrationCommand = (typeof MIGRATION_COMMANDS)[number]

/** Options of every migration command; all optional. */
export interface MigrationOptions {
  /** State branch (default `automation-state`). */
  branch?: string
  /** Mapping of variable names to paths (JSON text or object); default {@link DEFAULT_MAPPING_RULES}. */
  mapping?: string | MappingFile | null
  /** Write nothing, report what would happen. Default `true` for every command that writes (`migrate`, `cleanup`, `rollback`); `analyze` and `validate` never write. */
  dryRun?: boolean
  /** Where variables are read from (default: the variables API of `ctx`). */
  source?: VariableSource
  /** The variables API used by `cleanup` and `rollback` to re-read, delete and recreate. */
  variables?: RepositoryVariables
  /** Branch store tuning (read/commit transport, retries, branch creation). */
  store?: Omit<BranchStoreOptions, 'branch' | 'schemas'>
  /** Clock for timestamps and the backup name (default `() => new Date()`). */
  now?: () => Date
}

/** One variable in a report. */
export interface VariableReport {
  name: string
  /** UTF-8 bytes of the value */
  bytes: number
  /** target path; `null` when no mapping rule matches */
  path: string | null
  kind: LegacyKind | null
  /** `ok`: readable and mapped; otherwise why it is left as it is */
  status: 'ok' | 'invalid_json' | 'invalid_shape' | 'unmapped'
  /** post records, positions, keys (1 for other JSON) */
  records: number
  problem?: string
  /** over 48 KB: the variable could not be written back by `rollback` */
  warning?: string
  /** `migrate`/`analyze`: what the file gets */
  action?: 'create' | 'merge' | 'unchanged' | 'conflict'
  /** `validate`/`cleanup`: differences between the variable and its file (empty = valid) */
  mismatches?: string[]
  /** `cleanup`/`rollback`: what happened to the variable */
  outcome?:
    'deleted' | 'kept' | 'would_delete' | 'restored' | 'would_restore' | 'unchanged' | 'differs'
  /** why `outcome` is `kept` or `differs` */
  reason?: string
}

/** One file in a report. */
export interface FileReport {
  path: string
  /** the variables it is made from */
  sources: string[]
  action: 'create' | 'update' | 'unchanged' | 'conflict'
  /** bytes of the file as (it would be) written */
  bytes: number
}

/** What a command found and did; the `report` output of the action. */
export interface MigrationReport {
  command: MigrationCommand
  repository: string
  branch: string
  dryRun: boolean
  /** `rest` or `json` (vars-json) */
  source: 'rest' | 'json'
  generatedAt: string
  variables: VariableReport[]
  files: FileReport[]
  totals: {
    variables: number
    bytes: number
    mapped: number
    invalid: number
    unmapped: number
    files: number
    /** variables whose data is (or, dry run, would be) in their file */
    migrated: number
    /** variables whose file does not hold their data */
    mismatches: number
    deleted: number
    restored: number
  }
  /** the commit made (`migrate`: the migration; `cleanup`: the backup); `null` when none */
  commitSha: string | null
  /** `cleanup`: the backup written (or that would be); `rollback`: the backup read */
  backupPath: string | null
  /** HTTP requests the command spent */
  requests: number
}

/** A variables backup file (`backups/variables-<timestamp>.json`). */
export interface VariablesBackup {
  format: typeof BACKUP_FORMAT
  repository: string
  created_at: string
  variables: LegacyVariable[]
}

/** An empty report of one command. */
export function newReport(
  command: MigrationCommand,
  repository: string,
  branch: string,
  dryRun: boolean,
  source: 'rest' | 'json',
  now: Date
): MigrationReport {
  return {
    command,
    repository,
    branch,
    dryRun,
    source,
    generatedAt: now.toISOString(),
    variables: [],
    files: [],
    totals: {
      variables: 0,
      bytes: 0,
      mapped: 0,
      invalid: 0,
      unmapped: 0,
      files: 0,
      migrated: 0,
      mismatches: 0,
      deleted: 0,
      restored: 0
    },
    commitSha: null,
    backupPath: null,
    requests: 0
  }
}

/** Fills the report's totals from its variables and files. */
export function summarise(report: MigrationReport): void {
  const v = report.variables
  const t = report.totals
  t.variables = v.length
  t.bytes = v.reduce((n, x) => n + x.bytes, 0)
  t.mapped = v.filter((x) => x.path !== null && report.command !== 'rollback').length
  t.invalid = v.filter((x) => x.status === 'invalid_json' || x.status === 'invalid_shape').length
  t.unmapped = v.filter((x) => x.status === 'unmapped').length
  t.files = report.files.length
  t.migrated = v.filter(
    (x) =>
      x.status === 'ok' &&
      (x.action === 'create' ||
        x.action === 'merge' ||
        x.action === 'unchanged' ||
        (x.mismatches && x.mismatches.length === 0))
  ).length
  t.mismatches = v.filter((x) => (x.mismatches?.length ?? 0) > 0).length
  t.deleted = v.filter((x) => x.outcome === 'deleted').length
  t.restored = v.filter((x) => x.outcome === 'restored').length
}

/** `backups/variables-2025-01-02T03-04-05-678Z.json`: sortable, no `:` in the name. */
export function backupPath(at: Date): string {
  return `${BACKUP_DIRECTORY}/variables-${at.toISOString().replace(/[:.]/g, '-')}.json`
}
