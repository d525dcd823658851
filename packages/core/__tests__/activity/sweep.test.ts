/**
 * The periodic sweep against the emulator over real HTTP, with a SQLite file: a steady-state
 * sweep costs GraphQL points only (read back from the emulator's ledger and rate limits), a
 * dropped push is found by the next sweep, and a sweep killed with SIGKILL mid-way is resumed
 * by the next one without refetching or duplicating, the killed job recorded `interrupted`.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { startEmulator, type Emulator } from '@hubstore/emulator'
import { activityClients } from '../../src/activity/auth.js'
import { queryChanges } from '../../src/activity/changes.js'
import { listJobs } from '../../src/activity/jobs.js'
import { upsertRepository } from '../../src/activity/rows.js'
import { tryAcquireLock } from '../../src/activity/store/locks.js'
import { openActivityDb } from '../../src/activity/store/open.js'
import { sweep } from '../../src/activity/sweep.js'
import type { ActivityDb, RepositoryRow } from '../../src/activity/types.js'
import { FAST } from '../support/emulator.js'

const TOKEN = 'tok-sweeper'
const OWNER = 'sweeper'
let emulator: Emulator
let dir: string
let offsetMs = 0
const now = () => Date.now() + offsetMs
async function advance(ms: number): Promise<void> {
  offsetMs += ms
  await emulator.admin.advanceClock(ms)
}
const clients = () => activityClients({ token: TOKEN, baseUrl: emulator.url, client: FAST })
let dbs = 0
async function freshDb(): Promise<{ db: ActivityDb; url: string }> {
  const url = `sqlite:${join(dir, `sweep-${++dbs}.db`)}`
  return { db: await openActivityDb(url), url }
}
async function repos(prefix: string, n: number, autoInit = false): Promise<string[]> {
  const names = Array.from({ length: n }, (_, i) => `${OWNER}/${prefix}-${i}`)
  for (const full_name of names) await emulator.admin.createRepo({ full_name, auto_init: autoInit })
  return names
}

/**
 * Stores `names` as synced now, in the state GitHub's change query reports for them (what a
 * finished sync leaves), without 5 REST requests per repository for a full import.
 */
async function primeRows(db: ActivityDb, names: string[]): Promise<void> {
  const octokit = await clients().clientFor(null)
  const at = new Date(now())
  for (let i = 0; i < names.length; i += 100) {
    const answer = await queryChanges(
      octokit,
      names.slice(i, i + 100).map((fullName) => ({ fullName }))
    )
    for (const s of answer.found.values()) {
      await upsertRepository(
        db,
        {
          id: s.databaseId,
          node_id: s.nodeId,
          full_name: s.fullName,
          default_branch: s.defaultBranch,
          pushed_at: s.pushedAt
        },
        at
      )
      await db.run(
        'UPDATE repositories SET head_sha = ?, issues_updated_at = ?, last_synced_at = ? WHERE id = ?',
        [s.headSha, s.issuesUpdatedAt, at.toISOString(), s.databaseId]
      )
    }
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hubstore-sweep-'))
  emulator = await startEmulator()
  await emulator.admin.createToken({ token: TOKEN, login: OWNER, permission: 'admin' })
})
afterAll(async () => {
  await emulator.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('sweep', () => {
  test('steady state: 120 unchanged repositories cost 2 change queries (3 points) and no REST request', async () => {
    const { names } = await emulator.admin.seedRepos(OWNER, 120, { prefix: 'steady' })
    const { db } = await freshDb()
    try {
      await primeRows(db, names)
      // within the minimum interval: nothing is asked at all
      await emulator.admin.clearLedger()
      const skipped = await sweep(db, { ...clients(), repositories: names, now })
      expect(skipped).toMatchObject({
        status: 'succeeded',
        repositories_processed: 0,
        graphql_points: 0
      })
      expect(await emulator.admin.ledger()).toEqual([])

      await advance(11 * 60_000)
      const octokit = await clients().clientFor(null)
      const before = (await octokit.rest.rateLimit.get()).data.resources
      await emulator.admin.clearLedger()
      const steady = await sweep(db, { ...clients(), repositories: names, now })
      const ledger = await emulator.admin.ledger()
      const after = (await octokit.rest.rateLimit.get()).data.resources
      expect(ledger.map((e) => `${e.method} ${e.route}`)).toEqual([
        'POST /graphql',
        'POST /graphql'
      ])
      expect(after.core.remaining).toBe(before.core.remaining)
      // 100 repositories × 2 connections = 2 points; 20 × 2 = 40 requests → the minimum, 1 point
      expect(before.graphql!.remaining - after.graphql!.remaining).toBe(3)
      expect(steady).toMatchObject({
        status: 'succeeded',
        repositories_processed: 120,
        rest_requests: 0,
        graphql_points: 3
      })
      expect(JSON.parse(steady.counts)).toMatchObject({ commits: 0, issues: 0 })
    } finally {
      await db.close()
    }
  }, 60_000)

  test('a dropped push (a commit with no delivery, also one dated before the last sync) and a new issue are found by the next sweep', async () => {
    const names = await repos('dropped', 3, true)
    const { db } = await freshDb()
    try {
      await sweep(db, { ...clients(), repositories: names, now })
      await advance(11 * 60_000)
      const pushed = (await emulator.admin.putFile(
        names[1]!,
        'new.txt',
        'pushed while the webhook was down'
      )) as { commit: string }
      const octokit = await clients().clientFor(null)
      const [owner, repo] = names[2]!.split('/') as [string, string]
      await octokit.rest.issues.create({ owner, repo, title: 'opened while the webhook was down' })
      // a commit made a day ago and pushed now (its committer date predates the last sync)
      const [o0, r0] = names[0]!.split('/') as [string, string]
      const head = (await octokit.rest.git.getRef({ owner: o0, repo: r0, ref: 'heads/main' })).data
        .object.sha
      const tree = (await octokit.rest.git.getCommit({ owner: o0, repo: r0, commit_sha: head }))
        .data.tree.sha
      const date = new Date(now() - 86_400_000).toISOString()
      const old = await octokit.rest.git.createCommit({
        owner: o0,
        repo: r0,
        message: 'made yesterday, pushed today',
        tree,
        parents: [head],
        author: { name: 'Ada', email: 'ada@example.com', date },
        committer: { name: 'Ada', email: 'ada@example.com', date }
      })
      await octokit.rest.git.updateRef({
        owner: o0,
        repo: r0,
        ref: 'heads/main',
        sha: old.data.sha
      })
      await emulator.admin.clearLedger()
      const job = await sweep(db, { ...clients(), repositories: names, now })
      expect(JSON.parse(job.counts)).toMatchObject({ commits: 2, issues: 1 })
      expect(await db.get('SELECT sha FROM commits WHERE sha = ?', [old.data.sha])).toEqual({
        sha: old.data.sha
      })
      const commit = await db.get<{ sha: string }>('SELECT sha FROM commits WHERE sha = ?', [
        pushed.commit
      ])
      expect(commit?.sha).toBe(pushed.commit)
      const row = await db.get<RepositoryRow>('SELECT * FROM repositories WHERE full_name = ?', [
        names[1]!
      ])
      expect(row?.head_sha).toBe(pushed.commit)
      // REST went only to the three repositories that changed
      const touched = new Set(
        (await emulator.admin.ledger())
          .filter((e) => e.route !== '/graphql')
          .map((e) => /^\/repos\/[^/]+\/([^/?]+)/.exec(e.path)?.[1])
      )
      expect([...touched].sort()).toEqual(['dropped-0', 'dropped-1', 'dropped-2'])
    } finally {
      await db.close()
    }
  }, 60_000)

  test('kill -9 mid-sweep: the rerun resumes, fetches nothing twice, and records the killed job interrupted', async () => {
    const names = await repos('killed', 6, true)
    const { db, url } = await freshDb()
    try {
      // the child's sync of the fourth repository hangs until the child is dead
      let release!: () => void
      const held = new Promise<void>((resolve) => (release = resolve))
      let reached!: () => void
      const hanging = new Promise<void>((resolve) => (reached = resolve))
      const remove = emulator.onRequest(
        { pathIncludes: '/repos/sweeper/killed-3/commits', times: 1 },
        async () => {
          reached()
          await held
        }
      )
      // tsx's loader in the child's own process (its CLI would run the script in a grandchild)
      const script = fileURLToPath(new URL('./support/sweep-child.ts', import.meta.url))
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', script, url, emulator.url, TOKEN, names.join(',')],
        { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NODE_OPTIONS: '' } }
      )
      const lines: string[] = []
      createInterface({ input: child.stdout! }).on('line', (l) => lines.push(l))
      const exited = new Promise<NodeJS.Signals | null>((resolve) =>
        child.on('exit', (_c, s) => resolve(s))
      )
      await hanging
      child.kill('SIGKILL')
      expect(await exited).toBe('SIGKILL')
      release()
      remove()
      const syncedBefore = lines
        .map((l) => JSON.parse(l) as { phase: string; repository?: string })
        .filter((p) => p.phase === 'sync')
        .map((p) => p.repository)
      expect(syncedBefore).toEqual(names.slice(0, 3))

      await emulator.admin.clearLedger()
      const rerun = await sweep(db, { ...clients(), repositories: names, now })
      expect(rerun.status).toBe('succeeded')
      const jobs = await listJobs(db)
      expect(jobs.map((j) => [j.type, j.status])).toEqual([
        ['periodic', 'succeeded'],
        ['periodic', 'interrupted']
      ])
      // the three synced before the kill were not fetched again
      const fetched = new Set(
        (await emulator.admin.ledger())
          .filter((e) => e.route !== '/graphql')
          .map((e) => /^\/repos\/[^/]+\/([^/?]+)/.exec(e.path)?.[1])
      )
      expect([...fetched].sort()).toEqual(['killed-3', 'killed-4', 'killed-5'])
      const commits = await db.all<{ repository_id: number; n: number }>(
        'SELECT repository_id, COUNT(*) AS n FROM repository_commits GROUP BY repository_id'
      )
      expect(commits.map((c) => Number(c.n))).toEqual([1, 1, 1, 1, 1, 1])
      const synced = await db.all<RepositoryRow>(
        'SELECT * FROM repositories WHERE last_synced_at IS NULL'
      )
      expect(synced).toEqual([])
    } finally {
      await db.close()
    }
  }, 60_000)

  test('the budget reserve: the sweep stops before dipping into it, records why, and the next run finishes', async () => {
    const { names } = await emulator.admin.seedRepos(OWNER, 3, { prefix: 'budget' })
    const { db } = await freshDb()
    try {
      await sweep(db, { ...clients(), repositories: names, now })
      await advance(11 * 60_000)
      const heads: string[] = []
      for (const name of names)
        heads.push(
          ((await emulator.admin.putFile(name, 'n.txt', name)) as { commit: string }).commit
        )
      // 14 left of 100: the reserve (10 %) is 10, so 4 more REST requests may go
      await emulator.admin.setRateLimit({
        token: TOKEN,
        resource: 'core',
        limit: 100,
        remaining: 14
      })
      const stopped = await sweep(db, { ...clients(), repositories: names, now })
      expect(stopped.status).toBe('stopped')
      expect(JSON.parse(stopped.errors).at(-1)).toMatchObject({ code: 'BUDGET_RESERVE_REACHED' })
      const octokit = await clients().clientFor(null)
      expect((await octokit.rest.rateLimit.get()).data.resources.core.remaining).toBe(10)

      await emulator.admin.setRateLimit({ token: TOKEN, resource: 'core', limit: 5000 })
      const finished = await sweep(db, { ...clients(), repositories: names, now })
      expect(finished.status).toBe('succeeded')
      const stored = await db.all<{ head_sha: string }>(
        'SELECT head_sha FROM repositories WHERE full_name LIKE ? ORDER BY id',
        [`${OWNER}/budget-%`]
      )
      expect(stored.map((r) => r.head_sha)).toEqual(heads)
      const twice = await db.all(
        'SELECT sha FROM repository_commits GROUP BY repository_id, sha HAVING COUNT(*) > 1'
      )
      expect(twice).toEqual([])
    } finally {
      await db.close()
    }
  }, 60_000)

  test('one sweep at a time: a lock held by a live process on another host refuses the sweep', async () => {
    const { db } = await freshDb()
    try {
      expect(await tryAcquireLock(db, 'sweep', 'other-host:4242', 900_000, new Date(now()))).toBe(
        true
      )
      await expect(sweep(db, { ...clients(), repositories: [], now })).rejects.toMatchObject({
        code: 'SWEEP_LOCKED',
        holder: 'other-host:4242'
      })
      expect(await listJobs(db)).toEqual([])
    } finally {
      await db.close()
    }
  })
})
