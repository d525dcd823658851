// 48 backups of 10 changed incompressible pages each: the storage bound holds with 16 KiB SQLite
// chunks and would not with 64 KiB ones (growth.test.ts has the compressible case).
import { describe, expect, it } from '@jest/globals'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { backupDirectory, restoreDirectory } from '@hubstore/core/data'
import { freshRepo } from '../support/emulator.js'
import {
  changeBlobs,
  createBlobDb,
  integrity,
  receivedBytes,
  useDataWorld,
  sqliteDump
} from './support.js'

const world = useDataWorld('data-growth-blobs')
const { work } = world

const MIB = 1024 * 1024

describe('data: storage growth of incompressible pages', () => {
  it('48 backups × 10 changed INCOMPRESSIBLE pages grow LFS storage < 20 MiB (16 KiB SQLite chunks); restore equal', async () => {
    const data = join(work.dir, 'blobs')
    mkdirSync(data, { recursive: true })
    const db = join(data, 'blobs.db')
    const rows = 2000 // ~8 MB of random pages
    createBlobDb(db, rows)
    const repo = await freshRepo(world.emulator)
    const ctx = repo.as('octocat')
    const full = `${repo.owner}/${repo.repo}`
    const counter = receivedBytes(ctx.octokit)
    await backupDirectory(ctx, data, { fetch: counter.fetch })
    const start = await world.emulator.admin.lfsUsage(full)
    const downloads: number[] = []
    for (let round = 1; round <= 48; round++) {
      changeBlobs(db, rows, round)
      counter.bytes = 0
      await backupDirectory(ctx, data, { fetch: counter.fetch, capture: { maxPasses: 1 } })
      downloads.push(counter.bytes)
    }
    const usage = await world.emulator.admin.lfsUsage(full)
    if (process.env.HUBSTORE_TEST_FIGURES)
      console.log({
        growth: usage.stored_bytes - start.stored_bytes,
        maxDownload: Math.max(...downloads)
      })
    // 64 KiB chunks would store ~11 × 64 KiB a backup here: ~33 MiB
    expect(usage.stored_bytes - start.stored_bytes).toBeLessThan(20 * MIB)
    expect(usage.downloaded_bytes).toBe(0)
    expect(Math.max(...downloads)).toBeLessThanOrEqual(MIB)

    const target = join(work.dir, 'blobs-out')
    await restoreDirectory(ctx, target, { cacheDir: join(work.dir, 'blobs-cache') })
    expect(integrity(join(target, 'blobs.db'))).toBe('ok')
    expect(sqliteDump(join(target, 'blobs.db'))).toBe(sqliteDump(db))
  })
})
