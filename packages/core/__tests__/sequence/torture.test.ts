import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { startEmulator, type Emulator } from '@hubstore/emulator'
import { bundleForChild } from '../../../../test-support/bundle-for-child.js'
import { createGitHubClient } from '../../src/github/client.js'
import { parseMessage } from '../../src/sequence/message.js'
import { checkHistory, type CommittedBlock } from './support/checker.js'
import type { TortureOp } from './support/torture-worker.js'

const WORKERS = Number(process.env.TORTURE_WORKERS ?? 16)
const INCREMENTS = Number(process.env.TORTURE_INCREMENTS ?? 25)
const REPO = 'octocat/torture'
const NAME = 'dc'
const CONTENTS = '/repos/{owner}/{repo}/contents/{path}'
const root = fileURLToPath(new URL('../../../../', import.meta.url))
const workerPath = fileURLToPath(new URL('./support/torture-worker.ts', import.meta.url))

let emulator: Emulator
/** The worker and the core source it runs, bundled once: 16 plain `node` starts, not 16 tsx ones. */
let workerBundle: string
beforeAll(async () => {
  workerBundle = bundleForChild(workerPath)
  emulator = await startEmulator()
  await emulator.admin.createRepo({ full_name: REPO, default_branch: 'main' })
  await emulator.admin.createToken({ token: 'torture', login: 'octocat', permission: 'admin' })
})
afterAll(async () => {
  rmSync(workerBundle, { force: true })
  await emulator.close()
})

function startWorker(index: number): {
  child: ChildProcess
  ready: Promise<void>
  done: Promise<TortureOp[]>
} {
  const env = { ...process.env }
  delete env.NODE_OPTIONS
  const child = spawn(
    process.execPath,
    [
      workerBundle,
      emulator.url,
      'torture',
      REPO,
      NAME,
      String(INCREMENTS),
      String(index),
      index % 2 ? 'warm' : 'cold'
    ],
    { cwd: root, env, stdio: ['pipe', 'pipe', 'pipe'] }
  )
  let stderr = ''
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()))
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream })
  let markReady: () => void = () => {}
  const ready = new Promise<void>((resolve) => (markReady = resolve))
  const done = new Promise<TortureOp[]>((resolve, reject) => {
    let ops: TortureOp[] | undefined
    lines.on('line', (line) => {
      if (line === 'ready') markReady()
      else if (line.startsWith('{')) ops = (JSON.parse(line) as { ops: TortureOp[] }).ops
    })
    child.on('close', (code) =>
      ops ? resolve(ops) : reject(new Error(`worker ${index} exited ${code}: ${stderr}`))
    )
  })
  return { child, ready, done }
}

describe('increment: torture', () => {
  it(`torture: ${WORKERS} processes × ${INCREMENTS} increments, 10% of writes failing after applying and 10% before`, async () => {
    await emulator.admin.addFault({
      method: 'PUT',
      route: CONTENTS,
      status: 502,
      probability: 0.1,
      when: 'after',
      seed: 7
    })
    await emulator.admin.addFault({
      method: 'PUT',
      route: CONTENTS,
      status: 500,
      probability: 0.1,
      when: 'before',
      seed: 11
    })
    await emulator.admin.clearLedger()

    const workers = Array.from({ length: WORKERS }, (_, i) => startWorker(i))
    await Promise.all(workers.map((w) => w.ready))
    const started = performance.now()
    for (const w of workers) w.child.stdin?.end('go\n')
    const ops = (await Promise.all(workers.map((w) => w.done))).flat()
    const wallMs = performance.now() - started

    const ledger = await emulator.admin.ledger()
    await emulator.admin.clearFaults()
    const octokit = createGitHubClient({
      token: 'torture',
      baseUrl: emulator.url,
      throttle: { writeSpacingMs: 0 }
    })
    const [owner, repo] = REPO.split('/') as [string, string]
    const history = await octokit.paginate(octokit.rest.repos.listCommits, {
      owner,
      repo,
      path: 'sequence_data.json',
      per_page: 100
    })
    const commits: CommittedBlock[] = history
      .reverse()
      .map((c) => ({ sha: c.sha, parsed: parseMessage(c.commit.message) }))
      .filter((c) => c.parsed?.kind === 'increment' && c.parsed.key === NAME)
      .map((c) => ({
        sha: c.sha,
        old: c.parsed?.old ?? NaN,
        new: c.parsed?.new ?? NaN,
        nonce: c.parsed?.nonce
      }))
    const { data } = await octokit.rest.repos.getContent({
      owner,
      repo,
      path: 'sequence_data.json'
    })
    const file = JSON.parse(
      Buffer.from((data as { content: string }).content, 'base64').toString('utf8')
    )
    const finalValue = file.sequences[NAME] as number

    const report = checkHistory(ops, commits, finalValue, 0)
    const puts = ledger.filter((e) => e.method === 'PUT')
    const summary = {
      workers: WORKERS,
      incrementsEach: INCREMENTS,
      wallMs: Math.round(wallMs),
      requests: ledger.length,
      puts: puts.length,
      faultsAfter: puts.filter((e) => (e as { fault?: string }).fault === 'after').length,
      faultsBefore: puts.filter((e) => (e as { fault?: string }).fault === 'before').length,
      conflicts: puts.filter((e) => e.status === 409 || e.status === 422).length,
      commits: commits.length,
      attemptsMax: Math.max(...ops.map((o) => o.attempts ?? 0)),
      ...report,
      linearizabilityViolations: report.linearizabilityViolations.length
    }
    mkdirSync(`${root}/.test-results`, { recursive: true })
    writeFileSync(
      `${root}/.test-results/sequence-torture.json`,
      `${JSON.stringify(summary, null, 2)}\n`
    )
    console.log(`sequence torture: ${JSON.stringify(summary)}`)

    expect(summary.faultsAfter).toBeGreaterThan(0)
    expect(summary.faultsBefore).toBeGreaterThan(0)
    expect(report.duplicates).toEqual([])
    expect(report.notInHistory).toEqual([])
    expect(report.chainBreaks).toEqual([])
    expect(report.linearizabilityViolations).toEqual([])
    expect(report.unexplainedGaps).toBe(0)
    expect(finalValue).toBe(commits.at(-1)?.new)
    const tailIsGap = report.gaps.some((g) => g.last === finalValue)
    if (!tailIsGap) expect(finalValue).toBe(report.maxHandedOut)
    expect(report.succeeded + Object.values(report.failed).reduce((a, b) => a + b, 0)).toBe(
      WORKERS * INCREMENTS
    )
    // Every number from 1 to the final value was either handed out or is an explained gap.
    const gapNumbers = report.gaps.reduce((n, g) => n + g.last - g.first + 1, 0)
    expect(report.numbersHandedOut + gapNumbers).toBe(finalValue)
  }, 180_000)
})
