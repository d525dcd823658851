/**
 * Activity sweeps: a steady-state sweep of N unchanged repositories (GraphQL points and REST
 * requests read back from the emulator's rate limits and ledger; goal ≤ 20 points and 0 REST
 * requests for 1,000), next to a github-to-sqlite-style full refetch of the same repositories
 * measured in the same run; then the initial import of 50 repositories × 200 commits × 50 issues
 * (bench/activity-import.ts). The same repositories are swept a third way, with REST conditional
 * requests (`detect: 'rest'`, docs/activity-sweeps.md §2 item 4): after one sweep that records
 * the validators, every check of the steady state is sent and answered 304, counted by nobody.
 * Run alone: `node node_modules/tsx/dist/cli.mjs bench/activity.ts [--sizes 100,1000] [--no-import]`.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { activityClients, openActivityDb, queryChanges, sweep } from '@hubstore/core/activity'
import { startEmulator } from '@hubstore/emulator'
import { benchActivityImport } from './activity-import.js'
import { refetchEverything } from './baselines/github-to-sqlite-refetch.js'
import { printTable } from './table.js'

const SIZES = [100, 1000]

/** Options of {@link benchActivity} (the defaults are `pnpm bench activity`'s). */
export interface BenchActivityOptions {
  sizes?: readonly number[]
  /** Run the initial-import bench too (default `true`). */
  importRun?: boolean
}

export async function benchActivity(options: BenchActivityOptions = {}): Promise<void> {
  const rows: string[][] = []
  for (const n of options.sizes ?? SIZES) {
    const emulator = await startEmulator()
    const dir = mkdtempSync(join(tmpdir(), 'hubstore-bench-activity-'))
    const db = await openActivityDb(`sqlite:${join(dir, 'activity.db')}`)
    let offsetMs = 0
    const now = () => Date.now() + offsetMs
    try {
      // the REST recording sweep (3 per repository) and the refetch (3 per repository) both fit
      await emulator.admin.createToken({
        token: 'bench',
        login: 'bench',
        permission: 'admin',
        rate_limit_per_hour: 50_000
      })
      const { names } = await emulator.admin.seedRepos('bench', n)
      const clients = activityClients({
        token: 'bench',
        baseUrl: emulator.url,
        client: { throttle: { writeSpacingMs: 0 } }
      })
      const octokit = await clients.clientFor(null)
      // the state a finished sync leaves: one change query per 100, rows stored as synced
      for (let i = 0; i < names.length; i += 100) {
        const answer = await queryChanges(
          octokit,
          names.slice(i, i + 100).map((fullName) => ({ fullName }))
        )
        for (const s of answer.found.values())
          await db.run(
            `INSERT INTO repositories (id, node_id, full_name, default_branch, head_sha, pushed_at, issues_updated_at, last_synced_at, cursors, first_seen_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, '{}', ?)`,
            [
              s.databaseId,
              s.nodeId,
              s.fullName,
              s.defaultBranch,
              s.headSha,
              s.pushedAt,
              s.issuesUpdatedAt,
              new Date(now()).toISOString(),
              new Date(now()).toISOString()
            ]
          )
      }
      offsetMs += 11 * 60_000
      await emulator.admin.advanceClock(11 * 60_000)
      const before = (await octokit.rest.rateLimit.get()).data.resources
      await emulator.admin.clearLedger()
      let start = performance.now()
      const job = await sweep(db, { ...clients, repositories: names, now })
      const sweepMs = performance.now() - start
      const ledger = await emulator.admin.ledger()
      const after = (await octokit.rest.rateLimit.get()).data.resources
      rows.push([
        'hubstore sweep (GraphQL)',
        String(n),
        String(ledger.filter((e) => e.route !== '/graphql').length),
        String(ledger.filter((e) => e.route !== '/graphql' && !e.notModified).length),
        String(before.graphql!.remaining - after.graphql!.remaining),
        n === 1000 ? '≤ 20 points, 0 REST' : '',
        `${job.status}, ${job.repositories_processed} checked`,
        sweepMs.toFixed(0)
      ])
      // REST conditional: one sweep records the validators (3 plain GETs per repository), the
      // next is the steady state measured
      offsetMs += 11 * 60_000
      await emulator.admin.advanceClock(11 * 60_000)
      const priming = await sweep(db, { ...clients, repositories: names, now, detect: 'rest' })
      offsetMs += 11 * 60_000
      await emulator.admin.advanceClock(11 * 60_000)
      const restBefore = (await octokit.rest.rateLimit.get()).data.resources
      await emulator.admin.clearLedger()
      start = performance.now()
      const restJob = await sweep(db, { ...clients, repositories: names, now, detect: 'rest' })
      const restMs = performance.now() - start
      const restLedger = await emulator.admin.ledger()
      const restAfter = (await octokit.rest.rateLimit.get()).data.resources
      const sent = restLedger.filter((e) => e.route !== '/graphql')
      rows.push([
        'hubstore sweep (REST conditional)',
        String(n),
        String(sent.length),
        // what counted: the emulator's own rate limit, and its ledger's non-304 answers
        `${restBefore.core.remaining - restAfter.core.remaining} (${sent.filter((e) => !e.notModified).length} not 304)`,
        String(restBefore.graphql!.remaining - restAfter.graphql!.remaining),
        n === 1000 ? '0 REST counted' : '',
        `${restJob.status}, ${restJob.repositories_processed} checked; the recording sweep before counted ${priming.rest_requests}`,
        restMs.toFixed(0)
      ])
      start = performance.now()
      const requests = await refetchEverything(octokit, names)
      rows.push([
        'github-to-sqlite refetch',
        String(n),
        String(requests),
        String(requests),
        '0',
        '',
        'every repository, commit and issue read again',
        (performance.now() - start).toFixed(0)
      ])
    } finally {
      await db.close()
      await emulator.close()
      rmSync(dir, { recursive: true, force: true })
    }
  }
  printTable(
    'activity: steady-state sweep of N unchanged repositories vs a github-to-sqlite-style full refetch',
    [
      'implementation',
      'N',
      'REST sent',
      'REST counted',
      'GraphQL points',
      'target',
      'outcome',
      'wall ms'
    ],
    rows
  )
  if (options.importRun !== false) await benchActivityImport()
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2)
  const sizes = args.includes('--sizes') ? args[args.indexOf('--sizes') + 1] : undefined
  await benchActivity({
    sizes: sizes ? sizes.split(',').map(Number) : undefined,
    importRun: !args.includes('--no-import')
  })
}
