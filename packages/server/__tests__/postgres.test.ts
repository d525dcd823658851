/**
 * Scale-out: two `hubstore serve` processes on one real PostgreSQL server (started by
 * test-support/postgres.ts from Debian's package). Deliveries posted to both are each
 * processed exactly once; sweeps asked of both at once run one at a time.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals'
import { createServer } from 'node:net'
import { openActivityDb, type ActivityDb } from '@hubstore/core/activity'
import { startEmulator, type Emulator } from '@hubstore/emulator'
import { sharedPostgres, type PostgresServer } from '../../../test-support/postgres.js'
import {
  ADMIN_TOKEN,
  SECRET,
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
let emulator: Emulator
const APP = 'scale-out'
const REPOSITORIES = 6

/** A port nothing listens on now: the App's webhook URL names the first server's. */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address()
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

beforeAll(async () => {
  pg = await sharedPostgres()
  database = await pg.createDatabase('serve_scale')
  // The emulator's App (installed in the second test) delivers to the first server; both
  // servers reach the emulator with its credentials for the sweep.
  emulator = await startEmulator()
  for (let i = 1; i <= REPOSITORIES; i++)
    await emulator.admin.createRepo({ full_name: `scale-org/r${i}` })
  const port = await freePort()
  const app = await emulator.admin.createApp({
    slug: APP,
    webhook_url: `http://127.0.0.1:${port}/api/github/webhook`,
    webhook_secret: SECRET
  })
  const env = {
    SERVE_DATABASE: database,
    SERVE_MIN_INTERVAL_MS: '1', // every sweep visits every repository
    GITHUB_APP_ID: String(app.id),
    GITHUB_APP_PRIVATE_KEY: app.private_key,
    GITHUB_API_URL: emulator.url
  }
  // both at once: the migrations of the fresh database run under an advisory lock
  servers = await Promise.all([
    startServeChild({ ...env, SERVE_PORT: String(port) }),
    startServeChild(env)
  ])
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
  await emulator?.close()
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
  await emulator.admin.createInstallation(APP, { account: 'scale-org' })
  // the installation's import done (every repository synced once, no delivery left), so a
  // sweep never races the worker that imports them
  await until(
    async () =>
      (await count(
        'SELECT COUNT(*) AS n FROM repositories WHERE installation_id IS NOT NULL AND last_synced_at IS NOT NULL'
      )) === REPOSITORIES &&
      (await count("SELECT COUNT(*) AS n FROM deliveries WHERE status <> 'processed'")) === 0
  )
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
  expect(answers).toContain(409) // ten asked at once: the others found one running
  const visited = await db.all<{ repositories_processed: number; status: string }>(
    "SELECT repositories_processed, status FROM sync_jobs WHERE type = 'periodic'"
  )
  for (const v of visited)
    expect(v).toEqual({ repositories_processed: REPOSITORIES, status: 'succeeded' })
  for (let i = 1; i < sweeps.length; i++)
    expect(sweeps[i]!.started_at >= sweeps[i - 1]!.finished_at!).toBe(true)
})
