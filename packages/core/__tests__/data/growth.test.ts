import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Emulator } from '@hubstore/emulator'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { backupDirectory, restoreDirectory } from '@hubstore/core/data'
import { freshRepo, startWorld } from '../support/emulator.js'
import { createChatDb, dumpRows, integrity, scratch } from './support.js'

let emulator: Emulator
const work = scratch('data-growth')
beforeAll(async () => {
  emulator = await startWorld()
})
afterAll(async () => {
  await emulator.close()
  work.cleanup()
})

const MIB = 1024 * 1024

describe('data: storage growth and download per backup', () => {
  it('48 backups with ~10 changed pages each grow LFS storage < 20 MiB; each backup downloads ≤ 1 MiB', async () => {
    const data = join(work.dir, 'data')
    mkdirSync(data, { recursive: true })
    const db = join(data, 'chat.db')
    createChatDb(db, 6000, 300) // ~2 MB, ~500 pages of 4 KiB
    const repo = await freshRepo(emulator)
    const ctx = repo.as('octocat')
    const full = `${repo.owner}/${repo.repo}`
    // bytes of every answer the backup receives: GitHub API bodies and LFS bodies
    let received = 0
    ctx.octokit.hook.after('request', (response) => {
      const body = response.data as unknown
      received += Buffer.byteLength(typeof body === 'string' ? body : JSON.stringify(body ?? ''))
    })
    const countingFetch: typeof fetch = async (url, init) => {
      const res = await fetch(url, init)
      received += (await res.clone().arrayBuffer()).byteLength
      return res
    }
    await backupDirectory(ctx, data, { fetch: countingFetch })
    const start = (await emulator.admin.lfsUsage(full)).stored_bytes
    const downloads: number[] = []
    const conn = new DatabaseSync(db)
    const update = conn.prepare('UPDATE messages SET body = ? WHERE id = ?')
    for (let round = 1; round <= 48; round++) {
      for (let k = 0; k < 10; k++)
        update.run(`round ${round} edit ${k}`, 1 + ((k * 599 + round * 7) % 6000))
      received = 0
      await backupDirectory(ctx, data, { fetch: countingFetch, capture: { maxPasses: 1 } })
      downloads.push(received)
    }
    conn.close()
    const usage = await emulator.admin.lfsUsage(full)
    expect(usage.stored_bytes - start).toBeLessThan(20 * MIB)
    expect(usage.downloaded_bytes).toBe(0) // a backup never downloads LFS objects
    expect(Math.max(...downloads)).toBeLessThanOrEqual(MIB)
    expect(Math.min(...downloads)).toBeGreaterThan(0)

    const target = join(work.dir, 'out')
    await restoreDirectory(ctx, target, { cacheDir: join(work.dir, 'cache') })
    expect(integrity(join(target, 'chat.db'))).toBe('ok')
    expect(dumpRows(join(target, 'chat.db'))).toEqual(dumpRows(db))
  })
})
