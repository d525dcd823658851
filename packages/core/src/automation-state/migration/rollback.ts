/** `rollback`: recreates the variables of the latest backup that no longer exist, byte-identical. */
import { BackupNotFoundError, InvalidStateDocumentError } from '../../errors.js'
import { BACKUP_DIRECTORY, BACKUP_FORMAT } from '../constants.js'
import type { MigrationRun } from './plan.js'
import type { VariableReport, VariablesBackup } from './report.js'

/** Restores the latest backup's missing variables (dry run: reports what it would restore). */
export async function rollback(run: MigrationRun): Promise<void> {
  const { store, api, report, dryRun } = run
  const entries = await store.listDirectory(BACKUP_DIRECTORY)
  const names = entries
    .filter((e) => e.type === 'file' && /^variables-.+\.json$/.test(e.name))
    .map((e) => e.path)
    .sort()
  const latest = names[names.length - 1]
  if (!latest) throw new BackupNotFoundError(report.repository, report.branch)
  report.backupPath = latest
  const doc = await store.get<VariablesBackup>(latest)
  const backup = doc?.value
  if (!backup || backup.format !== BACKUP_FORMAT || !Array.isArray(backup.variables))
    throw new InvalidStateDocumentError(
      report.repository,
      report.branch,
      latest,
      'format',
      `not a ${BACKUP_FORMAT} file`,
      'read'
    )
  const current = new Map((await api.list()).map((v) => [v.name.toUpperCase(), v]))
  for (const v of backup.variables) {
    const entry: VariableReport = {
      name: v.name,
      bytes: Buffer.byteLength(v.value, 'utf8'),
      path: latest,
      kind: null,
      status: 'ok',
      records: 0
    }
    report.variables.push(entry)
    const now = current.get(v.name.toUpperCase())
    if (now === undefined) {
      if (dryRun) entry.outcome = 'would_restore'
      else {
        await api.create(v.name, v.value)
        entry.outcome = 'restored'
      }
    } else if (now.value === v.value) entry.outcome = 'unchanged'
    else {
      entry.outcome = 'differs'
      entry.reason = 'the variable exists with another value; it is left as it is'
    }
  }
}
