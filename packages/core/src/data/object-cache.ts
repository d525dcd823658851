/**
 * The local cache of LFS objects a restore downloaded (packs, and whole files of the `lfs-files`
 * layout), one file per oid: a cached object is used only when its size and SHA-256 match, and
 * is written beside its final name and renamed into place, so a crash never leaves a torn entry.
 */
import { createHash, randomBytes } from 'node:crypto'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { sha256File } from './slices.js'

/** The cached bytes of object `oid` when they have `size` bytes and that SHA-256, else `null`. */
export async function readCached(
  cacheDir: string,
  oid: string,
  size: number
): Promise<Buffer | null> {
  const cached = await readFile(join(cacheDir, oid)).catch(() => null)
  if (!cached || cached.length !== size) return null
  return createHash('sha256').update(cached).digest('hex') === oid ? cached : null
}

/**
 * The path of cached object `oid` when it has `size` bytes and that SHA-256 (hashed in 1 MiB
 * slices, so a 64 MiB pack is never held whole), else `null`.
 */
export async function cachedPath(
  cacheDir: string,
  oid: string,
  size: number
): Promise<string | null> {
  const path = join(cacheDir, oid)
  const found = await sha256File(path).catch(() => null)
  return found && found.size === size && found.sha256 === oid ? path : null
}

/** Stores verified bytes of object `oid` in the cache (temporary name, then rename); its path. */
export async function writeCached(
  cacheDir: string,
  oid: string,
  bytes: Uint8Array
): Promise<string> {
  await mkdir(cacheDir, { recursive: true })
  const tmp = join(cacheDir, `.${oid}.${randomBytes(4).toString('hex')}`)
  await writeFile(tmp, bytes)
  await rename(tmp, join(cacheDir, oid))
  return join(cacheDir, oid)
}
