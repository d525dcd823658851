/**
 * `hubstore serve` in-process on a free port with the real activity store (SQLite in a
 * temporary directory), over real HTTP: the webhook route's signature check, the admin
 * token on every sync endpoint, and 1,000 signed deliveries by 50 concurrent clients each
 * processed exactly once (read back from the database).
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openActivityDb, type ActivityDb } from '@hubstore/core/activity'
import { createActivityService, startServer, type RunningServer } from '@hubstore/server'
import {
  ADMIN_TOKEN,
  SECRET,
  issueDelivery,
  pool,
  post,
  signature,
  until
} from './support/deliveries.js'

let dir: string
let server: RunningServer
let db: ActivityDb

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hubstore-server-'))
  const database = `sqlite:${join(dir, 'activity.db')}`
  const service = await createActivityService({ database, pollIntervalMs: 10 })
  server = await startServer({
    service,
    webhookSecret: SECRET,
    adminToken: ADMIN_TOKEN,
    maxPayloadBytes: 64 * 1024,
    sweepCron: false,
    redeliveryCron: false,
    log: () => undefined
  })
  db = await openActivityDb(database)
})

afterAll(async () => {
  await server?.close()
  await db?.close()
  rmSync(dir, { recursive: true, force: true })
})

const count = async (sql: string): Promise<number> =>
  Number((await db.get<{ n: number }>(sql))?.n ?? -1)

describe('POST /api/github/webhook', () => {
  test('a missing, wrong-secret or tampered signature answers 401 and stores nothing', async () => {
    const d = issueDelivery(1)
    const { 'x-hub-signature-256': _, ...unsigned } = d.headers
    expect(await post(server.url, { ...d, headers: unsigned })).toBe(401)
    const wrongSecret = { ...d.headers, 'x-hub-signature-256': signature('not the secret', d.body) }
    expect(await post(server.url, { ...d, headers: wrongSecret })).toBe(401)
    expect(await post(server.url, { ...d, body: d.body.replace('issue 1', 'issue 2') })).toBe(401)
    expect(await count('SELECT COUNT(*) AS n FROM deliveries')).toBe(0)
  })

  test('a body over the payload cap answers 413 and stores nothing', async () => {
    const d = issueDelivery(2)
    const body = JSON.stringify({ ...JSON.parse(d.body), pad: 'x'.repeat(70 * 1024) })
    const headers = { ...d.headers, 'x-hub-signature-256': signature(SECRET, body) }
    expect(await post(server.url, { ...d, body, headers })).toBe(413)
    expect(await count('SELECT COUNT(*) AS n FROM deliveries')).toBe(0)
  })
})

describe('admin endpoints', () => {
  const routes: Array<[string, string]> = [
    ['GET', '/api/sync/health'],
    ['GET', '/api/sync/jobs?limit=5&status=failed'],
    ['POST', '/api/sync/periodic'],
    ['POST', '/api/sync/repository/1']
  ]
  test.each(routes)('%s %s: 401 without the admin token and with a wrong one', async (m, p) => {
    for (const headers of [
      {},
      { authorization: 'Bearer wrong-token' },
      { authorization: `Bearer ${ADMIN_TOKEN}x` },
      { authorization: ADMIN_TOKEN }
    ]) {
      const res = await fetch(server.url + p, { method: m, headers })
      expect(res.status).toBe(401)
      expect(await res.json()).toEqual({ error: expect.stringContaining('admin token') })
    }
    expect(await count("SELECT COUNT(*) AS n FROM sync_jobs WHERE type <> 'webhook'")).toBe(0)
  })

  test('with the token: health and jobs answer; malformed parameters are 400', async () => {
    const auth = { authorization: `Bearer ${ADMIN_TOKEN}` }
    const health = await fetch(`${server.url}/api/sync/health/`, { headers: auth })
    expect(health.status).toBe(200)
    expect(await health.json()).toMatchObject({ total_repositories: 0, coverage_percent: 100 })
    const jobs = await fetch(`${server.url}/api/sync/jobs?limit=501`, { headers: auth })
    expect(jobs.status).toBe(400)
    const bad = await fetch(`${server.url}/api/sync/jobs?status=done`, { headers: auth })
    expect(bad.status).toBe(400)
    const unknown = await fetch(`${server.url}/api/sync/repository/424242`, {
      method: 'POST',
      headers: auth
    })
    expect(unknown.status).toBe(404)
  })
})

test('1,000 signed deliveries from 50 concurrent clients: all 202, each processed exactly once', async () => {
  const deliveries = Array.from({ length: 1000 }, (_, i) => issueDelivery(1000 + i))
  const statuses = await pool(deliveries, 50, (d) => post(server.url, d))
  expect(statuses.filter((s) => s !== 202)).toEqual([])
  // a redelivery keeps its GUID: answered 202, stored once
  expect(await post(server.url, deliveries[0]!)).toBe(202)

  await until(
    async () =>
      (await count("SELECT COUNT(*) AS n FROM deliveries WHERE status = 'processed'")) === 1000
  )
  expect(await count('SELECT COUNT(*) AS n FROM deliveries')).toBe(1000)
  expect(await count('SELECT COUNT(*) AS n FROM deliveries WHERE attempts <> 1')).toBe(0)
  expect(await count('SELECT COUNT(*) AS n FROM issues')).toBe(1000)
  const jobs = await db.all<{ counts: string }>(
    "SELECT counts FROM sync_jobs WHERE type = 'webhook'"
  )
  const processed = jobs.reduce(
    (n, j) => n + (JSON.parse(j.counts) as { deliveries: number }).deliveries,
    0
  )
  expect(processed).toBe(1000)
})
