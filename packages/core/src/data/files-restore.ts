/**
 * What a restore writes from a files layout (docs/persist-data.md §9): an `lfs-files` backup of
 * ours (its manifest names each file's blob or LFS object) or a data repository of the seed's
 * script (no manifest: the files under `data/`, LFS pointers where the root `.gitattributes`
 * says so). LFS objects come from the local cache or one batch download; every file is
 * checked (LFS objects by size and SHA-256, blobs by their git SHA, manifest files by their
 * SHA-256) before the restore writes anything. Hostile trees are refused: unsafe paths,
 * symbolic links, submodules, pointers whose size lies.
 */
import { DataIntegrityError, InvalidDataManifestError } from '../errors/data.js'
import type { RepoContext } from '../github/context.js'
import { unsafePathReason } from '../github/path.js'
import {
  FILES_ROOT,
  gitBlobSha,
  LFS_OBJECT_MAX_BYTES,
  parseLfsPointer,
  POINTER_MAX_BYTES,
  readBlobBytes,
  readTreeEntries,
  type TreeEntry
} from './files-tree.js'
import { isLfsPath, parseLfsRules } from './gitattributes.js'
import { lfsClientFor, type LfsObject } from './lfs.js'
import type { ManifestV1 } from './manifest.js'
import { readCached, writeCached } from './object-cache.js'
import type { DataProgressListener } from './progress.js'

/** One file a restore writes: its place, metadata and verified bytes. */
export interface StagedFile {
  /** relative POSIX path inside the target */
  path: string
  /** permission bits */
  mode: number
  /** ms since the epoch; `null` keeps the time of writing */
  mtimeMs: number | null
  /** bytes */
  size: number
  /** SHA-256 the bytes must have; `null` when already checked another way (git SHA) */
  sha256: string | null
  /** the file's bytes, in pieces (a chunk, or the whole file), read as they are written */
  body: () => AsyncIterable<Uint8Array>
}

/** The files to write and what fetching them cost. */
export interface StagedFiles {
  files: StagedFile[]
  /** LFS bytes downloaded */
  downloadedBytes: number
  /** LFS objects needed, downloaded, found in the cache */
  objects: { needed: number; downloaded: number; cached: number }
  /** releases what reading the bodies holds open (pack files), once every file is written */
  close?: () => Promise<void>
  /**
   * Resolves when downloads still under way while the files are written have ended (rejects
   * with the first failure); absent when everything was fetched before
   */
  settled?: Promise<void>
}

interface Remote {
  serverUrl?: string
  fetch?: typeof fetch
  onProgress?: DataProgressListener
}

/** A file of the tree before its bytes are read: a blob, or an LFS object behind a pointer. */
type Source = { path: string; mode: number; size: number } & (
  { blob: string; bytes?: Buffer } | { object: LfsObject }
)

/** LFS objects from the cache, the rest in one batch download (then cached). */
async function fetchObjects(
  ctx: RepoContext,
  wanted: Map<string, { size: number; path: string }>,
  cacheDir: string,
  options: Remote
): Promise<{ bodies: Map<string, Buffer>; downloadedBytes: number; cached: number }> {
  const bodies = new Map<string, Buffer>()
  const missing: LfsObject[] = []
  for (const [oid, w] of wanted) {
    const cached = await readCached(cacheDir, oid, w.size)
    if (cached) bodies.set(oid, cached)
    else missing.push({ oid, size: w.size })
  }
  const cached = bodies.size
  if (missing.length === 0) return { bodies, downloadedBytes: 0, cached }
  const lfs = await lfsClientFor(ctx, options)
  const total = missing.reduce((n, o) => n + o.size, 0)
  let got = 0
  await lfs.download(missing, async (oid, bytes) => {
    const w = wanted.get(oid)
    if (!w) throw new DataIntegrityError('file', oid, 'is an LFS object that was not asked for')
    // the client checked the SHA-256; a pointer can still lie about the size
    if (bytes.length !== w.size)
      throw new DataIntegrityError(
        'file',
        w.path,
        `its LFS pointer says ${w.size} bytes, the object ${oid} has ${bytes.length}`
      )
    await writeCached(cacheDir, oid, bytes)
    bodies.set(oid, bytes)
    options.onProgress?.({
      phase: 'download',
      done: bodies.size - cached,
      total: missing.length,
      bytes: (got += bytes.length),
      totalBytes: total
    })
  })
  for (const o of missing)
    if (!bodies.has(o.oid))
      throw new DataIntegrityError(
        'file',
        (wanted.get(o.oid) as { path: string }).path,
        'was not downloaded'
      )
  return { bodies, downloadedBytes: lfs.downloadedBytes, cached }
}

/** Reads the blobs and LFS objects of `sources` into staged files. */
async function stage(
  ctx: RepoContext,
  sources: Array<Source & { mtimeMs: number | null; sha256: string | null }>,
  cacheDir: string,
  options: Remote
): Promise<StagedFiles> {
  const wanted = new Map<string, { size: number; path: string }>()
  for (const s of sources)
    if ('object' in s) wanted.set(s.object.oid, { size: s.size, path: s.path })
  const { bodies, downloadedBytes, cached } = await fetchObjects(ctx, wanted, cacheDir, options)
  const files: StagedFile[] = []
  for (const s of sources) {
    let bytes: Buffer
    if ('object' in s) bytes = bodies.get(s.object.oid) as Buffer
    else {
      bytes = s.bytes ?? (await readBlobBytes(ctx, s.blob, `${FILES_ROOT}/${s.path}`))
      if (gitBlobSha(bytes) !== s.blob)
        throw new DataIntegrityError('file', s.path, `its bytes are not blob ${s.blob}`)
    }
    files.push({
      path: s.path,
      mode: s.mode,
      mtimeMs: s.mtimeMs,
      size: s.size,
      sha256: s.sha256,
      body: async function* () {
        yield bytes
      }
    })
  }
  return {
    files,
    downloadedBytes,
    objects: { needed: wanted.size, downloaded: wanted.size - cached, cached }
  }
}

/**
 * The files of an `lfs-files` manifest (already checked by `parseManifest`): LFS objects by
 * oid = the file's SHA-256, other files by their blob SHA. Requests: 1 blob read per non-LFS
 * file; 1 LFS batch + 1 `GET` per object not in the cache.
 *
 * @throws DataIntegrityError when an object or blob does not match the manifest.
 * @throws LfsRequestError / LfsQuotaExceededError when an object cannot be downloaded.
 */
export async function filesOfManifest(
  ctx: RepoContext,
  manifest: ManifestV1,
  cacheDir: string,
  options: Remote
): Promise<StagedFiles> {
  const sources = manifest.files.map((f) => {
    const stored = f.stored as { blob: string; lfs: boolean }
    const common = {
      path: f.path,
      mode: f.mode & 0o777,
      size: f.size,
      mtimeMs: f.mtimeMs,
      sha256: f.sha256
    }
    return stored.lfs
      ? { ...common, object: { oid: f.sha256, size: f.size } }
      : { ...common, blob: stored.blob }
  })
  return stage(ctx, sources, cacheDir, options)
}

/** A commit whose tree is laid out by the seed's script: files under `data/`, no manifest. */
export interface SeedTree {
  commitSha: string
  entries: TreeEntry[]
}

/**
 * The seed layout at `commitSha` (tree `treeSha`), or `null` when the tree has no `data/`
 * folder. 1 request.
 */
export async function seedTreeAt(
  ctx: RepoContext,
  commitSha: string,
  treeSha: string
): Promise<SeedTree | null> {
  const entries = await readTreeEntries(ctx, treeSha)
  return entries.some((e) => e.path.startsWith(`${FILES_ROOT}/`)) ? { commitSha, entries } : null
}

/**
 * The files under `data/` of a seed-layout tree: a blob matching an LFS pattern of the root
 * `.gitattributes` whose text is a pointer is replaced by its object (as `git lfs pull` does),
 * every other blob is taken as it is. Requests: 1 blob read per file (+1 for `.gitattributes`);
 * 1 LFS batch + 1 `GET` per object not in the cache.
 *
 * @throws InvalidDataManifestError for an unsafe path (`..`, a `.git` segment, a control
 *   character) or two paths that differ only in case.
 * @throws DataIntegrityError for a symbolic link or submodule, a pointer whose size is
 *   impossible or lies, or bytes that do not match their blob or object.
 */
export async function filesOfSeedTree(
  ctx: RepoContext,
  seed: SeedTree,
  cacheDir: string,
  options: Remote
): Promise<StagedFiles> {
  const source = `${FILES_ROOT}/ at ${seed.commitSha}`
  const attributes = seed.entries.find((e) => e.path === '.gitattributes' && e.type === 'blob')
  const rules = parseLfsRules(
    attributes ? (await readBlobBytes(ctx, attributes.sha, '.gitattributes')).toString('utf8') : ''
  )
  const seen = new Set<string>()
  const sources: Array<Source & { mtimeMs: null; sha256: string | null }> = []
  for (const e of seed.entries) {
    if (!e.path.startsWith(`${FILES_ROOT}/`)) continue
    const path = e.path.slice(FILES_ROOT.length + 1)
    const reason = unsafePathReason(path)
    if (reason !== undefined)
      throw new InvalidDataManifestError(source, 'tree', `the path "${path}" ${reason}`)
    if (e.type === 'tree') continue
    if (e.type === 'commit')
      throw new DataIntegrityError('file', path, 'is a submodule, not a file')
    if (e.mode === '120000')
      throw new DataIntegrityError(
        'file',
        path,
        'is a symbolic link (it could point outside the target)'
      )
    if (seen.has(path.toLowerCase()))
      throw new InvalidDataManifestError(
        source,
        'tree',
        `"${path}" is there twice (in another case)`
      )
    seen.add(path.toLowerCase())
    const mode = e.mode === '100755' ? 0o755 : 0o644
    // a listing without the blob's size: read it to know
    const unsized = e.size === undefined ? await readBlobBytes(ctx, e.sha, e.path) : undefined
    const size = e.size ?? (unsized as Buffer).length
    const pointerLike = isLfsPath(rules, e.path) && size > 0 && size < POINTER_MAX_BYTES
    const bytes = unsized ?? (pointerLike ? await readBlobBytes(ctx, e.sha, e.path) : undefined)
    const pointer = bytes ? parseLfsPointer(bytes) : null
    if (pointer && pointer.size > LFS_OBJECT_MAX_BYTES)
      throw new DataIntegrityError(
        'file',
        path,
        `its LFS pointer claims ${pointer.size} bytes, more than any LFS object may have`
      )
    sources.push(
      pointer
        ? { path, mode, size: pointer.size, mtimeMs: null, sha256: pointer.oid, object: pointer }
        : {
            path,
            mode,
            size,
            mtimeMs: null,
            sha256: null,
            blob: e.sha,
            ...(bytes ? { bytes } : {})
          }
    )
  }
  return stage(ctx, sources, cacheDir, options)
}
