/**
 * Scale-out: two `hubstore serve` processes on one real PostgreSQL server (started by
 * test-support/postgres.ts from Debian's package). Deliveries posted to both are each
 * processed exactly once; sweeps asked of both at once run one at a time.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals'
import { openActivityDb, type ActivityDb } from '@hubstore/core/activity'
import { startPostgres, type PostgresServer } from '../../../test-support/postgres.js'
import {
  ADMIN_TOKEN,
  issueDelivery,
  pool,
  post,
  startServeChild,
  until,
  type ServeChild
} from './support/deliveries.js'

let pg: PostgresServer
let database: string
let servers: ServeChild[] = []
let db: ActivityDb

beforeAll(async () => {
  pg = await startPostgres()
  database = await pg.createDatabase('serve_scale')
  // one at a time: both would otherwise race to run the migrations of a fresh database
  servers.push(await startServeChild({ SERVE_DATABASE: database }))
  servers.push(await startServeChild({ SERVE_DATABASE: database }))
  db = await openActivityDb(database)
})

afterAll(async () => {
  for (const s of servers) {
    s.child.kill('SIGTERM')
    await s.exited
  }
  servers = []
  await db?.close()
  await pg?.stop()
})

const count = async (sql: string): Promise<number> =>
  Number((await db.get<{ n: number | string }>(sql))?.n ?? -1)

// 1,000 at once are the SQLite test's (server.test.ts); here 300 keep the file short.
const N = 300

test('300 deliveries posted to two servers: each processed exactly once, by both', async () => {
  const deliveries = Array.from({ length: N }, (_, i) => issueDelivery(i + 1))
  const statuses = await pool(deliveries, 50, (d, i) => post(servers[i % 2]!.url, d))
  expect(statuses.filter((s) => s !== 202)).toEqual([])
  await until(
    async () =>
      (await count("SELECT COUNT(*) AS n FROM deliveries WHERE status = 'processed'")) === N
  )
  expect(await count('SELECT COUNT(*) AS n FROM deliveries WHERE attempts <> 1')).toBe(0)
  expect(await count('SELECT COUNT(*) AS n FROM issues')).toBe(N)
  const jobs = await db.all<{ counts: string; runner: string }>(
    "SELECT counts, runner FROM sync_jobs WHERE type = 'webhook'"
  )
  const processed = jobs.reduce(
    (n, j) => n + (JSON.parse(j.counts) as { deliveries: number }).deliveries,
    0
  )
  expect(processed).toBe(N)
  // both processes' workers took deliveries (runner = `<host>:<pid>#<worker>`)
  expect(new Set(jobs.map((j) => j.runner.split('#')[0])).size).toBe(2)
})

test('sweeps asked of both servers at once run one at a time', async () => {
  const auth = { authorization: `Bearer ${ADMIN_TOKEN}` }
  const answers = await pool(
    Array.from({ length: 10 }, (_, i) => i),
    10,
    async (i) => {
      const res = await fetch(`${servers[i % 2]!.url}/api/sync/periodic`, {
        method: 'POST',
        headers: auth
      })
      return res.status
    }
  )
  expect(answers.every((s) => s === 200 || s === 409)).toBe(true)
  expect(answers).toContain(200)
  const sweeps = await db.all<{ started_at: string; finished_at: string | null }>(
    "SELECT started_at, finished_at FROM sync_jobs WHERE type = 'periodic' ORDER BY started_at"
  )
  expect(sweeps.length).toBe(answers.filter((s) => s === 200).length)
  for (let i = 1; i < sweeps.length; i++)
    expect(sweeps[i]!.started_at >= sweeps[i - 1]!.finished_at!).toBe(true)
})
