/**
 * Emulator throughput and memory, printed by `pnpm bench` (called from bench/index.ts).
 * Throughput: requests/s of one read route and one write route with 1 and 8 concurrent
 * sequential clients, each run bounded by `RUN_MS` wall time and `RUN_MAX_REQUESTS`. Clients and
 * emulator share this process and talk over loopback (`node:http`, one keep-alive socket per
 * client; `fetch` costs more per request than the emulator does). Memory: heap and
 * RSS (`process.memoryUsage()`, after a forced GC when available) before and after seeding
 * `SEEDED_ISSUES` issues into one repository through the admin API.
 */
import { Agent, request } from 'node:http'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { startEmulator, type Emulator } from '@hubstore/emulator'
import { printTable } from './table.js'

/** Wall time of one throughput run, ms. */
const RUN_MS = 2000
/** Upper bound of requests in one throughput run (keeps a fast machine's loop bounded). */
const RUN_MAX_REQUESTS = 200_000
const CONCURRENCY = [1, 8]
const SEEDED_ISSUES = 10_000
const TOKEN = 'bench-emulator'

interface Scenario {
  name: string
  method: 'GET' | 'POST'
  path: string
  body?: string
  /** Status a successful request answers. */
  ok: number
}

/** One request over `agent`; resolves with the status once the body has been read. */
function send(emulator: Emulator, agent: Agent, scenario: Scenario): Promise<number> {
  const headers: Record<string, string> = { authorization: `token ${TOKEN}` }
  if (scenario.body) headers['content-type'] = 'application/json'
  return new Promise((resolve, reject) => {
    const req = request(
      `${emulator.url}${scenario.path}`,
      { method: scenario.method, headers, agent },
      (res) => {
        res.resume()
        res.on('end', () => resolve(res.statusCode ?? 0))
        res.on('error', reject)
      }
    )
    req.on('error', reject)
    req.end(scenario.body)
  })
}

/** Runs `clients` sequential request loops against `scenario` for `RUN_MS`. */
async function run(
  emulator: Emulator,
  scenario: Scenario,
  clients: number
): Promise<{ requests: number; failures: number; ms: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: clients })
  const deadline = performance.now() + RUN_MS
  let requests = 0
  let failures = 0
  const loop = async (): Promise<void> => {
    while (performance.now() < deadline && requests < RUN_MAX_REQUESTS) {
      requests += 1
      if ((await send(emulator, agent, scenario)) !== scenario.ok) failures += 1
    }
  }
  const start = performance.now()
  try {
    await Promise.all(Array.from({ length: clients }, loop))
  } finally {
    agent.destroy()
  }
  return { requests, failures, ms: performance.now() - start }
}

/** `global.gc` without `--expose-gc` on the command line; `null` when unavailable. */
function collector(): (() => void) | null {
  try {
    setFlagsFromString('--expose-gc')
    const gc = runInNewContext('gc') as unknown
    if (typeof gc === 'function') return gc as () => void
  } catch {
    /* not available */
  }
  return null
}

const mib = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1)

/** Prints emulator throughput (requests/s) and memory per seeded issue; see the module comment. */
export async function benchEmulator(): Promise<void> {
  const emulator = await startEmulator()
  try {
    const [owner, repo] = ['octocat', 'bench-emulator']
    await emulator.admin.createRepo({ full_name: `${owner}/${repo}` })
    await emulator.admin.createToken({
      token: TOKEN,
      login: owner,
      permission: 'admin',
      rate_limit_per_hour: 100_000_000
    })
    await emulator.admin.putFile(`${owner}/${repo}`, 'README.md', '# bench\n\nHello.\n')
    const { first: issue } = await emulator.admin.seedIssues(`${owner}/${repo}`, 1)
    const auth = { authorization: `token ${TOKEN}` }
    const contentsPath = `/repos/${owner}/${repo}/contents/README.md`
    const probe = await fetch(`${emulator.url}${contentsPath}`, { headers: auth })
    await probe.arrayBuffer()
    const contentsOk = probe.status
    const read: Scenario =
      contentsOk === 200
        ? { name: 'GET contents/README.md', method: 'GET', path: contentsPath, ok: 200 }
        : {
            name: `GET issues/${issue} (contents GET answered ${contentsOk})`,
            method: 'GET',
            path: `/repos/${owner}/${repo}/issues/${issue}`,
            ok: 200
          }
    const write: Scenario = {
      name: 'POST issues/{n}/comments',
      method: 'POST',
      path: `/repos/${owner}/${repo}/issues/${issue}/comments`,
      body: JSON.stringify({ body: 'bench comment' }),
      ok: 201
    }
    const forced = collector()
    const gcNote = forced ? 'after a forced GC' : 'no forced GC available'
    const gc = forced ?? (() => {})
    await emulator.admin.createRepo({ full_name: `${owner}/bench-memory` })
    gc()
    const before = process.memoryUsage()
    const start = performance.now()
    await emulator.admin.seedIssues(`${owner}/bench-memory`, SEEDED_ISSUES)
    const seedMs = performance.now() - start
    gc()
    const after = process.memoryUsage()
    const last = await fetch(
      `${emulator.url}/repos/${owner}/bench-memory/issues/${SEEDED_ISSUES}`,
      {
        headers: auth
      }
    )
    await last.arrayBuffer()
    if (last.status !== 200)
      throw new Error(`seeded issue ${SEEDED_ISSUES} answered ${last.status}`)
    printTable(
      `emulator memory: ${SEEDED_ISSUES.toLocaleString('en')} issues in one repository ` +
        `(seeded via the admin API in ${seedMs.toFixed(0)} ms; ${gcNote})`,
      ['measure', 'before MiB', 'after MiB', 'delta MiB', 'bytes/issue'],
      (['heapUsed', 'rss'] as const).map((k) => [
        k,
        mib(before[k]),
        mib(after[k]),
        mib(after[k] - before[k]),
        ((after[k] - before[k]) / SEEDED_ISSUES).toFixed(0)
      ])
    )

    const rows: string[][] = []
    for (const scenario of [read, write])
      for (const clients of CONCURRENCY) {
        const r = await run(emulator, scenario, clients)
        rows.push([
          scenario.name,
          String(clients),
          String(r.requests),
          String(r.failures),
          ((r.requests / r.ms) * 1000).toFixed(0),
          ((r.ms / r.requests) * clients).toFixed(2)
        ])
      }
    printTable(
      `emulator throughput: ~${RUN_MS / 1000} s per run, sequential clients over loopback, same process`,
      ['request', 'clients', 'requests', 'failures', 'requests/s', 'mean ms'],
      rows
    )
  } finally {
    await emulator.close()
  }
}
