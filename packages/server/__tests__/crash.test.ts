/**
 * `kill -9` of a server process in the middle of a stream of deliveries, then a restart on
 * the same SQLite database: every delivery that was answered 202 is processed (0 lost); a
 * SIGTERM afterwards shuts down gracefully (exit 0, nothing left `processing`).
 */
import { afterAll, expect, test } from '@jest/globals'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openActivityDb } from '@hubstore/core/activity'
import { issueDelivery, pool, post, startServeChild, until } from './support/deliveries.js'

const dir = mkdtempSync(join(tmpdir(), 'hubstore-crash-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

test('kill -9 mid-stream, restart: every delivery answered 202 is processed', async () => {
  const database = `sqlite:${join(dir, 'activity.db')}`
  const first = await startServeChild({ SERVE_DATABASE: database })
  const deliveries = Array.from({ length: 600 }, (_, i) => issueDelivery(i + 1))
  const acked: string[] = []
  let killed = false
  await pool(deliveries, 20, async (d) => {
    const status = await post(first.url, d)
    if (status === 202) acked.push(d.guid)
    if (acked.length >= 200 && !killed) {
      killed = true
      first.child.kill('SIGKILL')
    }
  })
  expect(await first.exited).toBeNull() // killed by the signal, no exit code
  expect(acked.length).toBeGreaterThanOrEqual(200)
  expect(acked.length).toBeLessThan(600) // the kill came mid-stream

  // The restart's workers run 10 minutes ahead: leases the killed process held have expired.
  const second = await startServeChild({
    SERVE_DATABASE: database,
    SERVE_CLOCK_OFFSET_MS: String(10 * 60_000)
  })
  const db = await openActivityDb(database)
  try {
    const processed = async (): Promise<Set<string>> =>
      new Set(
        (
          await db.all<{ guid: string }>("SELECT guid FROM deliveries WHERE status = 'processed'")
        ).map((r) => r.guid)
      )
    await until(async () => {
      const done = await processed()
      return acked.every((g) => done.has(g))
    })
    const done = await processed()
    expect(acked.filter((g) => !done.has(g))).toEqual([]) // 0 lost
    const issues = await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM issues')
    expect(Number(issues?.n)).toBeGreaterThanOrEqual(acked.length)

    second.child.kill('SIGTERM')
    expect(await second.exited).toBe(0)
    const stuck = await db.get<{ n: number }>(
      "SELECT COUNT(*) AS n FROM deliveries WHERE status = 'processing'"
    )
    expect(Number(stuck?.n)).toBe(0)
  } finally {
    await db.close()
    if (second.child.exitCode === null) second.child.kill('SIGKILL')
  }
})
