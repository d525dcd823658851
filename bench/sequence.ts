/**
 * `pnpm bench` (called from bench/index.ts): hubstore's increment against two baselines at 1, 4
 * and 16 concurrent writers, each writer doing `PER_WRITER` increments one after another, all
 * against one emulator on loopback. Per row: increments/s (successful increments over wall
 * time), requests per successful increment (emulator ledger), numbers handed out twice, runs that
 * gave up, and the file's final value against the numbers handed out (lost increments).
 *
 * - hubstore (cold): `incrementSequence` with the shipped defaults (10 attempts, full jitter
 *   100 ms base, 5 s cap), a fresh store per increment, as one workflow run per number.
 * - hubstore (warm): one `SequenceStore` per writer (a long-running process: cached blob SHA).
 * - naive: bench/baselines/sequence-naive.ts (read, +1, write; 5 retries on 409, 100 ms × 2^n).
 * - re-read sha: bench/baselines/sequence-reread-sha.ts (re-reads the SHA just before writing).
 *
 * Clients are in-process, one per writer, with throttle spacing off (GitHub's 1 s between
 * writes would serialise every implementation alike) and plugin-retry as shipped.
 */
import {
  createGitHubClient,
  incrementSequence,
  SequenceStore,
  type HubstoreOctokit
} from '@hubstore/core'
import { startEmulator, type Emulator } from '@hubstore/emulator'
import { naiveIncrement } from './baselines/sequence-naive.js'
import { rereadShaIncrement } from './baselines/sequence-reread-sha.js'
import { printTable } from './table.js'

const WRITERS = [1, 4, 16]
const PER_WRITER = 8
const NAME = 'bench_seq'
const TOKEN = 'bench-sequence'

type Implementation = 'hubstore (cold)' | 'hubstore (warm)' | 'naive' | 're-read sha'
const IMPLEMENTATIONS: Implementation[] = [
  'hubstore (cold)',
  'hubstore (warm)',
  'naive',
  're-read sha'
]

/** One writer: `PER_WRITER` increments; answers the numbers it received and its failures. */
async function writer(
  impl: Implementation,
  octokit: HubstoreOctokit,
  owner: string,
  repo: string
): Promise<{ numbers: number[]; failures: number }> {
  const store = new SequenceStore({ octokit, owner, repo })
  const numbers: number[] = []
  let failures = 0
  for (let i = 0; i < PER_WRITER; i++) {
    try {
      if (impl === 'hubstore (cold)')
        numbers.push((await incrementSequence({ octokit, owner, repo }, { name: NAME })).first)
      else if (impl === 'hubstore (warm)')
        numbers.push((await store.increment({ name: NAME })).first)
      else if (impl === 'naive')
        numbers.push((await naiveIncrement(octokit, owner, repo, NAME)).value)
      else numbers.push((await rereadShaIncrement(octokit, owner, repo, NAME)).value)
    } catch {
      failures += 1
    }
  }
  return { numbers, failures }
}

async function row(emulator: Emulator, impl: Implementation, writers: number, repoName: string) {
  const [owner, repo] = ['octocat', repoName]
  await emulator.admin.createRepo({ full_name: `${owner}/${repo}`, default_branch: 'main' })
  await emulator.admin.putFile(
    `${owner}/${repo}`,
    'sequence_data.json',
    `${JSON.stringify({ sequences: { [NAME]: 0 }, last_updated: new Date(0).toISOString(), version: '1.0' }, null, 2)}\n`
  )
  const clients = Array.from({ length: writers }, () =>
    createGitHubClient({ token: TOKEN, baseUrl: emulator.url, throttle: { writeSpacingMs: 0 } })
  )
  await emulator.admin.clearLedger()
  const start = performance.now()
  const results = await Promise.all(clients.map((c) => writer(impl, c, owner, repo)))
  const ms = performance.now() - start
  const requests = (await emulator.admin.ledger()).length
  const numbers = results.flatMap((r) => r.numbers)
  const failures = results.reduce((n, r) => n + r.failures, 0)
  const { data } = await clients[0]!.rest.repos.getContent({
    owner,
    repo,
    path: 'sequence_data.json'
  })
  const final = JSON.parse(
    Buffer.from((data as { content: string }).content, 'base64').toString('utf8')
  ).sequences[NAME] as number
  const duplicates = numbers.length - new Set(numbers).size
  return [
    impl,
    String(writers),
    String(numbers.length),
    (numbers.length / (ms / 1000)).toFixed(1),
    numbers.length ? (requests / numbers.length).toFixed(2) : '-',
    String(duplicates),
    String(failures),
    `${final} / ${new Set(numbers).size}`
  ]
}

/** Runs the comparison and prints one table. */
export async function benchSequence(): Promise<void> {
  const emulator = await startEmulator()
  try {
    await emulator.admin.createToken({ token: TOKEN, login: 'octocat', permission: 'admin' })
    const rows: string[][] = []
    let n = 0
    for (const writers of WRITERS)
      for (const impl of IMPLEMENTATIONS)
        rows.push(await row(emulator, impl, writers, `bench-sequence-${++n}`))
    printTable(
      `increment-sequence: ${PER_WRITER} increments per writer, W concurrent writers (emulator on loopback)`,
      [
        'implementation',
        'W',
        'handed out',
        'incr/s',
        'requests/incr',
        'duplicates',
        'gave up',
        'final / distinct'
      ],
      rows
    )
  } finally {
    await emulator.close()
  }
}
