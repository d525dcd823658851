import { createGitHubClient } from '@hubstore/core'
import {
  backupDirectory,
  restoreDirectory,
  type BackupResult,
  type Manifest,
  type RestoreResult
} from '@hubstore/core/data'
import type { Emulator, LfsUsage } from '@hubstore/emulator'
import { createHash, randomBytes } from 'node:crypto'
import {
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeSync,
  closeSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { formatBytes as size } from '../progress.js'

/** The data demo's repository and token (the token exists only inside the emulator). */
export const DATA_DEMO = {
  repository: 'octocat/chatbot-data',
  token: 'demo-data-token',
  login: 'octocat'
} as const

/** What {@link runDataDemo} did, for printing and for tests. */
export interface DataDemoResult {
  first: BackupResult
  second: BackupResult
  /** bytes a whole-file copy (the seed's clone-copy-commit-push) uploads for the second backup */
  wholeFileUploadBytes: number
  /** bytes the seed's `git clone` (LFS smudge) downloads before it can commit the second backup */
  wholeFileCloneBytes: number
  /** the emulator's LFS accounting after each backup */
  lfs: { afterFirst: LfsUsage; afterSecond: LfsUsage }
  restore: RestoreResult
  /** every restored file has the bytes of the backup's copy (SHA-256 of its manifest) */
  identical: boolean
  /** non-SQLite files equal the originals byte for byte; SQLite databases hold the same rows */
  sameAsBefore: boolean
}

/** A WAL-mode chat database: `messages(id, role, body)`. */
function chatDb(path: string, rows: number): void {
  const db = new DatabaseSync(path)
  db.exec('PRAGMA journal_mode = WAL')
  db.exec('CREATE TABLE IF NOT EXISTS messages (id INTEGER PRIMARY KEY, role TEXT, body TEXT)')
  db.exec('BEGIN')
  const insert = db.prepare('INSERT INTO messages (role, body) VALUES (?, ?)')
  for (let i = 0; i < rows; i++)
    insert.run(i % 2 ? 'assistant' : 'user', `message ${i}: `.padEnd(240, 'lorem ipsum '))
  db.exec('COMMIT')
  db.close()
}

function rows(path: string): unknown[] {
  const db = new DatabaseSync(path, { readOnly: true })
  try {
    return db
      .prepare('SELECT * FROM messages ORDER BY id')
      .all()
      .map((r) => ({ ...r }))
  } finally {
    db.close()
  }
}

function filesOf(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>()
  for (const name of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const abs = join(dir, name)
    if (statSync(abs).isFile()) out.set(relative(dir, abs).split('\\').join('/'), readFileSync(abs))
  }
  return out
}

/** Bytes of the files of `next` that `previous` does not have with the same SHA-256. */
function changedBytes(previous: Manifest, next: Manifest): number {
  const had = new Map(previous.files.map((f) => [f.path, f.sha256]))
  return next.files.filter((f) => had.get(f.path) !== f.sha256).reduce((n, f) => n + f.size, 0)
}

/**
 * The demo's data step: a chatbot's data directory (a SQLite chat database in WAL mode and a
 * Chroma-like folder: `chroma.sqlite3` and binary HNSW-style segments) backed up with
 * `@hubstore/core/data`, changed (new messages, a segment rewritten in place), backed up
 * again — the bytes uploaded shown next to what a whole-file copy would move — wiped and
 * restored. Runs in-process (the persist-data action and `hubstore data` call the same core).
 */
export async function runDataDemo(
  emulator: Emulator,
  log: (line: string) => void = (l) => process.stdout.write(`${l}\n`)
): Promise<DataDemoResult> {
  const d = DATA_DEMO
  const [owner, repo] = d.repository.split('/') as [string, string]
  await emulator.admin.createRepo({ full_name: d.repository })
  await emulator.admin.createToken({ token: d.token, login: d.login, permission: 'admin' })
  const ctx = {
    octokit: createGitHubClient({
      token: d.token,
      baseUrl: emulator.url,
      throttle: { writeSpacingMs: 0 }
    }),
    owner,
    repo
  }
  const work = mkdtempSync(join(tmpdir(), 'hubstore-demo-data-'))
  try {
    const data = join(work, 'data')
    const segments = join(data, 'chroma_db', 'c0ffee')
    mkdirSync(segments, { recursive: true })
    chatDb(join(data, 'chatbot.db'), 2000)
    chatDb(join(data, 'chroma_db', 'chroma.sqlite3'), 300)
    for (const [name, bytes] of [
      ['header.bin', 100],
      ['length.bin', 40_000],
      ['link_lists.bin', 150_000],
      ['data_level0.bin', 400_000]
    ] as const)
      writeFileSync(join(segments, name), randomBytes(bytes))
    writeFileSync(join(segments, 'index_metadata.pickle'), randomBytes(3000))
    const start = filesOf(data)
    log(
      `▶ ${d.repository}, data branch hubstore-data; data/ holds ${start.size} files, ` +
        `${size([...start.values()].reduce((n, b) => n + b.length, 0))}: chatbot.db (SQLite, WAL), ` +
        'chroma_db/chroma.sqlite3 and 5 binary segment files'
    )

    const first = await backupDirectory(ctx, data)
    const afterFirst = await emulator.admin.lfsUsage(d.repository)
    log(
      `◀ backup 1 ${first.backupId}: ${first.files} files, ${size(first.bytes)}; uploaded ` +
        `${size(first.uploadedBytes)} in ${first.packs.uploaded} pack(s) (SQLite read through its backup API)`
    )

    chatDb(join(data, 'chatbot.db'), 20)
    const fd = openSync(join(segments, 'data_level0.bin'), 'r+')
    writeSync(fd, randomBytes(4096), 0, 4096, 123_456)
    closeSync(fd)
    log(
      '▶ Changed: 20 new messages in chatbot.db, 4 KiB of chroma_db/c0ffee/data_level0.bin rewritten in place'
    )

    const second = await backupDirectory(ctx, data)
    const afterSecond = await emulator.admin.lfsUsage(d.repository)
    const wholeFileUploadBytes = changedBytes(first.manifest, second.manifest)
    const wholeFileCloneBytes = first.bytes
    log(
      `◀ backup 2 ${second.backupId}: uploaded ${size(second.uploadedBytes)} ` +
        `(LFS storage +${size(afterSecond.stored_bytes - afterFirst.stored_bytes)}); a whole-file copy would ` +
        `upload ${size(wholeFileUploadBytes)} and its git clone download ${size(wholeFileCloneBytes)} first`
    )

    const before = filesOf(data)
    const beforeRows = rows(join(data, 'chatbot.db'))
    rmSync(data, { recursive: true, force: true })
    log('▶ Wiped data/ (a free host restarting)')
    const restore = await restoreDirectory(ctx, data, {
      ifMissing: true,
      cacheDir: join(work, 'packs')
    })
    const after = filesOf(data)
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex')
    const identical =
      after.size === second.manifest.files.length &&
      second.manifest.files.every((f) => {
        const b = after.get(f.path)
        return b !== undefined && sha(b) === f.sha256
      })
    const sqlite = new Set(
      second.manifest.files.filter((f) => f.kind === 'sqlite').map((f) => f.path)
    )
    const sameAsBefore =
      [...after.keys()].every(
        (p) => sqlite.has(p) || after.get(p)?.equals(before.get(p) as Buffer)
      ) && JSON.stringify(rows(join(data, 'chatbot.db'))) === JSON.stringify(beforeRows)
    log(
      `◀ restored ${restore.backupId}: ${restore.files} files, ${size(restore.bytes)} (${size(restore.downloadedBytes)} downloaded); ` +
        `byte-identical to the backup: ${identical ? 'yes' : 'NO'}; other files as before the wipe and chatbot.db the same ` +
        `${beforeRows.length} messages: ${sameAsBefore ? 'yes' : 'NO'}`
    )
    return {
      first,
      second,
      wholeFileUploadBytes,
      wholeFileCloneBytes,
      lfs: { afterFirst, afterSecond },
      restore,
      identical,
      sameAsBefore
    }
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}
