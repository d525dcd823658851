/**
 * Object-store benches for `pnpm bench`: requests (the emulator's ledger) and wall time of
 * processing K queued updates with GraphQL-batched marking (target: constant, ≤ 5, for the owner
 * or a write collaborator, plus the object lease's 5, counted apart in the same run), and of full and incremental snapshots of a 5,000-object store
 * (targets: ⌈5000/100⌉ + 2, and 4 + the commit after 10 changes).
 */
import {
  createGitHubClient,
  createObject,
  processUpdates,
  updateObject,
  type MarkingMode,
  type RepoContext
} from '@hubstore/core'
import { syncSnapshotFile } from '@hubstore/core/snapshot'
import { startEmulator, type Emulator } from '@hubstore/emulator'
import { seedObjects } from '../packages/core/__tests__/fixtures/seed.js'
import { printTable } from './table.js'

const SIZES = [1, 10, 50]
const STORE_OBJECTS = 5_000

export async function benchObjects(): Promise<void> {
  const emulator = await startEmulator()
  try {
    await emulator.admin.createRepo({ full_name: 'octocat/objects' })
    await emulator.admin.createRepo({ full_name: 'octocat/snapshots' })
    for (const [token, login, permission] of [
      ['owner', 'octocat', 'admin'],
      ['wendy', 'wendy', 'write']
    ] as const)
      await emulator.admin.createToken({
        token,
        login,
        permission,
        rate_limit_per_hour: 10_000_000
      })
    const ctx = (token: string, repo = 'objects'): RepoContext => ({
      octokit: createGitHubClient({
        token,
        baseUrl: emulator.url,
        throttle: { writeSpacingMs: 0, maxConcurrent: 32 }
      }),
      owner: 'octocat',
      repo
    })
    await benchProcessing(emulator, ctx('owner'), ctx('wendy'))
    await benchSnapshots(emulator, ctx('owner', 'snapshots'))
  } finally {
    await emulator.close()
  }
}

async function benchProcessing(emulator: Emulator, owner: RepoContext, wendy: RepoContext) {
  // The lease's requests of each run, told apart on the processing client: its git data calls
  // and its GraphQL read (docs/architecture.md §2.3.1).
  let leaseRequests = 0
  owner.octokit.hook.before('request', (options) => {
    const url = String(options.url)
    if (url.includes('/git/') || String(options.query ?? '').includes('query ReadLease'))
      leaseRequests++
  })
  const rows: string[][] = []
  for (const [author, who] of [
    [owner, 'owner'],
    [wendy, 'write collaborator']
  ] as const)
    for (const marking of ['graphql', 'rest'] as MarkingMode[])
      for (const k of SIZES) {
        const id = `p-${who[0]}-${marking}-${k}`
        const created = await createObject(owner, id, { n: 0 })
        for (let i = 1; i <= k; i++) await updateObject(author, id, { n: i })
        await emulator.admin.clearLedger()
        leaseRequests = 0
        const start = performance.now()
        await processUpdates(owner, created.meta.issueNumber, { marking })
        const ms = performance.now() - start
        const requests = (await emulator.admin.ledger()).length
        const without = requests - leaseRequests
        rows.push([
          who,
          marking,
          String(k),
          String(requests),
          String(without),
          marking === 'graphql' ? '≤ 5' : `K + ${without - k}`,
          String(leaseRequests),
          '5',
          ms.toFixed(0)
        ])
      }
  printTable(
    'process-updates with batched marking: K queued updates → requests (processing, and the lease that makes it exclusive) and wall time',
    [
      'author',
      'marking',
      'K',
      'requests',
      'without lease',
      'target',
      'lease (extra per object)',
      'lease target',
      'wall ms'
    ],
    rows
  )
}

async function benchSnapshots(emulator: Emulator, owner: RepoContext) {
  const seedStart = performance.now()
  await seedObjects(owner, STORE_OBJECTS, { concurrency: 32 })
  const seedMs = performance.now() - seedStart
  await new Promise((resolve) => setTimeout(resolve, 2_000)) // let the seeding second pass
  const measure = async (mode: 'full' | 'incremental') => {
    await emulator.admin.clearLedger()
    const start = performance.now()
    const result = await syncSnapshotFile(owner, { path: 'data/store-snapshot.json', mode })
    const ms = performance.now() - start
    const ledger = await emulator.admin.ledger()
    return { result, ms, requests: ledger.length }
  }
  const full = await measure('full')
  await emulator.admin.advanceClock(120_000)
  for (let i = 0; i < 10; i++) {
    const queued = await updateObject(owner, `obj-${String(i * 450).padStart(5, '0')}`, {
      changed: i
    })
    await processUpdates(owner, queued.issueNumber)
  }
  const inc = await measure('incremental')
  printTable(
    `snapshot of a ${STORE_OBJECTS}-object store (seeded in ${(seedMs / 1000).toFixed(1)} s)`,
    ['mode', 'objects', 'changed', 'requests', 'target', 'wall ms'],
    [
      [
        'full',
        String(full.result.objects),
        String(full.result.changedIds.length),
        String(full.requests),
        // the pages, the file's GET, the PUT, and on the GET's 404 (no file yet) the GET /repos
        // that tells a missing repository from a missing file (docs/github-behaviour.md §11.6)
        `≤ ${Math.ceil(STORE_OBJECTS / 100) + 3}`,
        full.ms.toFixed(0)
      ],
      [
        'incremental (10 changes)',
        String(inc.result.objects),
        String(inc.result.changedIds.length),
        String(inc.requests),
        '≤ 4 + 1 commit',
        inc.ms.toFixed(0)
      ]
    ]
  )
}
