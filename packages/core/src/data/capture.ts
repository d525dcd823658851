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
import { lstat, mkdtemp, open, readdir, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { backup, DatabaseSync } from 'node:sqlite'
import { promisify } from 'node:util'
import { DataCaptureError } from '../errors/data.js'
import { unsafePathReason } from '../github/path.js'
import { isSqliteHeader, sqlitePageSize } from './chunk.js'
import type { CaptureInfo } from './manifest.js'

const run = promisify(execFile)

/** Suffixes of SQLite's side files, never copied on their own (§1.3). */
export const SQLITE_SIDE_SUFFIXES = ['-wal', '-shm', '-journal'] as const

/** A command run with `execFile` (no shell): the program and its arguments. */
export type HookCommand = readonly [string, ...string[]]

/** How to capture a directory. */
export interface CaptureOptions {
  /**
   * Commands that quiesce the writers: `pre` runs before the capture, `post` after it (also
   * when it failed), in the directory, without a shell, and without the token variables
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
  /** SHA-256 of `data` */
  sha256: string
  /** the bytes backed up: the file's, or the SQLite copy's */
  data: Buffer
  /** SQLite only: bytes per page */
  pageSize?: number
  /** SQLite only: `ok` or the problems found */
  integrity?: string
}

/** A captured directory. */
export interface Capture {
  files: CapturedFile[]
  info: CaptureInfo
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

/** Reads a plain file, re-reading (up to 3 times) while its size or mtime moves under us. */
async function readStable(f: Listed): Promise<CapturedFile> {
  for (let attempt = 1; ; attempt++) {
    const before = await stat(f.abs)
    const data = await readFile(f.abs)
    const after = await stat(f.abs)
    if (
      before.size === after.size &&
      before.mtimeMs === after.mtimeMs &&
      data.length === after.size
    )
      return {
        path: f.path,
        kind: 'file',
        size: data.length,
        mode: after.mode & 0o7777,
        mtimeMs: after.mtimeMs,
        sha256: sha(data),
        data
      }
    if (attempt >= 3)
      throw new DataCaptureError(
        'unstable',
        f.path,
        'its size or mtime changed while it was read (3 times)'
      )
  }
}

/** Copies a database through the online backup API and checks the copy (§1.2, §1.4). */
async function copySqlite(f: Listed, tempDir: string): Promise<CapturedFile> {
  const target = join(tempDir, `${sha(Buffer.from(f.path))}.sqlite`)
  try {
    const live = await stat(f.abs)
    const source = new DatabaseSync(f.abs)
    try {
      await backup(source, target)
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
    const data = await readFile(target)
    const pageSize = sqlitePageSize(data)
    if (pageSize === null) throw new Error('the copy has no valid page size')
    return {
      path: f.path,
      kind: 'sqlite',
      size: data.length,
      mode: live.mode & 0o7777,
      mtimeMs: live.mtimeMs,
      sha256: sha(data),
      data,
      pageSize,
      integrity
    }
  } catch (error) {
    if (error instanceof DataCaptureError) throw error
    throw new DataCaptureError('sqlite-failed', f.path, (error as Error).message, { cause: error })
  } finally {
    await rm(target, { force: true })
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
 * Captures `dir`: its SQLite databases through the backup API, its other files read whole.
 * Without hooks the other files are read until two consecutive passes agree (path, size,
 * mtime, SHA-256), at most `maxPasses` times; SQLite databases are copied once, after the
 * first pass. Memory: the captured bytes of every file.
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
      if (hooks.pre) await runHook(hooks.pre, dir, timeout)
      try {
        const first = await pass()
        const files = [...first.files, ...(await sqliteCopies(first.sqlite))]
        return { files: sorted(files), info: { method: 'hooks', passes: 1, verified: true } }
      } finally {
        if (hooks.post) await runHook(hooks.post, dir, timeout)
      }
    }
    let previous = await pass()
    const dbs = await sqliteCopies(previous.sqlite)
    if (maxPasses <= 1)
      return {
        files: sorted([...previous.files, ...dbs]),
        info: { method: 'single', passes: 1, verified: true }
      }
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
    return { files: sorted(files), info: { method: 'two-pass', passes, verified } }
  } finally {
    await rm(temp, { recursive: true, force: true })
  }
}
