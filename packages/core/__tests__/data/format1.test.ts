import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Emulator } from '@hubstore/emulator'
import { randomBytes } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import {
  backupDirectory,
  DataBranch,
  directoryStatus,
  inlineManifest,
  listBackups,
  NodeReader,
  pruneBackups,
  restoreDirectory
} from '@hubstore/core/data'
import { freshRepo, startWorld } from '../support/emulator.js'
import { createChatDb, digests, dumpRows, integrity, scratch } from './support.js'

let emulator: Emulator
const work = scratch('data-format1')
beforeAll(async () => {
  emulator = await startWorld()
})
afterAll(async () => {
  await emulator.close()
  work.cleanup()
})

const KIB = 1024
/** The files of `dir` but its databases, by digest (databases are compared by rows). */
const plainFiles = (dir: string) =>
  Object.fromEntries(Object.entries(digests(dir)).filter(([p]) => !p.startsWith('chat.db')))

describe('data: a data branch of format 1 (chunk lists inline in the manifest)', () => {
  it('restores; history and status read it; the next backup reuses its chunks, writes format 2 and restores; prune removes it', async () => {
    const data = join(work.dir, 'data')
    mkdirSync(join(data, 'seg'), { recursive: true })
    createChatDb(join(data, 'chat.db'), 3000, 200)
    writeFileSync(join(data, 'a.csv'), 'id,name\n1,one\n')
    writeFileSync(join(data, 'seg', 'b.bin'), randomBytes(200_000))
    const repo = await freshRepo(emulator)
    const ctx = repo.as('octocat')
    const full = `${repo.owner}/${repo.repo}`

    // a format-1 branch: the first backup's manifest rewritten with its chunk lists inline, as
    // hubstore wrote every chunked backup before format 2 (docs/persist-data.md §8.1)
    const first = await backupDirectory(ctx, data)
    const branch = new DataBranch(ctx)
    const head = (await branch.git.readHead()) as { commitSha: string }
    const v1 = await inlineManifest(new NodeReader(branch, head.commitSha), first.manifest)
    expect(v1.format).toBe('hubstore-data/1')
    expect(v1.packs.length).toBeGreaterThan(0)
    expect(v1.files.find((f) => f.path === 'chat.db')?.chunks.length).toBeGreaterThan(10)
    await emulator.admin.putFile(full, `backups/${first.backupId}.json`, JSON.stringify(v1), {
      branch: 'hubstore-data',
      message: 'format 1'
    })
    const rows1 = dumpRows(join(data, 'chat.db'))
    const files1 = plainFiles(data)

    const out1 = join(work.dir, 'out1')
    const r1 = await restoreDirectory(ctx, out1, { cacheDir: join(work.dir, 'cache') })
    expect(r1.backupId).toBe(first.backupId)
    expect(integrity(join(out1, 'chat.db'))).toBe('ok')
    expect(dumpRows(join(out1, 'chat.db'))).toEqual(rows1)
    expect(plainFiles(out1)).toEqual(files1)
    expect((await listBackups(ctx)).backups.map((b) => b.id)).toEqual([first.backupId])
    const status = await directoryStatus(ctx, data)
    expect(status.latest?.backupId).toBe(first.backupId)
    expect(status.entries.filter((e) => e.state !== 'unchanged')).toEqual([])

    // one page changed: the next backup dedupes against the format-1 chunk list
    const db = new DatabaseSync(join(data, 'chat.db'))
    db.prepare("UPDATE messages SET body = 'changed' WHERE id = 1500").run()
    db.close()
    const second = await backupDirectory(ctx, data)
    expect(second.manifest.format).toBe('hubstore-data/2')
    expect(second.uploadedBytes).toBeLessThanOrEqual(256 * KIB)
    expect(second.newBytes).toBeLessThanOrEqual(3 * 16 * KIB)
    const out2 = join(work.dir, 'out2')
    await restoreDirectory(ctx, out2, { cacheDir: join(work.dir, 'cache') })
    expect(integrity(join(out2, 'chat.db'))).toBe('ok')
    expect(dumpRows(join(out2, 'chat.db'))).toEqual(dumpRows(join(data, 'chat.db')))
    expect(plainFiles(out2)).toEqual(plainFiles(data))
    // the format-1 backup still restores by its id beside the format-2 one
    const again = join(work.dir, 'again')
    await restoreDirectory(ctx, again, { point: first.backupId, cacheDir: join(work.dir, 'c2') })
    expect(dumpRows(join(again, 'chat.db'))).toEqual(rows1)

    // prune keeps the format-2 backup: its nodes stay, it restores
    const pruned = await pruneBackups(ctx, { keepLast: 1 })
    expect(pruned.removed.map((b) => b.id)).toEqual([first.backupId])
    const out3 = join(work.dir, 'out3')
    await restoreDirectory(ctx, out3, { cacheDir: join(work.dir, 'c3') })
    expect(dumpRows(join(out3, 'chat.db'))).toEqual(dumpRows(join(data, 'chat.db')))
    expect(plainFiles(out3)).toEqual(plainFiles(data))
  })
})
