import { resolve } from 'node:path'
import type { Command } from 'commander'
import { UsageError } from '../errors.js'
import { wholeNumber } from '../options.js'
import { databaseUrl } from './activity.js'

/**
 * Adds `dashboard --out DIR` to the `activity` command (registered by commands/activity.ts):
 * the sync-health dashboard as a static site (packages/server/README.md "Dashboard"), with the
 * health report and the newest jobs of the database embedded, for GitHub Pages.
 * @throws an `Error` when `program` has no `activity` command yet (register that first)
 */
export function registerActivityDashboard(program: Command): void {
  const activity = program.commands.find((c) => c.name() === 'activity')
  if (!activity) throw new Error('registerActivityDashboard: register the activity command first')
  activity
    .command('dashboard')
    .description('Write the sync-health dashboard as a static site (data embedded) into a folder.')
    .requiredOption('--out <dir>', 'folder to write index.html and its files into')
    .option(
      '--database <url>',
      'sqlite:PATH or postgres://… (default: $HUBSTORE_DATABASE_URL, else sqlite:hubstore-activity.db)'
    )
    .option('--limit <n>', 'newest jobs to embed (1–500)', wholeNumber('--limit', 1), 200)
    .option(
      '--min-interval <ms>',
      'coverage counts repositories synced within this many ms',
      wholeNumber('--min-interval', 1),
      600_000
    )
    .action(
      async (flags: { out: string; database?: string; limit: number; minInterval: number }) => {
        if (flags.limit > 500) throw new UsageError(`--limit takes 1 to 500, got ${flags.limit}.`)
        const { healthReport, listJobs, openActivityDb } = await import('@hubstore/core/activity')
        const { exportDashboard } = await import('@hubstore/server')
        const db = await openActivityDb(databaseUrl(flags))
        try {
          const now = new Date()
          const health = await healthReport(db, { now, minIntervalMs: flags.minInterval })
          const jobs = await listJobs(db, { limit: flags.limit })
          const written = exportDashboard(resolve(flags.out), { health, jobs })
          process.stdout.write(
            `dashboard written to ${flags.out} (${written.length} files, ${jobs.length} jobs, ${health.total_repositories} repositories)\n`
          )
        } finally {
          await db.close()
        }
      }
    )
}
