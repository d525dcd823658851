/** `analyze`: what exists, sizes, invalid JSON, where each variable would go. Reads only. */
import { buildFiles } from './files.js'
import { readDocuments, type MigrationPlan, type MigrationRun } from './plan.js'

/** Reads the target files and reports what a migration would write. */
export async function analyze(run: MigrationRun, plan: MigrationPlan): Promise<void> {
  const docs = await readDocuments(run.store, plan.paths)
  const built = buildFiles(run.report, plan.ok, docs, run.stamp)
  run.report.files = built.files
}
