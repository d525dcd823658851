/**
 * Consistent capture of a data directory (docs/persist-data.md §1): SQLite databases,
 * recognised by their header whatever their name, are copied through SQLite's online backup API
 * into a temporary file and checked with `PRAGMA integrity_check`; their `-wal`, `-shm` and
 * `-journal` files are never copied; other files are read with their size and mtime re-checked
 * after reading. A directory written while it is captured is quiesced by user hooks, or read
 * until two passes agree (bounded; else `verified: false`).
 */
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { copyFile, lstat, mkdtemp, open, readdir, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { backup, DatabaseSync } from 'node:sqlite'
import { promisify } from 'node:util'
import { DataCaptureError } from '../errors/data.js'
import { unsafePathReason } from '../github/path.js'
import { chunkFile, isSqliteHeader, sqlitePageSize, type Chunk } from './chunk.js'
import type { CaptureInfo } from './manifest.js'

const run = promisify(execFile)

/** Pages per backup step: all of them (`rate` must be a positive 32-bit integer). */
const SQLITE_BACKUP_ONE_STEP_PAGES = 2 ** 31 - 1

/** Suffixes of SQLite's side files, never copied on their own (§1.3). */
export const SQLITE_SIDE_SUFFIXES = ['-wal', '-shm', '-journal'] as const

/** A command run with `execFile` (no shell): the program and its arguments. */
export type HookCommand = readonly [string, ...string[]]

/** How to capture a directory. */
export interface CaptureOptions {
  /**
   * Commands that quiesce the writers: `pre` runs before the capture, `post` once its bytes
   * are read (`Capture.dispose()`: a backup calls it after packing, before uploading) or when
   * the capture failed, in the directory, without a shell, and without the token variables
   * ({@link HOOK_HIDDEN_ENV}). With hooks the directory is read once and the capture is
   * `verified`.
   */
  hooks?: { pre?: HookCommand; post?: HookCommand }
  /** Passes over the non-SQLite files until two agree (default 3; 1 = a single pass). */
  maxPasses?: number
  /** Largest time a hook may run, ms (default 10 minutes). */
  hookTimeoutMs?: number
  /** Parent of the temporary directory for SQLite copies (default the OS's). */
  tempDir?: string
  /** Told after each pass over the non-SQLite files (1, 2, …), for progress (and tests). */
  onPass?: (pass: number) => void | Promise<void>
}

/** One file as captured. */
export interface CapturedFile {
  /** relative POSIX path */
  path: string
  kind: 'file' | 'sqlite'
  /** bytes */
  size: number
  /** permission bits */
  mode: number
  /** ms since the epoch, of the live file */
  mtimeMs: number
  /** SHA-256 of the bytes backed up */
  sha256: string
  /**
   * Where the bytes backed up are read from: the live file, or the SQLite copy (kept until
   * {@link Capture.dispose}). A live file is re-read for its new chunks, each checked against
   * its chunk id.
   */
  source: string
  /** the bytes cut into chunks (pages for SQLite, FastCDC otherwise), read in slices */
  chunks: Chunk[]
  /** SQLite only: bytes per page */
  pageSize?: number
  /** SQLite only: `ok` or the problems found */
  integrity?: string
}

/** A captured directory. */
export interface Capture {
  files: CapturedFile[]
  info: CaptureInfo
  /**
   * Captures a plain file of `files` again, after it changed since its pass (a chunk no longer
   * has its bytes): as a copy in the capture's temporary directory, read until its size and
   * mtime hold. Replaces the entry in `files`; the capture is then `verified: false`.
   */
  recapture(file: CapturedFile): Promise<CapturedFile>
  /**
   * Runs the post hook (once) and removes the copies: call once the files' bytes are read.
   *
   * @throws DataCaptureError (`hook-failed`) when the post hook fails.
   */
  dispose(): Promise<void>
}

interface Listed {
  path: string
  abs: string
}

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex')

/**
 * Every regular file under `dir` as a relative POSIX path, sorted.
 *
 * @throws DataCaptureError for a symlink, a device, socket or FIFO, or an unsafe name.
 */
export async function listFiles(dir: string): Promise<Listed[]> {
  const root = await stat(dir).catch(() => null)
  if (!root?.isDirectory())
    throw new DataCaptureError('not-a-directory', dir, 'it is not a directory')
  const out: Listed[] = []
  const walk = async (abs: string, rel: string) => {
    const entries = await readdir(abs, { withFileTypes: true })
    for (const e of entries) {
      const childRel = rel ? `${rel}/${e.name}` : e.name
      const childAbs = join(abs, e.name)
      const s = await lstat(childAbs)
      const reason = unsafePathReason(childRel)
      if (reason !== undefined)
        throw new DataCaptureError('unsafe-name', childRel, `the path ${reason}`)
      if (s.isSymbolicLink())
        throw new DataCaptureError('symlink', childRel, 'it is a symbolic link')
      if (s.isDirectory()) await walk(childAbs, childRel)
      else if (s.isFile()) out.push({ path: childRel, abs: childAbs })
      else throw new DataCaptureError('special-file', childRel, 'it is not a regular file')
    }
  }
  await walk(dir, '')
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
}

async function head(abs: string): Promise<Buffer> {
  const handle = await open(abs, 'r')
  try {
    const buf = Buffer.alloc(100)
    const { bytesRead } = await handle.read(buf, 0, 100, 0)
    return buf.subarray(0, bytesRead)
  } finally {
    await handle.close()
  }
}

/** Splits the listing into SQLite databases, their side files (dropped) and other files. */
async function classify(files: Listed[]): Promise<{ sqlite: Listed[]; plain: Listed[] }> {
  const sqlite: Listed[] = []
  for (const f of files) if (isSqliteHeader(await head(f.abs))) sqlite.push(f)
  const dbs = new Set(sqlite.map((f) => f.path))
  const side = (p: string) =>
    SQLITE_SIDE_SUFFIXES.some((s) => p.endsWith(s) && dbs.has(p.slice(0, -s.length)))
  const plain = files.filter((f) => !dbs.has(f.path) && !side(f.path))
  return { sqlite, plain }
}

/**
 * Reads a plain file in slices (or, with `copyTo`, copies it there and reads the copy),
 * re-reading (up to 3 times) while its size or mtime moves under us.
 */
async function readStable(f: Listed, copyTo?: string): Promise<CapturedFile> {
  for (let attempt = 1; ; attempt++) {
    const before = await stat(f.abs)
    if (copyTo) await copyFile(f.abs, copyTo)
    const read = await chunkFile(copyTo ?? f.abs, null)
    const after = await stat(f.abs)
    if (before.size === after.size && before.mtimeMs === after.mtimeMs && read.size === after.size)
      return {
        path: f.path,
        kind: 'file',
        size: read.size,
        mode: after.mode & 0o7777,
        mtimeMs: after.mtimeMs,
        sha256: read.sha256,
        source: copyTo ?? f.abs,
        chunks: read.chunks
      }
    if (attempt >= 3)
      throw new DataCaptureError(
        'unstable',
        f.path,
        'its size or mtime changed while it was read (3 times)'
      )
  }
}

/**
 * Copies a database through the online backup API and checks the copy (§1.2, §1.4); the copy
 * stays in `tempDir` (the capture's) as the file's source.
 */
async function copySqlite(f: Listed, tempDir: string): Promise<CapturedFile> {
  const target = join(tempDir, `${sha(Buffer.from(f.path))}.sqlite`)
  let kept = false
  try {
    const live = await stat(f.abs)
    const source = new DatabaseSync(f.abs)
    try {
      // one step (every page) under one read transaction: a writer in between steps would
      // restart the copy, and a busy writer could restart it forever (§1.2); in WAL mode the
      // read does not block writers
      await backup(source, target, { rate: SQLITE_BACKUP_ONE_STEP_PAGES })
    } finally {
      source.close()
    }
    const copy = new DatabaseSync(target)
    let integrity: string
    try {
      const rows = copy.prepare('PRAGMA integrity_check').all() as Array<Record<string, unknown>>
      integrity = rows.map((r) => String(Object.values(r)[0])).join('; ')
    } finally {
      copy.close()
    }
    const pageSize = sqlitePageSize(await head(target))
    if (pageSize === null) throw new Error('the copy has no valid page size')
    const read = await chunkFile(target, pageSize)
    kept = true
    return {
      path: f.path,
      kind: 'sqlite',
      size: read.size,
      mode: live.mode & 0o7777,
      mtimeMs: live.mtimeMs,
      sha256: read.sha256,
      source: target,
      chunks: read.chunks,
      pageSize,
      integrity
    }
  } catch (error) {
    if (error instanceof DataCaptureError) throw error
    throw new DataCaptureError('sqlite-failed', f.path, (error as Error).message, { cause: error })
  } finally {
    if (!kept) await rm(target, { force: true })
    for (const s of SQLITE_SIDE_SUFFIXES) await rm(`${target}${s}`, { force: true })
  }
}

/** Variables a hook never inherits: the tokens the CLI and the actions read (INPUT_TOKEN). */
export const HOOK_HIDDEN_ENV = ['GITHUB_TOKEN', 'GH_TOKEN', 'INPUT_TOKEN'] as const

async function runHook(command: HookCommand, dir: string, timeoutMs: number): Promise<void> {
  const [program, ...args] = command
  const env = { ...process.env }
  for (const name of HOOK_HIDDEN_ENV) delete env[name]
  try {
    await run(program, args, { cwd: dir, env, timeout: timeoutMs, windowsHide: true })
  } catch (error) {
    const e = error as { code?: unknown; signal?: unknown }
    throw new DataCaptureError(
      'hook-failed',
      program,
      `the hook ended with ${e.signal ? `signal ${String(e.signal)}` : `exit code ${String(e.code)}`}`,
      { cause: error }
    )
  }
}

const fingerprint = (files: CapturedFile[]) =>
  files.map((f) => `${f.path}\0${f.size}\0${f.mtimeMs}\0${f.sha256}`).join('\n')

/**
 * Captures `dir`: its SQLite databases through the backup API (copies in a temporary
 * directory, removed by `dispose()`), its other files read in slices and cut into chunks.
 * Without hooks the other files are read until two consecutive passes agree (path, size,
 * mtime, SHA-256), at most `maxPasses` times; SQLite databases are copied once, after the
 * first pass. Memory: one slice (1 MiB) and the chunk lists, whatever the files' sizes; disk:
 * one copy of each SQLite database.
 *
 * @throws DataCaptureError (`not-a-directory`, `symlink`, `special-file`, `unsafe-name`,
 *   `hook-failed`, `sqlite-failed`, `unstable`).
 */
export async function captureDirectory(
  dir: string,
  options: CaptureOptions = {}
): Promise<Capture> {
  const maxPasses = options.maxPasses ?? 3
  const hooks = options.hooks
  const temp = await mkdtemp(join(options.tempDir ?? tmpdir(), 'hubstore-capture-'))
  const timeout = options.hookTimeoutMs ?? 600_000
  // the post hook runs when the capture is disposed (its bytes read), or at once on failure
  let post = hooks?.post
  let disposed = false
  const dispose = async () => {
    if (disposed) return
    disposed = true
    try {
      const hook = post
      post = undefined
      if (hook) await runHook(hook, dir, timeout)
    } finally {
      await rm(temp, { recursive: true, force: true })
    }
  }
  let copies = 0
  const result = (files: CapturedFile[], info: CaptureInfo): Capture => {
    const capture: Capture = {
      files,
      info,
      dispose,
      recapture: async (file) => {
        const live: Listed = { path: file.path, abs: join(dir, ...file.path.split('/')) }
        const again = await readStable(live, join(temp, `file-${++copies}`))
        capture.files = capture.files.map((f) => (f === file ? again : f))
        capture.info = { ...capture.info, verified: false }
        return again
      }
    }
    return capture
  }
  try {
    let passNumber = 0
    const pass = async () => {
      const { sqlite, plain } = await classify(await listFiles(dir))
      const files: CapturedFile[] = []
      for (const f of plain) files.push(await readStable(f))
      await options.onPass?.(++passNumber)
      return { sqlite, files }
    }
    const sqliteCopies = async (list: Listed[]) => {
      const out: CapturedFile[] = []
      for (const f of list) out.push(await copySqlite(f, temp))
      return out
    }
    const sorted = (files: CapturedFile[]) =>
      files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    if (hooks?.pre || hooks?.post) {
      if (hooks.pre) {
        post = undefined // a failed pre hook is not followed by the post hook
        await runHook(hooks.pre, dir, timeout)
        post = hooks.post
      }
      const first = await pass()
      const files = [...first.files, ...(await sqliteCopies(first.sqlite))]
      return result(sorted(files), { method: 'hooks', passes: 1, verified: true })
    }
    let previous = await pass()
    const dbs = await sqliteCopies(previous.sqlite)
    if (maxPasses <= 1)
      return result(sorted([...previous.files, ...dbs]), {
        method: 'single',
        passes: 1,
        verified: true
      })
    let passes = 1
    let verified = false
    while (passes < maxPasses) {
      const current = await pass()
      passes++
      const agree = fingerprint(current.files) === fingerprint(previous.files)
      previous = current
      if (agree) {
        verified = true
        break
      }
    }
    const wanted = new Set(previous.sqlite.map((f) => f.path))
    const files = [...previous.files, ...dbs.filter((d) => wanted.has(d.path))]
    return result(sorted(files), { method: 'two-pass', passes, verified })
  } catch (error) {
    await dispose()
    throw error
  }
}
