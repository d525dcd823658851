import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Emulator } from '@hubstore/emulator'
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { mkdirSync, writeFileSync } from 'node:fs'
import { cp } from 'node:fs/promises'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { DatabaseSync } from 'node:sqlite'
import { backupDirectory, listBackups, restoreDirectory } from '@hubstore/core/data'
import { freshRepo, startWorld } from '../support/emulator.js'
import {
  createChatDb,
  createChromaLike,
  digestsOf,
  dumpRows,
  filesOf,
  integrity,
  scratch,
  sqliteDump
} from './support.js'

let emulator: Emulator
const work = scratch('data-roundtrip')
const template = join(work.dir, 'template')
beforeAll(async () => {
  // built before the emulator starts: synchronous SQLite work would stall its sockets
  seedTemplate(template)
  emulator = await startWorld()
})
afterAll(async () => {
  await emulator.close()
  work.cleanup()
})

const KIB = 1024
let n = 0
function dirs() {
  const base = join(work.dir, `case-${++n}`)
  mkdirSync(base, { recursive: true })
  return {
    data: join(base, 'data'),
    target: join(base, 'restored', 'data'),
    target2: join(base, 'restored2', 'data'),
    cache: join(base, 'cache')
  }
}

/**
 * A directory like the chatbot's, ~20 MB: a WAL SQLite db, a ~12 MB SQLite archive (rollback
 * journal), a Chroma-like folder, CSV, parquet-like and pickle-like files.
 */
async function seedDataDir(data: string) {
  await cp(template, data, { recursive: true })
}

function seedTemplate(data: string) {
  mkdirSync(data, { recursive: true })
  createChatDb(join(data, 'chatbot.db'), 2000)
  createChromaLike(data)
  writeFileSync(
    join(data, 'notes.csv'),
    Array.from({ length: 500 }, (_, i) => `${i},note ${i},${i * 3}`).join('\n')
  )
  createChatDb(join(data, 'archive.db'), 12_000, 1000, 'DELETE')
  // parquet-like (magic, a random and a repetitive column chunk, magic) and pickle-like files
  const half = 2 * 1024 * 1024
  writeFileSync(
    join(data, 'embeddings.parquet'),
    Buffer.concat([
      Buffer.from('PAR1'),
      randomBytes(half),
      Buffer.alloc(half, 7),
      Buffer.from('PAR1')
    ])
  )
  writeFileSync(
    join(data, 'session.pkl'),
    Buffer.concat([Buffer.from([0x80, 0x04]), randomBytes(2 * 1024 * 1024), Buffer.from('.')])
  )
}

/**
 * A writer in another process: each transaction inserts one message and sets meta.n to the
 * row count. Prints `ready` after its first 20 commits, `stopped <n>` when told to stop.
 */
function startWriter(db: string) {
  const script = `
    const { DatabaseSync } = require('node:sqlite')
    const db = new DatabaseSync(process.argv[1])
    db.exec('PRAGMA busy_timeout = 5000')
    let stop = false
    process.stdin.on('data', () => { stop = true })
    let i = 0
    const step = () => {
      for (let k = 0; k < 5 && !stop; k++) {
        db.exec('BEGIN IMMEDIATE')
        db.prepare("INSERT INTO messages (body) VALUES ('live ' || ?)").run(String(i))
        db.exec('UPDATE meta SET n = (SELECT count(*) FROM messages)')
        db.exec('COMMIT')
        if (++i === 20) console.log('ready')
      }
      if (stop) { console.log('stopped ' + i); db.close(); process.exit(0) }
      setImmediate(step)
    }
    step()`
  const child = spawn(process.execPath, ['-e', script, db], { stdio: ['pipe', 'pipe', 'inherit'] })
  const lines = createInterface({ input: child.stdout })
  const next = () => once(lines, 'line').then(([l]) => String(l))
  return {
    ready: next(),
    stop: async () => {
      const stopped = next()
      child.stdin.write('x')
      const line = await stopped
      await once(child, 'exit').catch(() => undefined)
      return Number(line.split(' ')[1])
    }
  }
}

describe('data: backup and restore round trip (against the emulator over HTTP)', () => {
  it('a WAL SQLite db written by another process during capture, a Chroma-like folder and a CSV round-trip', async () => {
    const { data, target, target2, cache } = dirs()
    await seedDataDir(data)
    const repo = await freshRepo(emulator)
    const ctx = repo.as('octocat')
    const full = `${repo.owner}/${repo.repo}`

    const writer = startWriter(join(data, 'chatbot.db'))
    expect(await writer.ready).toBe('ready')
    const backup = await backupDirectory(ctx, data, { capture: { maxPasses: 2 } })
    const written = await writer.stop()
    expect(written).toBeGreaterThanOrEqual(20)

    // -wal / -shm are never copied on their own
    expect(backup.manifest.files.map((f) => f.path)).toEqual([
      'archive.db',
      'chatbot.db',
      'chroma_db/c0ffee/data_level0.bin',
      'chroma_db/c0ffee/header.bin',
      'chroma_db/c0ffee/index_metadata.pickle',
      'chroma_db/c0ffee/length.bin',
      'chroma_db/c0ffee/link_lists.bin',
      'chroma_db/chroma.sqlite3',
      'embeddings.parquet',
      'notes.csv',
      'session.pkl'
    ])
    const db = backup.manifest.files.find((f) => f.path === 'chatbot.db')
    expect(db).toMatchObject({ kind: 'sqlite', pageSize: 4096, integrity: 'ok' })
    expect(backup.verified).toBe(true)
    expect(backup.manifest.capture).toEqual({ method: 'two-pass', passes: 2, verified: true })
    const usage = await emulator.admin.lfsUsage(full)
    expect(usage.uploaded_bytes).toBe(backup.uploadedBytes)
    expect(usage.stored_bytes).toBe(backup.uploadedBytes)
    expect(usage.downloaded_bytes).toBe(0)

    const restored = await restoreDirectory(ctx, target, { cacheDir: cache })
    expect(restored).toMatchObject({ restored: true, backupId: backup.backupId, files: 11 })
    const before = filesOf(data)
    const after = filesOf(target)
    const restoredDigests = digestsOf(target) // before SQLite opens its databases
    for (const [path, bytes] of after)
      if (!path.endsWith('.db') && !path.endsWith('.sqlite3'))
        expect({ path, same: bytes.equals(before.get(path) as Buffer) }).toEqual({
          path,
          same: true
        })
    expect([...after.keys()].sort()).toEqual(backup.manifest.files.map((f) => f.path))
    // the restored database is one committed state of the writer's: n = row count, ok
    expect(integrity(join(target, 'chatbot.db'))).toBe('ok')
    const rows = dumpRows(join(target, 'chatbot.db'))
    const count = rows.messages.length
    expect(rows.meta).toEqual([{ n: count }])
    expect(count).toBeGreaterThanOrEqual(2020)
    expect(count).toBeLessThanOrEqual(2000 + written)
    // the databases nobody wrote: the same `.dump` (sqlite3's, when installed) and ok
    for (const db of ['chroma_db/chroma.sqlite3', 'archive.db']) {
      expect(integrity(join(target, db))).toBe('ok')
      expect(sqliteDump(join(target, db))).toEqual(sqliteDump(join(data, db)))
    }
    const downloaded = (await emulator.admin.lfsUsage(full)).downloaded_bytes
    expect(downloaded).toBe(restored.downloadedBytes)
    expect(downloaded).toBeGreaterThan(0)

    // a second restore of the same point, same pack cache: 0 LFS bytes downloaded
    const again = await restoreDirectory(ctx, target2, { cacheDir: cache })
    expect(again).toMatchObject({ restored: true, downloadedBytes: 0 })
    expect(again.packs.downloaded).toBe(0)
    expect((await emulator.admin.lfsUsage(full)).downloaded_bytes).toBe(downloaded)
    expect(digestsOf(target2)).toEqual(restoredDigests)
  })

  it('a quiescent SQLite db restores with the same rows; one changed page uploads ≤ 256 KiB and downloads nothing', async () => {
    const { data, target, cache } = dirs()
    await seedDataDir(data)
    const repo = await freshRepo(emulator)
    const ctx = repo.as('octocat')
    const full = `${repo.owner}/${repo.repo}`
    const first = await backupDirectory(ctx, data)
    expect(first.uploadedBytes).toBeGreaterThan(550 * KIB) // random segments do not compress
    const stored = (await emulator.admin.lfsUsage(full)).stored_bytes

    const db = new DatabaseSync(join(data, 'chatbot.db'))
    db.prepare("UPDATE messages SET body = 'changed' WHERE id = 1000").run()
    db.close()
    const second = await backupDirectory(ctx, data)
    const usage = await emulator.admin.lfsUsage(full)
    expect(second.uploadedBytes).toBeLessThanOrEqual(256 * KIB)
    expect(usage.stored_bytes - stored).toBeLessThanOrEqual(256 * KIB)
    expect(usage.stored_bytes - stored).toBe(second.uploadedBytes)
    expect(second.newBytes).toBeLessThanOrEqual(3 * 64 * KIB)
    // a backup reads the previous manifest, never the data
    expect(usage.downloaded_bytes).toBe(0)

    const restored = await restoreDirectory(ctx, target, { cacheDir: cache })
    expect(restored.backupId).toBe(second.backupId)
    expect(integrity(join(target, 'chatbot.db'))).toBe('ok')
    expect(dumpRows(join(target, 'chatbot.db'))).toEqual(dumpRows(join(data, 'chatbot.db')))
    expect(digestsOf(join(target, 'chroma_db', 'c0ffee'))).toEqual(
      digestsOf(join(data, 'chroma_db', 'c0ffee'))
    )

    const { backups } = await listBackups(ctx)
    expect(backups.map((b) => b.id)).toEqual([second.backupId, first.backupId])
    expect(backups[0]).toMatchObject({
      files: 11,
      bytes: second.bytes,
      newBytes: second.newBytes,
      uploadedBytes: second.uploadedBytes,
      verified: true,
      status: 'verified'
    })
  })

  it('an unchanged directory backs up with 0 bytes uploaded, and the token appears nowhere', async () => {
    const { data, target, cache } = dirs()
    await seedDataDir(data)
    const repo = await freshRepo(emulator)
    const token = `ghp_${randomBytes(18).toString('hex')}`
    await emulator.admin.createToken({ token, login: 'octocat', permission: 'admin' })
    const ctx = repo.as('octocat', { token })
    await backupDirectory(ctx, data)
    const same = await backupDirectory(ctx, data)
    expect(same.uploadedBytes).toBe(0)
    expect(same.newBytes).toBe(0)
    await restoreDirectory(ctx, target, { cacheDir: cache })
    const basic = Buffer.from(`x-access-token:${token}`).toString('base64')
    for (const needle of [token, basic]) {
      for (const dir of [work.dir]) expect(filesContainingAny(dir, needle)).toEqual([])
      expect(JSON.stringify(same)).not.toContain(needle)
    }
    // the data branch: manifests, index, pointers, .gitattributes
    const { data: tree } = await ctx.octokit.rest.git.getTree({
      owner: repo.owner,
      repo: repo.repo,
      tree_sha: 'hubstore-data',
      recursive: 'true'
    })
    for (const entry of tree.tree.filter((e) => e.type === 'blob')) {
      const { data: blob } = await ctx.octokit.rest.git.getBlob({
        owner: repo.owner,
        repo: repo.repo,
        file_sha: entry.sha as string
      })
      const text = Buffer.from(blob.content, 'base64').toString('utf8')
      expect({ path: entry.path, leaks: text.includes(token) || text.includes(basic) }).toEqual({
        path: entry.path,
        leaks: false
      })
    }
  })
})

function filesContainingAny(dir: string, needle: string): string[] {
  return [...filesOf(dir)].filter(([, b]) => b.includes(Buffer.from(needle))).map(([p]) => p)
}
