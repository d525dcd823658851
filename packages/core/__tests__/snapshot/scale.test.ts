import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startEmulator, type Emulator } from '@hubstore/emulator'
import {
  createGitHubClient,
  processUpdates,
  updateObject,
  type RepoContext
} from '../../src/index.js'
import { syncSnapshotFile } from '../../src/snapshot/index.js'
import { seedObjectsInEmulator } from '../fixtures/seed.js'

const N = 5_000
const PATH = 'data/store-snapshot.json'

let emulator: Emulator
let ctx: RepoContext
/** How far the emulator's clock runs ahead of this process's; the runner's clock follows it. */
let skewMs = 0
async function advanceClock(ms: number): Promise<void> {
  skewMs += ms
  await emulator.admin.advanceClock(ms)
}
beforeAll(async () => {
  emulator = await startEmulator()
  await emulator.admin.createRepo({ full_name: 'octocat/big' })
  await emulator.admin.createToken({
    token: 'tok-big',
    login: 'octocat',
    permission: 'admin',
    rate_limit_per_hour: 1_000_000
  })
  const octokit = createGitHubClient({
    token: 'tok-big',
    baseUrl: emulator.url,
    throttle: { writeSpacingMs: 0, maxConcurrent: 32 },
    retry: { retryAfterBaseMs: 5 }
  })
  ctx = { octokit, owner: 'octocat', repo: 'big', now: () => new Date(Date.now() + skewMs) }
  await seedObjectsInEmulator(emulator, 'octocat/big', N)
  // The next window re-reads the cut-off's own second (updated_at has whole seconds): let the
  // seeding burst end before the first snapshot, as it would in any real store (2 s on the
  // emulator's clock, which the runner's clock in `ctx.now` follows).
  await advanceClock(2_000)
}, 600_000)
afterAll(async () => emulator.close())

describe('snapshot at scale', () => {
  it(`syncSnapshotFile: ${N} objects — a full snapshot costs at most ⌈${N}/100⌉ + 3 requests (the file's GET 404, the repository GET on that 404, the PUT); an incremental one after 10 changes at most 4 + the commit`, async () => {
    await emulator.admin.clearLedger()
    const full = await syncSnapshotFile(ctx, { path: PATH, mode: 'full' })
    const fullLedger = await emulator.admin.ledger()
    expect(full).toMatchObject({ outcome: 'written', objects: N })
    expect(fullLedger.length).toBeLessThanOrEqual(Math.ceil(N / 100) + 3)
    expect(full.requests).toBe(fullLedger.length)

    await advanceClock(120_000)
    for (let i = 0; i < 10; i++) {
      const id = `obj-${String(i * 450).padStart(5, '0')}`
      const queued = await updateObject(ctx, id, { changed: i })
      await processUpdates(ctx, queued.issueNumber)
    }
    await emulator.admin.clearLedger()
    const inc = await syncSnapshotFile(ctx, { path: PATH, mode: 'incremental' })
    const incLedger = await emulator.admin.ledger()
    expect(inc.changedIds).toHaveLength(10)
    expect(inc).toMatchObject({ outcome: 'written', objects: N })
    const commits = incLedger.filter((e) => e.method === 'PUT')
    expect(commits).toHaveLength(1)
    expect(incLedger.length - commits.length).toBeLessThanOrEqual(4)
  }, 300_000)
})
