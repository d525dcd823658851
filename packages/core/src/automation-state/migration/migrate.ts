/**
 * `migrate`: every valid variable into its file, all in ONE commit (dry run: no write at all,
 * the same report as `analyze`).
 */
import { repositoryName } from '../../github/context.js'
import { analyze } from './analyze.js'
import { buildFiles } from './files.js'
import type { MigrationPlan, MigrationRun } from './plan.js'

/** Writes the planned files in one compare-and-swap commit (none when nothing changes). */
export async function migrate(run: MigrationRun, plan: MigrationPlan): Promise<void> {
  if (run.dryRun) return analyze(run, plan)
  const { ok, paths } = plan
  let built: ReturnType<typeof buildFiles> | undefined
  const result = await run.store.update(paths, (docs) => {
    built = buildFiles(run.report, ok, docs, run.stamp)
    const write = built.write
    const n = Object.keys(write).length
    if (n === 0) return undefined
    return {
      write,
      message:
        `migrate-state: migrate ${ok.length} variable(s) into ${n} file(s)\n\n` +
        `From the repository variables of ${repositoryName(run.ctx)} (hubstore migrate-state).`
    }
  })
  run.report.files = built?.files ?? []
  run.report.commitSha = result.commitSha
}
