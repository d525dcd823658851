import { randomBytes } from 'node:crypto'
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
  writeFileSync
} from 'node:fs'
import { dirname, join } from 'node:path'
import { deflateSync, inflateSync } from 'node:zlib'
import { objectBytes, type GitObjectType } from './objects.js'

/**
 * Writes object `sha` into the bare repository `gitDir` as a loose object in git's own format
 * (the bytes `git hash-object -w` writes), through a temporary file and a rename; a no-op when
 * the file exists. Small synchronous writes: cheaper than a round trip through the thread pool.
 */
export function writeLooseObject(
  gitDir: string,
  sha: string,
  type: GitObjectType,
  data: Buffer
): void {
  const file = join(gitDir, 'objects', sha.slice(0, 2), sha.slice(2))
  if (existsSync(file)) return
  const dir = dirname(file)
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true })
  const tmp = join(gitDir, 'objects', `tmp_obj_${randomBytes(6).toString('hex')}`)
  writeFileSync(tmp, deflateSync(objectBytes(type, data), { level: 1 }), { mode: 0o444 })
  renameSync(tmp, file)
}

/**
 * Reads object `sha` of the bare repository `gitDir` when it is a loose object (the file
 * `objects/<2 hex>/<38 hex>`: zlib-deflated `<type> <size>\0<bytes>`,
 * https://git-scm.com/book/en/v2/Git-Internals-Git-Objects). `null` when there is no such file
 * or it does not parse (the caller then asks `git cat-file`, which also reads packs): objects
 * this emulator wrote, and small pushes git unpacked, need no `cat-file` process.
 */
export function readLooseObject(
  gitDir: string,
  sha: string
): { type: GitObjectType; data: Buffer } | null {
  let raw: Buffer
  try {
    raw = inflateSync(readFileSync(join(gitDir, 'objects', sha.slice(0, 2), sha.slice(2))))
  } catch {
    return null
  }
  const nul = raw.indexOf(0)
  const header = /^(blob|tree|commit|tag) (\d+)$/.exec(
    raw.subarray(0, Math.max(0, nul)).toString('latin1')
  )
  if (nul < 0 || !header || Number(header[2]) !== raw.length - nul - 1) return null
  return { type: header[1] as GitObjectType, data: raw.subarray(nul + 1) }
}

/**
 * Moves the existing loose ref `ref` (a full name, `refs/heads/main`) of the bare repository
 * `gitDir` from `expected` to `sha` the way git itself does: it creates `<ref>.lock` exclusively
 * (so a concurrent git process, such as a smart-HTTP `receive-pack`, and this write exclude each
 * other), checks under that lock that the loose file still holds `expected`, writes the new
 * target into the lock file and renames it over the ref
 * (https://git-scm.com/docs/api-lockfile). Returns `false`, having changed nothing, when the
 * ref is not a loose file, the lock is taken or the ref moved; the caller then goes through
 * `git update-ref`, which decides those cases as git does. Spares one `git` process per commit.
 */
export function moveLooseRef(gitDir: string, ref: string, expected: string, sha: string): boolean {
  const file = join(gitDir, ref)
  return writeRefUnderLock(file, sha, () => {
    try {
      return readFileSync(file, 'utf8').trim() === expected
    } catch {
      return expected === ''
    }
  })
}

/**
 * git's lock-file protocol for one loose ref file (https://git-scm.com/docs/api-lockfile):
 * `<file>.lock` created exclusively, `allowed()` checked under that lock, then `sha` written
 * into the lock file and the lock renamed over `file`. Returns `false`, having changed nothing,
 * when the lock is taken or `allowed()` says no; removes the lock on any error and rethrows it.
 */
function writeRefUnderLock(file: string, sha: string, allowed: () => boolean): boolean {
  const lock = `${file}.lock`
  let fd: number
  try {
    fd = openSync(lock, 'wx', 0o644)
  } catch {
    return false
  }
  try {
    if (!allowed()) {
      closeSync(fd)
      rmSync(lock, { force: true })
      return false
    }
    writeSync(fd, `${sha}\n`)
    closeSync(fd)
    renameSync(lock, file)
    return true
  } catch (error) {
    rmSync(lock, { force: true })
    throw error
  }
}

/**
 * A ref name every git accepts as is (check-ref-format, https://git-scm.com/docs/git-check-ref-format):
 * `refs/` then components of letters, digits, `-`, `_` and inner dots, none starting with `.` or
 * ending with `.lock`. Other names `createLooseRef` leaves to git.
 */
const PLAIN_REF = /^refs(\/[A-Za-z0-9_-][A-Za-z0-9_.-]*)+$/
export function plainRefName(ref: string): boolean {
  return (
    PLAIN_REF.test(ref) &&
    !ref.includes('..') &&
    !ref.split('/').some((part) => part.endsWith('.lock') || part.endsWith('.'))
  )
}

/**
 * Creates the ref `ref` (a full name) of the bare repository `gitDir` at `sha` the way git does
 * for a ref that must not exist yet: `<ref>.lock` created exclusively, then, under that lock,
 * no loose file or directory at `ref`, no packed ref equal to it or nested under or above it
 * (git's directory/file conflict), then the lock file renamed into place
 * (https://git-scm.com/docs/api-lockfile). Returns `false`, having changed nothing, for every
 * case it does not decide itself (an unusual name, a parent path that is a file, a ref that
 * exists, the lock taken); the caller then goes through `git update-ref`, which decides those
 * as git does. Spares one `git` process per branch or lease created.
 */
export function createLooseRef(gitDir: string, ref: string, sha: string): boolean {
  if (!plainRefName(ref)) return false
  const file = join(gitDir, ref)
  try {
    mkdirSync(dirname(file), { recursive: true })
  } catch {
    return false
  }
  return writeRefUnderLock(file, sha, () => !existsSync(file) && !packedConflict(gitDir, ref))
}

/** Whether `packed-refs` holds `ref`, a ref under `ref/` or one `ref` would sit under. */
function packedConflict(gitDir: string, ref: string): boolean {
  let packed: string
  try {
    packed = readFileSync(join(gitDir, 'packed-refs'), 'utf8')
  } catch {
    return false
  }
  for (const line of packed.split('\n')) {
    if (line === '' || line.startsWith('#') || line.startsWith('^')) continue
    const name = line.slice(line.indexOf(' ') + 1)
    if (name === ref || name.startsWith(`${ref}/`) || ref.startsWith(`${name}/`)) return true
  }
  return false
}
