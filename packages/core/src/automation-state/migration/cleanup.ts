/**
 * `cleanup`: commits a backup of EVERY variable to `backups/variables-<timestamp>.json`,
 * validated in the same compare-and-swap as the backup commit, then deletes only variables whose
 * file validates and whose value has not changed since it was listed. Dry run: validates and
 * reports what it would delete. With no variable at all it writes nothing.
 */
import { repositoryName } from '../../github/context.js'
import { BACKUP_FORMAT } from '../constants.js'
import { validatePaths, type MigrationPlan, type MigrationRun } from './plan.js'
import { backupPath, type VariablesBackup } from './report.js'
import { validate, validateAll } from './validate.js'

/** Backs up every variable, then deletes those whose file holds their data. */
export async function cleanup(run: MigrationRun, plan: MigrationPlan): Promise<void> {
  const { report, now } = run
  const { ok, planned, variables } = plan
  // No variable: nothing to back up or delete, so no backup commit (and no backup path).
  if (variables.length === 0) return
  if (run.dryRun) {
    await validate(run, plan)
    report.backupPath = backupPath(now)
    for (const p of ok)
      if (p.report.mismatches?.length === 0) p.report.outcome = 'would_delete'
      else p.report.outcome = 'kept'
    return
  }

  // Deleting needs the variables API: when the variables were read from elsewhere (vars-json),
  // prove access before anything is written (1 request).
  const { api } = run
  if (run.source !== api && ok[0]) await api.get(ok[0].variable.name)
  // The backup commit is guarded by the head the validation read.
  const path = backupPath(now)
  const backup: VariablesBackup = {
    format: BACKUP_FORMAT,
    repository: repositoryName(run.ctx),
    created_at: run.stamp,
    variables
  }
  const result = await run.store.update(validatePaths(plan), (docs) => {
    for (const p of ok) delete p.report.mismatches
    validateAll(ok, docs)
    return {
      write: { [path]: backup },
      message:
        `migrate-state: back up ${variables.length} variable(s) before cleanup\n\n` +
        `${ok.filter((p) => p.report.mismatches?.length === 0).length} variable(s) validate against their files.`
    }
  })
  report.commitSha = result.commitSha
  report.backupPath = path
  for (const p of planned)
    if (p.report.status !== 'ok') {
      p.report.outcome = 'kept'
      p.report.reason = p.report.problem ?? p.report.status
    }
  for (const p of ok) {
    if (p.report.mismatches?.length) {
      p.report.outcome = 'kept'
      p.report.reason = 'its file does not hold its data'
      continue
    }
    // Re-read right before deleting: a value changed since it was listed is newer than the file.
    const current = await api.get(p.variable.name)
    if (current === undefined) {
      p.report.outcome = 'kept'
      p.report.reason = 'already gone'
    } else if (current.value !== p.variable.value) {
      p.report.outcome = 'kept'
      p.report.reason = 'changed since it was read'
    } else {
      await api.delete(p.variable.name)
      p.report.outcome = 'deleted'
    }
  }
}
