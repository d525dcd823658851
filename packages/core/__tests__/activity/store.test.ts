import { describe, expect, it } from '@jest/globals'
import { receiveDelivery } from '../../src/activity/inbox.js'
import { finishJob, listJobs, markInterruptedJobs, startJob } from '../../src/activity/jobs.js'
import { healthReport } from '../../src/activity/health.js'
import { releaseLock, tryAcquireLock } from '../../src/activity/store/locks.js'
import { migrate } from '../../src/activity/store/migrate.js'
import { openActivityDb } from '../../src/activity/store/open.js'
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/activity/store/schema.js'
import { ENGINES, SECRET, signedDelivery, tableCounts, useDatabases, useOpen } from './support.js'

const databases = useDatabases()
const open = useOpen()
const T0 = new Date('2026-12-01T12:00:00.000Z')
const at = (ms: number) => new Date(T0.getTime() + ms)

describe.each(ENGINES)('activity store on %s', (engine) => {
  it('migrate: applies every migration once, also when two processes migrate at once', async () => {
    const url = await databases.fresh(engine)
    const [a, b] = await Promise.all([
      openActivityDb(url, { migrate: false }),
      openActivityDb(url, { migrate: false })
    ])
    try {
      const [ra, rb] = await Promise.all([migrate(a), migrate(b)])
      const every = MIGRATIONS.map((m) => m.version)
      expect([...ra, ...rb].sort()).toEqual(every)
      expect(every.at(-1)).toBe(SCHEMA_VERSION)
      expect(await migrate(a)).toEqual([])
      const rows = await a.all<{ version: number }>(
        'SELECT version FROM schema_migrations ORDER BY version'
      )
      expect(rows.map((r) => r.version)).toEqual(every)
    } finally {
      await a.close()
      await b.close()
    }
  })

  it('migrate 2 and 3 on a version-1 database: the validators table, and budget stops recorded as stopped', async () => {
    const db = await open(await databases.fresh(engine))
    const budget = await startJob(db, 'periodic', 'h:1', T0)
    await finishJob(db, budget, {
      status: 'failed',
      errors: [
        { repository: 'o/r', code: 'NOT_FOUND', message: 'gone' },
        { code: 'BUDGET_RESERVE_REACHED', message: 'Stopped before dipping into the reserve' }
      ],
      now: at(1000)
    })
    const failed = await startJob(db, 'periodic', 'h:1', T0)
    await finishJob(db, failed, {
      status: 'failed',
      errors: [{ code: 'HTTP_500', message: 'Server Error' }],
      now: at(1000)
    })
    // back to version 1, as a database written before migrations 2 and 3 is
    await db.run('DROP TABLE repository_validators')
    await db.run('DELETE FROM schema_migrations WHERE version > 1')
    expect(await migrate(db)).toEqual([2, 3])
    const jobs = await listJobs(db)
    expect(Object.fromEntries(jobs.map((j) => [j.id, j.status]))).toEqual({
      [budget]: 'stopped',
      [failed]: 'failed'
    })
    expect(await db.all('SELECT * FROM repository_validators')).toEqual([])
  })

  it('migrate: a database from a newer hubstore is refused and left alone', async () => {
    const db = await open(await databases.fresh(engine))
    await db.run("INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'x', 'y')")
    await expect(migrate(db)).rejects.toMatchObject({
      code: 'ACTIVITY_SCHEMA_TOO_NEW',
      databaseVersion: 99
    })
  })

  it('receiveDelivery: stores by GUID; the same GUID again is a duplicate, one row', async () => {
    const db = await open(await databases.fresh(engine))
    const d = signedDelivery('issues', { action: 'opened', installation: { id: 7 }, issue: {} })
    const first = await receiveDelivery(db, { ...d, secret: SECRET, now: () => T0 })
    const again = await receiveDelivery(db, { ...d, secret: SECRET, now: () => at(1000) })
    expect(first).toEqual({ kind: 'stored', status: 202, guid: d.guid })
    expect(again).toEqual({ kind: 'duplicate', status: 202, guid: d.guid })
    const rows = await db.all(
      'SELECT guid, event, action, installation_id, status, attempts, receipts, received_at, payload FROM deliveries'
    )
    expect(rows).toEqual([
      {
        guid: d.guid,
        event: 'issues',
        action: 'opened',
        installation_id: 7,
        status: 'pending',
        attempts: 0,
        receipts: 2,
        received_at: T0.toISOString(),
        payload: Buffer.from(d.rawBody).toString('utf8')
      }
    ])
  })

  it('receiveDelivery: a missing or wrong signature is 401, bad headers 400, too big 413; nothing stored', async () => {
    const db = await open(await databases.fresh(engine))
    const d = signedDelivery('push', { ref: 'refs/heads/main' })
    const { 'x-hub-signature-256': _sig, ...unsigned } = d.headers
    void _sig
    const tampered = new Uint8Array(d.rawBody)
    tampered[2] ^= 1
    const cases = [
      [{ headers: unsigned, rawBody: d.rawBody, secret: SECRET }, 401],
      [{ headers: d.headers, rawBody: d.rawBody, secret: 'another secret' }, 401],
      [{ headers: d.headers, rawBody: tampered, secret: SECRET }, 401],
      [{ headers: d.headers, rawBody: d.rawBody, secret: '' }, 401],
      [
        { headers: { ...d.headers, 'x-github-delivery': '' }, rawBody: d.rawBody, secret: SECRET },
        400
      ],
      [
        { headers: { ...d.headers, 'x-github-event': '' }, rawBody: d.rawBody, secret: SECRET },
        400
      ],
      [{ headers: d.headers, rawBody: d.rawBody, secret: SECRET, maxBytes: 10 }, 413]
    ] as const
    for (const [options, status] of cases)
      expect(await receiveDelivery(db, options)).toMatchObject({ kind: 'rejected', status })
    expect((await tableCounts(db)).deliveries).toBe(0)
  })

  it('receiveDelivery: the GitHub docs test vector verifies on the raw bytes', async () => {
    const db = await open(await databases.fresh(engine))
    // docs/github-behaviour.md §7: "Hello, World!" under "It's a Secret to Everybody"; the body
    // is not JSON, so it is refused after verification with 400 (not 401)
    const r = await receiveDelivery(db, {
      headers: {
        'X-Hub-Signature-256':
          'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
        'X-GitHub-Delivery': 'g',
        'X-GitHub-Event': 'ping'
      },
      rawBody: new TextEncoder().encode('Hello, World!'),
      secret: SECRET
    })
    expect(r).toEqual({ kind: 'rejected', status: 400, reason: 'body is not JSON' })
  })

  it('locks: one holder at a time; the owner renews; an expired lease is taken over', async () => {
    const db = await open(await databases.fresh(engine))
    const results = await Promise.all(
      ['w1', 'w2', 'w3'].map((w) => tryAcquireLock(db, 'sweep', w, 60_000, T0))
    )
    expect(results.filter(Boolean)).toHaveLength(1)
    const holder = ['w1', 'w2', 'w3'][results.indexOf(true)]
    const other = holder === 'w1' ? 'w2' : 'w1'
    expect(await tryAcquireLock(db, 'sweep', holder, 60_000, at(30_000))).toBe(true)
    expect(await tryAcquireLock(db, 'sweep', other, 60_000, at(60_000))).toBe(false)
    expect(await tryAcquireLock(db, 'sweep', other, 60_000, at(90_000))).toBe(true)
    expect(await releaseLock(db, 'sweep', holder)).toBe(false)
    expect(await releaseLock(db, 'sweep', other)).toBe(true)
    expect(await tryAcquireLock(db, 'sweep', holder, 1, at(90_000))).toBe(true)
  })

  it('jobs: started, finished, listed newest first by status; a dead runner’s job is interrupted', async () => {
    const db = await open(await databases.fresh(engine))
    const a = await startJob(db, 'initial_import', 'host-a:1', T0)
    const b = await startJob(db, 'periodic', 'host-a:2', at(1000))
    const c = await startJob(db, 'webhook', 'host-a:3', at(2000))
    await finishJob(db, a, {
      status: 'succeeded',
      counts: { commits: 5 },
      repositories_processed: 2,
      rest_requests: 7,
      graphql_points: 1,
      now: at(500)
    })
    await finishJob(db, c, {
      status: 'failed',
      errors: [{ delivery: 'g', code: 'HTTP_500', message: 'boom' }],
      now: at(3000)
    })
    expect(await markInterruptedJobs(db, (runner) => runner !== 'host-a:2', at(4000))).toEqual([b])
    const all = await listJobs(db)
    expect(all.map((j) => [j.id, j.type, j.status])).toEqual([
      [c, 'webhook', 'failed'],
      [b, 'periodic', 'interrupted'],
      [a, 'initial_import', 'succeeded']
    ])
    expect(JSON.parse(all[2].counts)).toEqual({
      repositories: 0,
      commits: 5,
      issues: 0,
      pull_requests: 0,
      contributors: 0,
      deliveries: 0
    })
    expect(all[2]).toMatchObject({ rest_requests: 7, graphql_points: 1, repositories_processed: 2 })
    expect(JSON.parse((await listJobs(db, { status: 'failed' }))[0].errors)).toEqual([
      { delivery: 'g', code: 'HTTP_500', message: 'boom' }
    ])
    expect(await listJobs(db, { limit: 1 })).toHaveLength(1)
  })

  it('healthReport: coverage, lag from first sight, last periodic sync, deliveries', async () => {
    const db = await open(await databases.fresh(engine))
    expect(await healthReport(db, { now: T0 })).toMatchObject({
      total_repositories: 0,
      coverage_percent: 100,
      lag_ms: null,
      last_periodic_sync: null
    })
    const insert =
      'INSERT INTO repositories (id, node_id, full_name, last_synced_at, first_seen_at, cursors) VALUES (?, ?, ?, ?, ?, ?)'
    await db.run(insert, [
      1,
      'R1',
      'o/a',
      at(-60_000).toISOString(),
      at(-90_000_000).toISOString(),
      '{}'
    ])
    await db.run(insert, [
      2,
      'R2',
      'o/b',
      at(-3_600_000).toISOString(),
      at(-90_000_000).toISOString(),
      '{}'
    ])
    await db.run(insert, [3, 'R3', 'o/c', null, at(-7_200_000).toISOString(), '{}'])
    const job = await startJob(db, 'periodic', 'h:1', at(-120_000))
    await finishJob(db, job, { status: 'succeeded', repositories_processed: 1, now: at(-60_000) })
    await receiveDelivery(db, { ...signedDelivery('ping', {}), secret: SECRET, now: () => T0 })
    const h = await healthReport(db, { now: T0, minIntervalMs: 600_000 })
    expect(h).toEqual({
      total_repositories: 3,
      synced_recently: 1,
      coverage_percent: 33.3,
      lag_ms: 7_200_000,
      min_interval_ms: 600_000,
      last_periodic_sync: {
        id: job,
        status: 'succeeded',
        repositories_processed: 1,
        started_at: at(-120_000).toISOString(),
        finished_at: at(-60_000).toISOString()
      },
      deliveries: { pending: 1, failed: 0, processed: 0, redelivered: 0 },
      rate_limit: { rest_remaining: null, graphql_remaining: null, reset_at: null },
      now: T0.toISOString()
    })
  })
})

describe('openActivityDb', () => {
  it('refuses an unknown scheme, naming the URL without its password', async () => {
    await expect(openActivityDb('mysql://u:secret@h/db')).rejects.toMatchObject({
      code: 'INVALID_ACTIVITY_DATABASE'
    })
    await expect(openActivityDb('postgres://u:secret@127.0.0.1:1/db')).rejects.toMatchObject({
      code: 'INVALID_ACTIVITY_DATABASE',
      url: 'postgres://u:***@127.0.0.1:1/db'
    })
  })

  it('sqlite::memory: is a private database with the schema', async () => {
    const db = await open('sqlite::memory:')
    expect(db.engine).toBe('sqlite')
    expect((await tableCounts(db)).commits).toBe(0)
  })
})
