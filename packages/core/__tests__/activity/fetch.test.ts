import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startEmulator, type Emulator } from '@hubstore/emulator'
import { createGitHubClient } from '../../src/github/client.js'
import { syncRepository } from '../../src/activity/fetch.js'
import { receiveDelivery } from '../../src/activity/inbox.js'
import { startInboxWorker } from '../../src/activity/worker.js'
import { ENGINES, SECRET, signedDelivery, useDatabases, useOpen } from './support.js'

const databases = useDatabases()
const open = useOpen()
let emulator: Emulator
beforeAll(async () => {
  emulator = await startEmulator()
  await emulator.admin.createToken({ token: 'tok-octo', login: 'octo', permission: 'admin' })
})
afterAll(() => emulator?.close())
const client = () =>
  createGitHubClient({
    token: 'tok-octo',
    baseUrl: emulator.url,
    log: () => undefined,
    retry: { retryAfterBaseMs: 5 }
  })

describe.each(ENGINES)('syncRepository on %s', (engine) => {
  it('an import stopped after a page resumes at the next page: no page read twice, every row once', async () => {
    const db = await open(await databases.fresh(engine))
    const name = `resume-${engine}`
    await emulator.admin.createRepo({ full_name: `octo/${name}` })
    await emulator.admin.seedIssues(`octo/${name}`, 250)
    const octokit = client()
    await emulator.admin.clearLedger()
    const stop = new Error('stopped after the first page of issues (as a kill would)')
    await expect(
      syncRepository(
        db,
        octokit,
        { full_name: `octo/${name}` },
        {
          onPage: (p) => {
            if (p.stream === 'issues' && p.page === 1) throw stop
          }
        }
      )
    ).rejects.toBe(stop)
    const mid = await db.get<{ cursors: string; last_synced_at: string | null }>(
      'SELECT cursors, last_synced_at FROM repositories WHERE full_name = ?',
      [`octo/${name}`]
    )
    expect(JSON.parse(mid!.cursors)).toEqual({
      commits: { since: null, page: 1, done: true },
      issues: { since: null, page: 1 }
    })
    expect(mid!.last_synced_at).toBeNull()
    expect((await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM issues'))!.n).toBe(100)

    const result = await syncRepository(db, octokit, { full_name: `octo/${name}` })
    const issuePages = (await emulator.admin.ledger())
      .filter((e) => e.route === '/repos/{owner}/{repo}/issues')
      .map((e) => new URL(e.path, emulator.url).searchParams.get('page'))
    expect(issuePages).toEqual(['1', '2', '3'])
    expect(result.counts.issues).toBe(150)
    const rows = await db.get<{ n: number; d: number }>(
      'SELECT COUNT(*) AS n, COUNT(DISTINCT number) AS d FROM issues'
    )
    expect(rows).toEqual({ n: 250, d: 250 })
    const done = await db.get<{
      cursors: string
      last_synced_at: string | null
      issues_updated_at: string | null
    }>('SELECT cursors, last_synced_at, issues_updated_at FROM repositories WHERE full_name = ?', [
      `octo/${name}`
    ])
    expect(done).toMatchObject({
      cursors: '{}',
      last_synced_at: expect.any(String),
      issues_updated_at: expect.any(String)
    })

    // a delta sync since the last one reads one page per stream and writes nothing
    const delta = await syncRepository(
      db,
      octokit,
      { full_name: `octo/${name}` },
      { since: done!.last_synced_at }
    )
    expect(delta.counts).toMatchObject({ commits: 0, issues: 0, pull_requests: 0 })
  })
})

describe('startInboxWorker', () => {
  it('processes what arrives and, on stop, finishes the pass in flight', async () => {
    const db = await open(await databases.fresh('sqlite'))
    const seen: string[] = []
    const worker = startInboxWorker(db, {
      clientFor: async () => client(),
      pollIntervalMs: 5,
      onDelivery: (d) => seen.push(d.guid)
    })
    const d = signedDelivery('ping', { zen: 'Keep it logically awesome.' })
    await receiveDelivery(db, { ...d, secret: SECRET })
    // wait for the condition (the worker's pass), not for a time
    while (seen.length === 0) await new Promise((r) => setImmediate(r))
    await worker.stop()
    expect(seen).toEqual([d.guid])
    expect(await db.all('SELECT status FROM deliveries')).toEqual([{ status: 'processed' }])
  })
})
