/** Data-module test helpers: a data directory like a chatbot's, and comparisons of the result. */
import { afterAll, beforeAll } from '@jest/globals'
import type { Emulator } from '@hubstore/emulator'
import { spawnSync } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { startWorld } from '../support/emulator.js'

/** A scratch directory per test file, removed by `cleanup()`. */
export function scratch(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `hubstore-${prefix}-`))
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}

/**
 * The emulator (`startWorld`) and a scratch directory of one data test file: the emulator is
 * started in the file's `beforeAll` and closed, and the directory removed, in its `afterAll`.
 * Read `emulator` inside tests (it throws before `beforeAll` ran).
 */
export function useDataWorld(prefix: string): {
  readonly emulator: Emulator
  readonly work: { dir: string; cleanup: () => void }
} {
  const work = scratch(prefix)
  let emulator: Emulator | undefined
  beforeAll(async () => {
    emulator = await startWorld()
  })
  afterAll(async () => {
    await emulator?.close()
    work.cleanup()
  })
  return {
    get emulator() {
      if (!emulator) throw new Error('useDataWorld: the emulator is read before beforeAll ran')
      return emulator
    },
    work
  }
}

/** A WAL-mode SQLite database `messages(id, body)` plus `meta(n)` holding the row count. */
export function createChatDb(
  path: string,
  rows: number,
  bodyBytes = 200,
  journalMode: 'WAL' | 'DELETE' = 'WAL'
): void {
  const db = new DatabaseSync(path)
  db.exec(`PRAGMA journal_mode = ${journalMode}`)
  db.exec('CREATE TABLE messages (id INTEGER PRIMARY KEY, body TEXT NOT NULL)')
  db.exec('CREATE TABLE meta (n INTEGER NOT NULL)')
  db.exec('BEGIN')
  const insert = db.prepare('INSERT INTO messages (id, body) VALUES (?, ?)')
  for (let i = 1; i <= rows; i++) insert.run(i, `message ${i} `.padEnd(bodyBytes, 'x'))
  db.prepare('INSERT INTO meta (n) VALUES (?)').run(rows)
  db.exec('COMMIT')
  db.close()
}

/** Every row of every table, in a stable order (what `.dump` would compare). */
export function dumpRows(path: string): Record<string, unknown[]> {
  const db = new DatabaseSync(path, { readOnly: true })
  try {
    const tables = db
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
      .all() as Array<{ name: string }>
    const out: Record<string, unknown[]> = {}
    for (const { name } of tables)
      out[name] = db
        .prepare(`SELECT * FROM "${name}" ORDER BY rowid`)
        .all()
        .map((r) => ({ ...r }))
    return out
  } finally {
    db.close()
  }
}

/** {@link dumpRows} as JSON, BLOBs as hex (JSON of a Uint8Array is an object per byte). */
function rowsJson(path: string): string {
  return JSON.stringify(dumpRows(path), (_key, value: unknown) =>
    value instanceof Uint8Array ? `X'${Buffer.from(value).toString('hex')}'` : value
  )
}

/**
 * SHA-256 of the rows' JSON: what a test compares many times over thousands of rows, where
 * Jest's deep equality over the rows themselves costs seconds.
 */
export function rowsDigest(path: string): string {
  return createHash('sha256').update(rowsJson(path)).digest('hex')
}

/**
 * The `.dump` of a database: the `sqlite3` command's when it is installed, else every row of
 * every table (`dumpRows`) as JSON, BLOBs as hex. A 32 MB database dumps to ~64 MB of text:
 * spawnSync's default 1 MiB `maxBuffer` would kill the command and silently take the fallback,
 * whose JSON of a Uint8Array is an object per byte (seconds per call), so the limit is raised.
 */
export function sqliteDump(path: string): string {
  const cli = spawnSync('sqlite3', ['-readonly', path, '.dump'], {
    encoding: 'utf8',
    maxBuffer: 2 ** 30
  })
  if (cli.status === 0) return cli.stdout
  return rowsJson(path)
}

/** `PRAGMA integrity_check` of a database file. */
export function integrity(path: string): string {
  const db = new DatabaseSync(path, { readOnly: true })
  try {
    return (db.prepare('PRAGMA integrity_check').all() as Array<Record<string, unknown>>)
      .map((r) => String(Object.values(r)[0]))
      .join('; ')
  } finally {
    db.close()
  }
}

/** A Chroma-like folder: `chroma.sqlite3` and one collection of binary HNSW-style segments. */
export function createChromaLike(dir: string): void {
  mkdirSync(join(dir, 'chroma_db', 'c0ffee'), { recursive: true })
  createChatDb(join(dir, 'chroma_db', 'chroma.sqlite3'), 300, 100)
  for (const [name, size] of [
    ['header.bin', 100],
    ['length.bin', 40_000],
    ['link_lists.bin', 150_000],
    ['data_level0.bin', 400_000]
  ] as const)
    writeFileSync(join(dir, 'chroma_db', 'c0ffee', name), randomBytes(size))
  writeFileSync(join(dir, 'chroma_db', 'c0ffee', 'index_metadata.pickle'), randomBytes(3000))
}

/** Every regular file under `dir`, relative POSIX path → bytes. */
export function filesOf(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>()
  for (const name of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const abs = join(dir, name)
    if (statSync(abs).isFile()) out.set(relative(dir, abs).split('\\').join('/'), readFileSync(abs))
  }
  return out
}

/**
 * Every regular file under `dir`, relative POSIX path → SHA-256 of its bytes (what a test
 * compares: Jest's deep equality over megabytes of Buffer is slow).
 */
export function digestsOf(dir: string): Map<string, string> {
  return new Map(
    [...filesOf(dir)].map(([p, b]) => [p, createHash('sha256').update(b).digest('hex')])
  )
}

/** {@link digestsOf} as a plain object sorted by path (what `toEqual` prints readably). */
export function digests(dir: string): Record<string, string> {
  return Object.fromEntries([...digestsOf(dir)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
}

/** Paths under `dir` whose bytes contain `needle` (UTF-8). */
export function filesContaining(dir: string, needle: string): string[] {
  return [...filesOf(dir)].filter(([, b]) => b.includes(Buffer.from(needle))).map(([p]) => p)
}

/**
 * A SQLite database `blobs(id, body)` of `rows` rows of `bodyBytes` random bytes each:
 * incompressible pages (with the default 4 KiB pages and 3000-byte bodies, one row a page).
 */
export function createBlobDb(path: string, rows: number, bodyBytes = 3000): void {
  const db = new DatabaseSync(path)
  db.exec('PRAGMA journal_mode = WAL')
  db.exec('CREATE TABLE blobs (id INTEGER PRIMARY KEY, body BLOB NOT NULL)')
  db.exec('BEGIN')
  const insert = db.prepare('INSERT INTO blobs (id, body) VALUES (?, ?)')
  for (let i = 1; i <= rows; i++) insert.run(i, randomBytes(bodyBytes))
  db.exec('COMMIT')
  db.close()
}

/** Rewrites 10 rows spread over `blobs` with new random bytes: ~10 changed pages, scattered. */
export function changeBlobs(path: string, rows: number, round: number, bodyBytes = 3000): void {
  const db = new DatabaseSync(path)
  try {
    const update = db.prepare('UPDATE blobs SET body = ? WHERE id = ?')
    db.exec('BEGIN')
    for (let k = 0; k < 10; k++)
      update.run(randomBytes(bodyBytes), 1 + ((k * Math.floor(rows / 10) + round * 7) % rows))
    db.exec('COMMIT')
  } finally {
    db.close()
  }
}

// One byte counter for the tests and the bench: test-support/received-bytes.ts.
export { receivedBytes } from '../../../../test-support/received-bytes.js'
