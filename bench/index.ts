/**
 * `pnpm bench`: API requests (counted by the emulator's ledger) and wall time per operation,
 * printed next to the baselines in bench/baselines/. Targets live here, never in timed tests.
 * `pnpm bench [section …]` runs only the sections named (gh-store, emulator, state, objects,
 * sequence, persist-data, activity, serve); bench/README.md keeps the figures of earlier runs to compare with.
 */
import { createGitHubClient, createObject, processUpdates, updateObject } from '@hubstore/core'
import { startEmulator } from '@hubstore/emulator'
import { benchActivity } from './activity.js'
import { ghStoreProcessUpdates } from './baselines/gh-store-process.js'
import { benchEmulator } from './emulator.js'
import { benchObjects } from './objects.js'
import { benchPersistData } from './persist-data.js'
import { benchSequence } from './sequence.js'
import { benchServe } from './serve.js'
import { benchState } from './state.js'
import { printTable } from './table.js'

const SIZES = [1, 10, 50]
const SECTIONS = [
  'gh-store',
  'emulator',
  'state',
  'objects',
  'sequence',
  'persist-data',
  'activity',
  'serve'
] as const
const named = process.argv.slice(2)
for (const name of named)
  if (!(SECTIONS as readonly string[]).includes(name))
    throw new Error(`bench: no section "${name}"; the sections are ${SECTIONS.join(', ')}`)
const runs = (section: (typeof SECTIONS)[number]) => named.length === 0 || named.includes(section)

/** process-updates against gh-store 0.11.2's request pattern (bench/baselines/gh-store-process.ts). */
async function benchGhStore(): Promise<void> {
  const emulator = await startEmulator()
  try {
    const repository = 'octocat/bench'
    const [owner, repo] = repository.split('/') as [string, string]
    await emulator.admin.createRepo({ full_name: repository })
    await emulator.admin.createToken({ token: 'owner', login: 'octocat', permission: 'admin' })
    await emulator.admin.createToken({ token: 'jane', login: 'jane', permission: 'read' })
    await emulator.admin.putFile(repository, '.github/CODEOWNERS', '* @jane\n')
    const octokit = (token: string) =>
      createGitHubClient({ token, baseUrl: emulator.url, throttle: { writeSpacingMs: 0 } })
    const ownerCtx = { octokit: octokit('owner'), owner, repo }
    const janeCtx = { octokit: octokit('jane'), owner, repo }

    const rows: string[][] = []
    for (const k of SIZES) {
      for (const impl of ['hubstore', 'gh-store 0.11.2 pattern'] as const) {
        const id = `bench-${impl === 'hubstore' ? 'h' : 'g'}-${k}`
        const created = await createObject(ownerCtx, id, { n: 0 })
        // Updates from a user authorised only through CODEOWNERS for hubstore (the costliest
        // authorisation path); the owner for the baseline, which only knows the owner and CODEOWNERS.
        const author = impl === 'hubstore' ? janeCtx : ownerCtx
        for (let i = 1; i <= k; i++) await updateObject(author, id, { n: i, [`k${i}`]: true })
        await emulator.admin.clearLedger()
        const start = performance.now()
        if (impl === 'hubstore') await processUpdates(ownerCtx, created.meta.issueNumber)
        else await ghStoreProcessUpdates(ownerCtx.octokit, owner, repo, created.meta.issueNumber)
        const ms = performance.now() - start
        const requests = (await emulator.admin.ledger()).length
        rows.push([
          impl,
          String(k),
          String(requests),
          impl === 'hubstore' ? '≤ 14 (9 + 5 for the lease)' : '',
          ms.toFixed(0)
        ])
      }
    }
    printTable(
      'process-updates vs gh-store 0.11.2 request pattern: K queued updates (hubstore: CODEOWNERS-only author, the costliest authorisation path)',
      ['implementation', 'K', 'requests', 'target', 'wall ms'],
      rows
    )
  } finally {
    await emulator.close()
  }
}

async function main(): Promise<void> {
  if (runs('gh-store')) await benchGhStore()
  if (runs('emulator')) await benchEmulator()
  if (runs('state')) await benchState()
  if (runs('objects')) await benchObjects()
  if (runs('sequence')) await benchSequence()
  if (runs('activity')) await benchActivity()
  if (runs('serve')) await benchServe()
  if (runs('persist-data')) await benchPersistData()
}

await main()
