// Storage growth and download per backup, compressible chat text (and many small files). The
// incompressible 48-backup case is growth-blobs.test.ts, the size independence of a backup's
// download growth-size.test.ts: one file each, so no file runs much past 10 s.
import { describe, expect, it } from '@jest/globals'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { backupDirectory, restoreDirectory } from '@hubstore/core/data'
import { freshRepo } from '../support/emulator.js'
import { createChatDb, dumpRows, integrity, receivedBytes, useDataWorld } from './support.js'

const world = useDataWorld('data-growth')
const { work } = world

const MIB = 1024 * 1024

describe('data: storage growth and download per backup', () => {
  it('48 backups with ~10 changed pages each grow LFS storage < 20 MiB; each backup downloads ≤ 1 MiB', async () => {
    const data = join(work.dir, 'data')
    mkdirSync(data, { recursive: true })
    const db = join(data, 'chat.db')
    createChatDb(db, 6000, 300) // ~2 MB, ~500 pages of 4 KiB
    const repo = await freshRepo(world.emulator)
    const ctx = repo.as('octocat')
    const full = `${repo.owner}/${repo.repo}`
    // bytes of every answer the backup receives: GitHub API bodies and LFS bodies
    const counter = receivedBytes(ctx.octokit)
    const countingFetch = counter.fetch
    await backupDirectory(ctx, data, { fetch: countingFetch })
    const start = (await world.emulator.admin.lfsUsage(full)).stored_bytes
    const downloads: number[] = []
    const conn = new DatabaseSync(db)
    const update = conn.prepare('UPDATE messages SET body = ? WHERE id = ?')
    for (let round = 1; round <= 48; round++) {
      for (let k = 0; k < 10; k++)
        update.run(`round ${round} edit ${k}`, 1 + ((k * 599 + round * 7) % 6000))
      counter.bytes = 0
      await backupDirectory(ctx, data, { fetch: countingFetch, capture: { maxPasses: 1 } })
      downloads.push(counter.bytes)
    }
    conn.close()
    const usage = await world.emulator.admin.lfsUsage(full)
    expect(usage.stored_bytes - start).toBeLessThan(20 * MIB)
    expect(usage.downloaded_bytes).toBe(0) // a backup never downloads LFS objects
    if (process.env.HUBSTORE_TEST_FIGURES)
      console.log({ text: usage.stored_bytes - start, maxDownload: Math.max(...downloads) })
    expect(Math.max(...downloads)).toBeLessThanOrEqual(MIB)
    expect(Math.min(...downloads)).toBeGreaterThan(0)

    const target = join(work.dir, 'out')
    await restoreDirectory(ctx, target, { cacheDir: join(work.dir, 'cache') })
    expect(integrity(join(target, 'chat.db'))).toBe('ok')
    expect(dumpRows(join(target, 'chat.db'))).toEqual(dumpRows(db))
  })

  it('many files: their trees are read together, one GraphQL query a level for the backup and the restore', async () => {
    const data = join(work.dir, 'many')
    mkdirSync(data, { recursive: true })
    for (let i = 0; i < 60; i++) writeFileSync(join(data, `f${i}.csv`), `id,v\n${i},first\n`)
    const repo = await freshRepo(world.emulator)
    const ctx = repo.as('octocat')
    await backupDirectory(ctx, data)
    for (let i = 0; i < 60; i++) writeFileSync(join(data, `f${i}.csv`), `id,v\n${i},second\n`)
    const graphql = async () =>
      (await world.emulator.admin.ledger()).filter((e) => e.route === '/graphql').length
    await world.emulator.admin.clearLedger()
    await backupDirectory(ctx, data) // 60 changed one-leaf trees: their 60 old roots at once
    expect(await graphql()).toBe(1)
    await world.emulator.admin.clearLedger()
    const out = join(work.dir, 'many-out')
    await restoreDirectory(ctx, out, { cacheDir: join(work.dir, 'many-cache') })
    expect(await graphql()).toBe(1)
    expect(readFileSync(join(out, 'f59.csv'), 'utf8')).toBe('id,v\n59,second\n')
  })
})
