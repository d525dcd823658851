/**
 * The data directory `bench/persist-data.ts` backs up: a chatbot's `data/` at a chosen size —
 * `chatbot.db` (SQLite, WAL mode, ~75 % of the bytes), `chroma_db/` (`chroma.sqlite3` and one
 * collection of binary HNSW-style segments), and CSV, parquet-like and pickle-like files.
 * Deterministic for a given size (a seeded generator), so two runs measure the same bytes.
 */
import { createHash, randomBytes } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'

const MB = 1_000_000

/** `n` pseudo-random bytes from SHA-256 in counter mode over `seed` (incompressible). */
export function seededBytes(seed: string, n: number): Buffer {
  const out = Buffer.alloc(n)
  let block = 0
  for (let at = 0; at < n; at += 32)
    createHash('sha256').update(`${seed}:${block++}`).digest().copy(out, at)
  return out
}

const WORDS = (
  'the a to of and in is it you that for on was with as have be at not this but by from they ' +
  'we say her she or an will my one all would there their what so up out if about who get ' +
  'which go me when make can like time no just him know take people into year your good some ' +
  'could them see other than then now look only come its over think also back after use two ' +
  'how our work first well way even new want because any these give day most us vector ' +
  'embedding query answer context model chat retrieval document chunk prompt token score'
).split(' ')

/**
 * A chat message of ~600 bytes: words chosen by SHA-256 of (seed, row), so every row differs
 * and the text compresses about as natural language does (2–3× with zstd).
 */
function message(seed: string, row: number): string {
  const words: string[] = []
  for (let block = 0; words.join(' ').length < 600; block++) {
    const digest = createHash('sha256').update(`${seed}:${row}:${block}`).digest()
    for (const byte of digest) words.push(WORDS[byte % WORDS.length] as string)
  }
  return `message ${row}: ${words.join(' ').slice(0, 600)}`
}

/** A WAL-mode database `messages(id, body)` + `meta(n)` of about `bytes` bytes. */
export function writeChatDb(path: string, bytes: number, seed = 'chat'): void {
  const db = new DatabaseSync(path)
  db.exec('PRAGMA journal_mode = WAL')
  db.exec('CREATE TABLE messages (id INTEGER PRIMARY KEY, body TEXT NOT NULL)')
  db.exec('CREATE TABLE meta (n INTEGER NOT NULL)')
  const rows = Math.max(1, Math.floor(bytes / 640))
  db.exec('BEGIN')
  const insert = db.prepare('INSERT INTO messages (id, body) VALUES (?, ?)')
  for (let i = 1; i <= rows; i++) insert.run(i, message(seed, i))
  db.prepare('INSERT INTO meta (n) VALUES (?)').run(rows)
  db.exec('COMMIT')
  db.exec('PRAGMA wal_checkpoint(TRUNCATE)')
  db.close()
}

/** Writes a chatbot-like data directory of about `bytes` bytes into `dir` (created). */
export function writeDataDir(dir: string, bytes: number): void {
  const col = join(dir, 'chroma_db', '6f1c0ffee')
  mkdirSync(col, { recursive: true })
  writeChatDb(join(dir, 'chatbot.db'), bytes * 0.75)
  writeChatDb(join(dir, 'chroma_db', 'chroma.sqlite3'), bytes * 0.05, 'chroma')
  const segments = bytes * 0.12
  writeFileSync(join(col, 'header.bin'), seededBytes('header', 100))
  writeFileSync(join(col, 'length.bin'), seededBytes('length', Math.floor(segments * 0.05)))
  writeFileSync(join(col, 'link_lists.bin'), seededBytes('links', Math.floor(segments * 0.25)))
  writeFileSync(join(col, 'data_level0.bin'), seededBytes('level0', Math.floor(segments * 0.7)))
  writeFileSync(join(col, 'index_metadata.pickle'), seededBytes('meta', 4000))
  const lines: string[] = ['id,user,score,text']
  for (let i = 0; lines.length * 40 < bytes * 0.05; i++)
    lines.push(`${i},user${i % 311},${(i * 7919) % 1000},note number ${i}`)
  writeFileSync(join(dir, 'notes.csv'), lines.join('\n'))
  // parquet-like: magic, column chunks (half random, half repetitive), footer, magic
  const half = Math.floor(bytes * 0.015)
  writeFileSync(
    join(dir, 'embeddings.parquet'),
    Buffer.concat([
      Buffer.from('PAR1'),
      seededBytes('parquet', half),
      Buffer.alloc(half, 7),
      Buffer.from('PAR1')
    ])
  )
  // pickle-like: protocol 4 header, a random body, STOP
  writeFileSync(
    join(dir, 'session.pkl'),
    Buffer.concat([
      Buffer.from([0x80, 0x04]),
      seededBytes('pickle', bytes * 0.01),
      Buffer.from('.')
    ])
  )
}

/** Changes about `pages` pages of `chatbot.db` in one transaction (rows spread over the file). */
export function touchPages(db: string, pages: number, round: number): void {
  const conn = new DatabaseSync(db)
  try {
    const n = (conn.prepare('SELECT n FROM meta').get() as { n: number }).n
    conn.exec('BEGIN')
    const update = conn.prepare('UPDATE messages SET body = ? WHERE id = ?')
    for (let k = 0; k < pages; k++)
      update.run(`edited ${round}.${k}`, 1 + ((round * 7919 + k * Math.floor(n / pages)) % n))
    conn.exec('COMMIT')
  } finally {
    conn.close()
  }
}

/**
 * A SQLite database of incompressible pages: `blobs(id, body)`, rows of 3000 random bytes (one
 * row per 4 KiB page), about `bytes` in all. Returns the row count.
 */
export function writeBlobDb(path: string, bytes: number): number {
  const rows = Math.max(10, Math.floor(bytes / 4096))
  const db = new DatabaseSync(path)
  try {
    db.exec('PRAGMA journal_mode = WAL')
    db.exec('CREATE TABLE blobs (id INTEGER PRIMARY KEY, body BLOB NOT NULL)')
    db.exec('BEGIN')
    const insert = db.prepare('INSERT INTO blobs (id, body) VALUES (?, ?)')
    for (let i = 1; i <= rows; i++) insert.run(i, randomBytes(3000))
    db.exec('COMMIT')
  } finally {
    db.close()
  }
  return rows
}

/** Rewrites `pages` rows spread over the blob database with new random bytes. */
export function touchBlobs(db: string, rows: number, pages: number, round: number): void {
  const conn = new DatabaseSync(db)
  try {
    conn.exec('BEGIN')
    const update = conn.prepare('UPDATE blobs SET body = ? WHERE id = ?')
    for (let k = 0; k < pages; k++)
      update.run(randomBytes(3000), 1 + ((round * 7919 + k * Math.floor(rows / pages)) % rows))
    conn.exec('COMMIT')
  } finally {
    conn.close()
  }
}

export { MB }
