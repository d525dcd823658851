/**
 * Activity sweeps: a steady-state sweep of N unchanged repositories (GraphQL points and REST
 * requests read back from the emulator's rate limits and ledger; goal ≤ 20 points and 0 REST
 * requests for 1,000), next to a github-to-sqlite-style full refetch of the same repositories
 * measured in the same run; then the initial import of 50 repositories × 200 commits × 50 issues
 * (bench/activity-import.ts). Run alone: `node node_modules/tsx/dist/cli.mjs bench/activity.ts`.
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

export async function benchActivity(): Promise<void> {
  const rows: string[][] = []
  for (const n of SIZES) {
    const emulator = await startEmulator()
    const dir = mkdtempSync(join(tmpdir(), 'hubstore-bench-activity-'))
    const db = await openActivityDb(`sqlite:${join(dir, 'activity.db')}`)
    let offsetMs = 0
    const now = () => Date.now() + offsetMs
    try {
      await emulator.admin.createToken({ token: 'bench', login: 'bench', permission: 'admin' })
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
        'hubstore sweep',
        String(n),
        String(ledger.filter((e) => e.route !== '/graphql' && !e.notModified).length),
        String(before.graphql!.remaining - after.graphql!.remaining),
        n === 1000 ? '≤ 20 points, 0 REST' : '',
        `${job.status}, ${job.repositories_processed} checked`,
        sweepMs.toFixed(0)
      ])
      start = performance.now()
      const requests = await refetchEverything(octokit, names)
      rows.push([
        'github-to-sqlite refetch',
        String(n),
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
    ['implementation', 'N', 'REST requests', 'GraphQL points', 'target', 'outcome', 'wall ms'],
    rows
  )
  await benchActivityImport()
}

if (import.meta.url === `file://${process.argv[1]}`) await benchActivity()
