/**
 * `pnpm bench` (called from bench/index.ts; alone: `node node_modules/tsx/dist/cli.mjs
 * bench/serve.ts`): `hubstore serve`'s webhook acknowledgement. 1,000 signed `issues`
 * deliveries posted by 50 concurrent clients to a server on loopback with the SQLite store;
 * per row the p50 / p99 / max time from request to 202 (ms), the deliveries acknowledged per
 * second, and the time until the inbox workers have processed all of them. The target is
 * GitHub's: an answer well inside 10 s (docs/sync-server.md §1).
 */
import { createHmac, randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openActivityDb } from '@hubstore/core/activity'
import { createActivityService, startServer } from '../packages/server/src/index.js'
import { printTable } from './table.js'

const DELIVERIES = 1000
const CLIENTS = 50
const WARM_UP = 50
const SECRET = 'bench-secret'

function delivery(n: number): { body: string; headers: Record<string, string> } {
  const at = new Date(Date.UTC(2026, 11, 1) + n * 1000).toISOString()
  const body = JSON.stringify({
    action: 'opened',
    issue: {
      id: 500_000 + n,
      number: n,
      title: `bench ${n}`,
      state: 'open',
      created_at: at,
      updated_at: at,
      user: { login: 'octocat' }
    },
    repository: {
      id: 77_001,
      node_id: 'R_bench',
      full_name: 'octo-org/bench',
      name: 'bench',
      owner: { login: 'octo-org' }
    },
    sender: { login: 'octocat' }
  })
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'issues',
      'x-github-delivery': randomUUID(),
      'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`
    }
  }
}

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN

async function run(workers: number): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'hubstore-bench-serve-'))
  const database = `sqlite:${join(dir, 'activity.db')}`
  const service = await createActivityService({ database, pollIntervalMs: 10 })
  const server = await startServer({
    service,
    webhookSecret: SECRET,
    adminToken: 'bench',
    sweepCron: false,
    redeliveryCron: false,
    workers,
    log: () => undefined
  })
  const db = await openActivityDb(database)
  try {
    // Warm-up (not timed): the first requests pay for connection set-up and JIT compilation.
    for (let i = 0; i < WARM_UP; i++) {
      const d = delivery(DELIVERIES + 1 + i)
      await (
        await fetch(`${server.url}/api/github/webhook`, { method: 'POST', ...d })
      ).arrayBuffer()
    }
    const items = Array.from({ length: DELIVERIES }, (_, i) => delivery(i + 1))
    const latencies: number[] = []
    let non202 = 0
    let next = 0
    const start = performance.now()
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (next < items.length) {
          const d = items[next++]!
          const t = performance.now()
          const res = await fetch(`${server.url}/api/github/webhook`, { method: 'POST', ...d })
          await res.arrayBuffer()
          latencies.push(performance.now() - t)
          if (res.status !== 202) non202++
        }
      })
    )
    const ackMs = performance.now() - start
    for (; workers > 0;) {
      const r = await db.get<{ n: number }>(
        "SELECT COUNT(*) AS n FROM deliveries WHERE status = 'processed'"
      )
      if (Number(r?.n) >= DELIVERIES + WARM_UP) break
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    const processedMs = performance.now() - start
    latencies.sort((a, b) => a - b)
    return [
      String(workers),
      percentile(latencies, 50).toFixed(1),
      percentile(latencies, 99).toFixed(1),
      (latencies.at(-1) ?? NaN).toFixed(1),
      '< 10,000 (GitHub)',
      ((DELIVERIES / ackMs) * 1000).toFixed(0),
      String(non202),
      workers > 0 ? processedMs.toFixed(0) : '—'
    ]
  } finally {
    await server.close()
    await db.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Both rows: acknowledging alone (no workers), and with the 2 workers processing meanwhile. */
export async function benchServe(): Promise<void> {
  const rows = [await run(0), await run(2)]
  printTable(
    `hubstore serve: ${DELIVERIES} signed deliveries, ${CLIENTS} concurrent clients, SQLite inbox`,
    [
      'workers',
      'p50 ack ms',
      'p99 ack ms',
      'max ack ms',
      'target',
      'acks/s',
      'not 202',
      'all processed after ms'
    ],
    rows
  )
}

if (import.meta.url === `file://${process.argv[1]}`) await benchServe()
