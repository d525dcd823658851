import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startEmulator, type Emulator } from '@hubstore/emulator'
import { createGitHubClient } from '../../src/github/client.js'
import { receiveDelivery } from '../../src/activity/inbox.js'
import { listJobs, markInterruptedJobs } from '../../src/activity/jobs.js'
import { processInbox } from '../../src/activity/worker.js'
import type { ActivityDb } from '../../src/activity/types.js'
import { ENGINES, SECRET, signedDelivery, useDatabases, useOpen } from './support.js'

const databases = useDatabases()
const open = useOpen()
const root = new URL('../../../../', import.meta.url).pathname
const workerScript = new URL('./support/inbox-worker.ts', import.meta.url).pathname
const LOAD_REPO = {
  id: 9_001,
  node_id: 'R_load',
  full_name: 'octo/load',
  name: 'load',
  owner: { login: 'octo' },
  default_branch: 'main'
}

/** An `issues.opened` payload (the fields the handler reads, as GitHub names them). */
function issuePayload(n: number) {
  const at = new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString().replace('.000', '')
  return {
    action: 'opened',
    issue: {
      id: 500_000 + n,
      number: n,
      title: `issue ${n}`,
      body: null,
      state: 'open',
      user: { login: 'ann' },
      created_at: at,
      updated_at: at,
      closed_at: null
    },
    repository: LOAD_REPO,
    installation: { id: 77 }
  }
}

async function fill(
  db: ActivityDb,
  items: Array<{ event: string; payload: unknown }>
): Promise<string[]> {
  const guids: string[] = []
  let t = Date.UTC(2026, 0, 1)
  for (const { event, payload } of items) {
    const d = signedDelivery(event, payload)
    const at = new Date(t++)
    expect(await receiveDelivery(db, { ...d, secret: SECRET, now: () => at })).toMatchObject({
      kind: 'stored'
    })
    guids.push(d.guid)
  }
  return guids
}

interface Worker {
  child: ChildProcess
  lines: AsyncIterator<string>
  next(): Promise<string>
  exited: Promise<number | null>
}

function startWorker(url: string, id: string, limit: number, mode: 'run' | 'hang'): Worker {
  const env = { ...process.env }
  delete env.NODE_OPTIONS
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', workerScript, url, id, String(limit), mode],
    {
      cwd: root,
      env,
      stdio: ['pipe', 'pipe', 'pipe']
    }
  )
  let stderr = ''
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()))
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream })[
    Symbol.asyncIterator
  ]()
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code))
  )
  return {
    child,
    lines,
    exited,
    async next() {
      const r = await lines.next()
      if (r.done) throw new Error(`worker ${id} ended: ${stderr.slice(-2000)}`)
      return r.value
    }
  }
}

let emulator: Emulator
beforeAll(async () => {
  emulator = await startEmulator()
  await emulator.admin.createToken({ token: 'tok-octo', login: 'octo', permission: 'admin' })
})
afterAll(() => emulator?.close())

describe.each(ENGINES)('inbox workers on %s', (engine) => {
  it('kill -9 in the middle of a pass: a later pass takes over the expired leases; nothing lost, nothing twice', async () => {
    const url = await databases.fresh(engine)
    const db = await open(url)
    const repoName = `imported-${engine}`
    await emulator.admin.createRepo({ full_name: `octo/${repoName}` })
    const octokit = createGitHubClient({
      token: 'tok-octo',
      baseUrl: emulator.url,
      log: () => undefined
    })
    const repo = (await octokit.rest.repos.get({ owner: 'octo', repo: repoName })).data
    const items = [
      ...Array.from({ length: 120 }, (_, i) => ({ event: 'issues', payload: issuePayload(i + 1) })),
      // needs GitHub (an import): the hanging worker stops here, holding the rest of its claim
      { event: 'repository', payload: { action: 'created', repository: repo } },
      ...Array.from({ length: 79 }, (_, i) => ({ event: 'issues', payload: issuePayload(i + 121) }))
    ]
    const guids = await fill(db, items)
    const worker = startWorker(url, 'doomed', 500, 'hang')
    expect(await worker.next()).toBe('ready')
    worker.child.stdin!.write('go\n')
    expect(await worker.next()).toBe('mid')
    worker.child.kill('SIGKILL')
    await worker.exited
    const left = await db.all<{ status: string; n: number }>(
      'SELECT status, COUNT(*) AS n FROM deliveries GROUP BY status ORDER BY status'
    )
    expect(left).toEqual([
      { status: 'processed', n: 120 },
      { status: 'processing', n: 80 }
    ])
    expect(await markInterruptedJobs(db)).toHaveLength(1)

    // within the lease nobody takes them; after it, the next worker does
    const clientFor = async () => octokit
    expect(
      await processInbox(db, { clientFor, workerId: 'early', leaseMs: 300_000 })
    ).toMatchObject({ claimed: 0 })
    const later = new Date(Date.now() + 301_000)
    const rerun = await processInbox(db, {
      clientFor,
      workerId: 'heir',
      now: () => later,
      limit: 500
    })
    expect(rerun).toMatchObject({ claimed: 80, processed: 80, failed: 0 })
    const rows = await db.all<{ guid: string; status: string; attempts: number }>(
      'SELECT guid, status, attempts FROM deliveries'
    )
    expect(rows).toHaveLength(200)
    expect(rows.every((r) => r.status === 'processed')).toBe(true)
    const attempts = new Map(rows.map((r) => [r.guid, r.attempts]))
    expect(guids.slice(0, 120).map((g) => attempts.get(g))).toEqual(Array(120).fill(1))
    expect(guids.slice(120).map((g) => attempts.get(g))).toEqual(Array(80).fill(2))
    expect(
      await db.get<{ n: number; d: number }>(
        'SELECT COUNT(*) AS n, COUNT(DISTINCT number) AS d FROM issues'
      )
    ).toEqual({ n: 199, d: 199 })
    expect(
      await db.get(
        'SELECT full_name, last_synced_at IS NOT NULL AS synced FROM repositories WHERE id = ?',
        [repo.id]
      )
    ).toMatchObject({
      full_name: `octo/${repoName}`
    })
    const jobs = await listJobs(db)
    expect(jobs.map((j) => [j.type, j.status])).toEqual([
      ['webhook', 'succeeded'],
      ['webhook', 'interrupted']
    ])
    expect(JSON.parse(jobs[0].counts)).toMatchObject({ deliveries: 80, issues: 79 })
  })
})

describe('two worker processes on one PostgreSQL inbox', () => {
  it('1,000 deliveries: each processed exactly once, by one of them', async () => {
    const url = await databases.fresh('postgres')
    const db = await open(url)
    const guids = await db.transaction(async (tx) =>
      fill(
        tx,
        Array.from({ length: 1000 }, (_, i) => ({
          event: 'issues',
          payload: issuePayload(i + 1)
        }))
      )
    )
    const workers = [startWorker(url, 'a', 20, 'run'), startWorker(url, 'b', 20, 'run')]
    for (const w of workers) expect(await w.next()).toBe('ready')
    for (const w of workers) w.child.stdin!.write('go\n')
    const results = await Promise.all(
      workers.map(async (w) => (JSON.parse(await w.next()) as { processed: string[] }).processed)
    )
    await Promise.all(workers.map((w) => w.exited))
    const [a, b] = results
    expect(a.length).toBeGreaterThan(0)
    expect(b.length).toBeGreaterThan(0)
    expect(a.length + b.length).toBe(1000)
    expect(new Set([...a, ...b]).size).toBe(1000)
    const rows = await db.all<{ guid: string; status: string; attempts: number }>(
      'SELECT guid, status, attempts FROM deliveries ORDER BY guid'
    )
    expect(rows.map((r) => r.guid)).toEqual([...guids].sort())
    expect(rows.filter((r) => r.status !== 'processed' || r.attempts !== 1)).toEqual([])
    expect(await db.get('SELECT COUNT(*) AS n FROM issues')).toEqual({ n: 1000 })
    const jobs = await listJobs(db, { limit: 500 })
    expect(jobs.every((j) => j.status === 'succeeded')).toBe(true)
    expect(
      jobs.reduce((sum, j) => sum + (JSON.parse(j.counts) as { deliveries: number }).deliveries, 0)
    ).toBe(1000)
  })
})
