/**
 * Atomic restore of a backup (docs/persist-data.md §6): take the backup a restore point names
 * (restore-point.ts), download only the packs it needs that the local pack cache lacks, verify
 * every pack, chunk and file hash, build the directory in a staging folder beside the target
 * (same filesystem), fsync the files and directories, swap it in by rename and fsync the parent.
 * Nothing is written outside the staging folder, the target and the cache; a hostile manifest or
 * pack is refused before the swap.
 */
import { createHash, randomBytes } from 'node:crypto'
import {
  chmod,
  mkdir,
  open,
  readdir,
  rename,
  rm,
  stat,
  utimes,
  type FileHandle
} from 'node:fs/promises'
import { homedir } from 'node:os'
import { basename, dirname, join, resolve, sep } from 'node:path'
import { DataIntegrityError } from '../errors/data.js'
import type { RepoContext } from '../github/context.js'
import type { DataRemoteOptions } from './backup.js'
import { DataBranch, DATA_BRANCH } from './branch.js'
import {
  filesOfManifest,
  filesOfSeedTree,
  type StagedFile,
  type StagedFiles
} from './files-restore.js'
import { lfsClientFor } from './lfs.js'
import { DATA_FORMAT, type ChunkRef, type ManifestV1, type PackRef } from './manifest.js'
import { cachedPath, writeCached } from './object-cache.js'
import { checkPack, chunkRuns, readChunkRun, RUN_MAX_BYTES } from './pack.js'
import type { DataProgressListener } from './progress.js'
import { chooseBackup, parseRestorePoint, type Chosen, type RestorePoint } from './restore-point.js'
import { inlineManifest, NodeReader } from './tree.js'

/** Options of {@link restoreDirectory}. */
export interface RestoreOptions extends DataRemoteOptions {
  /** default `latest` */
  point?: RestorePoint | string
  /** restore only when the target is absent or an empty directory (the app-start case) */
  ifMissing?: boolean
  /**
   * Local pack cache (default `$XDG_CACHE_HOME/hubstore/packs`, else `~/.cache/hubstore/packs`):
   * packs found there with the right hash are not downloaded again.
   */
  cacheDir?: string
}

/** What a restore did. */
export interface RestoreResult {
  /** false: `ifMissing` and the target has content (nothing requested, nothing written) */
  restored: boolean
  backupId: string | null
  commitSha: string | null
  files: number
  bytes: number
  /** LFS bytes downloaded (0 when every pack was cached) */
  downloadedBytes: number
  /** LFS objects: packs (`chunked`), whole files (`lfs-files`, the seed's layout) */
  packs: { needed: number; downloaded: number; cached: number }
}

/** The default pack cache directory. */
export function defaultPackCache(): string {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'hubstore', 'packs')
}

async function isMissing(target: string): Promise<boolean> {
  const s = await stat(target).catch(() => null)
  if (!s) return true
  return s.isDirectory() && (await readdir(target)).length === 0
}

/**
 * A restore killed between its two renames left the target absent and the live directory at
 * `.<name>.hubstore-old-<tag>` beside it: put it back, so the live directory is as it was.
 */
async function recoverInterruptedSwap(absolute: string): Promise<void> {
  if (await stat(absolute).catch(() => null)) return
  const prefix = `.${basename(absolute)}.hubstore-old-`
  const names = await readdir(dirname(absolute)).catch(() => [] as string[])
  const old = names.find((n) => n.startsWith(prefix))
  if (old) await rename(join(dirname(absolute), old), absolute)
}

/** The packs a restore reads: each one's path in the cache, once it is there and checked. */
interface FetchedPacks {
  /** the pack's path in the cache; waits for its download, rejects when that failed */
  path: (oid: string) => Promise<string>
  /** resolves when every download ended (rejects with the first failure) */
  settled: Promise<void>
  /** LFS bytes downloaded so far (all of them once `settled` resolved) */
  downloadedBytes: () => number
  needed: number
  downloaded: number
  cached: number
}

/**
 * Packs the manifest's chunks use, in the cache: those there with the right size and SHA-256
 * (hashed in slices) are kept, the others downloaded (four at a time, each checked, then
 * written to the cache by rename) while the caller already builds files from the packs it has:
 * `path(oid)` waits for that one pack only.
 */
async function fetchPacks(
  ctx: RepoContext,
  manifest: ManifestV1,
  cacheDir: string,
  options: RestoreOptions
): Promise<FetchedPacks> {
  const needed = new Set(manifest.files.flatMap((f) => f.chunks.map((c) => c.pack)))
  const refs = new Map(manifest.packs.filter((p) => needed.has(p.oid)).map((p) => [p.oid, p]))
  const ready = new Map<string, Promise<string>>()
  const missing: PackRef[] = []
  for (const ref of refs.values()) {
    const cached = await cachedPath(cacheDir, ref.oid, ref.size)
    if (cached) ready.set(ref.oid, Promise.resolve(cached))
    else missing.push(ref)
  }
  const path = (oid: string) =>
    ready.get(oid) ?? Promise.reject(new DataIntegrityError('pack', oid, 'is not in the manifest'))
  const fetched = { path, needed: refs.size, downloaded: missing.length, cached: ready.size }
  if (missing.length === 0)
    return {
      settled: Promise.resolve(),
      downloadedBytes: () => 0,
      ...fetched
    }
  const waiting = new Map<
    string,
    { resolve: (path: string) => void; reject: (e: unknown) => void }
  >()
  for (const p of missing) {
    const arrival = new Promise<string>((resolve, reject) =>
      waiting.set(p.oid, { resolve, reject })
    )
    arrival.catch(() => undefined) // a build that never asks for it must not see a rejection
    ready.set(p.oid, arrival)
  }
  const lfs = await lfsClientFor(ctx, options)
  const total = missing.reduce((n, p) => n + p.size, 0)
  let got = 0
  let done = 0
  const settled = lfs
    .download(
      missing.map((p) => ({ oid: p.oid, size: p.size })),
      async (oid, bytes) => {
        const ref = refs.get(oid)
        const wait = waiting.get(oid)
        if (!ref || !wait) throw new DataIntegrityError('pack', oid, 'was not asked for')
        checkPack(ref, bytes, oid) // the client checked that the bytes hash to their oid
        wait.resolve(await writeCached(cacheDir, oid, bytes))
        waiting.delete(oid)
        options.onProgress?.({
          phase: 'download',
          done: ++done,
          total: missing.length,
          bytes: (got += bytes.length),
          totalBytes: total
        })
      }
    )
    .then(() => {
      const left = [...waiting.keys()][0]
      if (left !== undefined) throw new DataIntegrityError('pack', left, 'was not downloaded')
    })
  settled.catch((error: unknown) => {
    for (const wait of waiting.values()) wait.reject(error)
    waiting.clear()
  })
  return {
    settled,
    downloadedBytes: () => lfs.downloadedBytes,
    ...fetched
  }
}

async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/** The files to write for what was chosen, with their LFS objects or packs fetched. */
async function stagedFiles(
  ctx: RepoContext,
  chosen: Chosen,
  cacheDir: string,
  options: RestoreOptions
): Promise<StagedFiles> {
  if ('seed' in chosen) return filesOfSeedTree(ctx, chosen.seed, cacheDir, options)
  if (chosen.manifest.format === DATA_FORMAT && chosen.manifest.layout === 'lfs-files')
    return filesOfManifest(ctx, chosen.manifest, cacheDir, options)
  // format 2: every node of every file's tree, each checked (docs/persist-data.md §8.2)
  const nodes = new NodeReader(new DataBranch(ctx, options.branch ?? DATA_BRANCH), chosen.commitSha)
  const manifest = await inlineManifest(nodes, chosen.manifest)
  const fetched = await fetchPacks(ctx, manifest, cacheDir, options)
  const reader = packReader(manifest, fetched.path)
  return {
    files: reader.files,
    close: reader.close,
    get downloadedBytes() {
      return fetched.downloadedBytes()
    },
    settled: fetched.settled,
    objects: { needed: fetched.needed, downloaded: fetched.downloaded, cached: fetched.cached }
  }
}

/** Open pack files, at most this many at a time (the oldest closed first). */
const OPEN_PACKS = 32

/**
 * The files of a `chunked` manifest, each read out of its pack files in the cache when it is
 * written, a run of consecutive chunks per positioned read (memory: one run, at most
 * `RUN_MAX_BYTES` compressed plus its raw chunks, whatever the files' sizes); `close` closes
 * the packs.
 */
function packReader(
  manifest: ManifestV1,
  packPath: (oid: string) => Promise<string>
): { files: StagedFile[]; close: () => Promise<void> } {
  const refs = new Map(manifest.packs.map((p) => [p.oid, p]))
  const handles = new Map<string, FileHandle>()
  // one read buffer for every run (files are read one after the other): 4 MiB, not 4 MiB a run
  const scratch = Buffer.allocUnsafe(RUN_MAX_BYTES)
  const packHandle = async (oid: string): Promise<FileHandle> => {
    const held = handles.get(oid)
    if (held) return held
    if (handles.size >= OPEN_PACKS) {
      const [oldest, h] = handles.entries().next().value as [string, FileHandle]
      handles.delete(oldest)
      await h.close()
    }
    const h = await open(await packPath(oid), 'r')
    handles.set(oid, h)
    return h
  }
  const files = manifest.files.map((file) => ({
    path: file.path,
    mode: file.mode,
    mtimeMs: file.mtimeMs,
    size: file.size,
    sha256: file.sha256,
    body: async function* () {
      for (const run of chunkRuns(file.chunks)) {
        const pack = (run[0] as ChunkRef).pack
        yield* await readChunkRun(refs.get(pack) as PackRef, await packHandle(pack), run, scratch)
      }
    }
  }))
  const close = async () => {
    for (const h of handles.values()) await h.close()
    handles.clear()
  }
  return { files, close }
}

/** Bytes gathered before one `writev` while a file is built, 4 MiB. */
const WRITE_BATCH_BYTES = 4 * 1024 * 1024
/** Pieces gathered before one `writev` at most (Linux's `IOV_MAX` is 1,024). */
const WRITE_BATCH_PIECES = 1024

/** Appends `pieces` to the file open as `handle` with `writev`, again for what it left. */
async function writeAll(handle: FileHandle, pieces: Uint8Array[]): Promise<void> {
  const rest = pieces.filter((p) => p.length > 0)
  while (rest.length > 0) {
    let { bytesWritten } = await handle.writev(rest)
    while (rest.length > 0 && bytesWritten >= (rest[0] as Uint8Array).length)
      bytesWritten -= (rest.shift() as Uint8Array).length
    if (bytesWritten > 0) rest[0] = (rest[0] as Uint8Array).subarray(bytesWritten)
  }
}

/** Writes `files` under `staging` (a fresh directory), each verified and fsynced. */
async function build(
  staging: string,
  files: StagedFile[],
  onProgress?: DataProgressListener
): Promise<void> {
  let written = 0
  let writtenBytes = 0
  const totalBytes = files.reduce((n, f) => n + f.size, 0)
  const root = resolve(staging)
  const dirs = new Set<string>([root])
  for (const file of files) {
    const out = resolve(root, ...file.path.split('/'))
    if (!out.startsWith(root + sep))
      throw new DataIntegrityError('file', file.path, 'lies outside the target')
    const parts = file.path.split('/')
    for (let k = 1; k < parts.length; k++) dirs.add(resolve(root, ...parts.slice(0, k)))
    await mkdir(dirname(out), { recursive: true })
    // written piece by piece, hashed on the way; checked before the swap (staging only)
    const hash = createHash('sha256')
    let size = 0
    const handle = await open(out, 'wx', 0o600)
    try {
      // one write in flight while the next pieces are read, decompressed and hashed
      let writing: Promise<void> = Promise.resolve()
      let batch: Uint8Array[] = []
      let batched = 0
      for await (const piece of file.body()) {
        hash.update(piece)
        size += piece.length
        batch.push(piece)
        if ((batched += piece.length) >= WRITE_BATCH_BYTES || batch.length >= WRITE_BATCH_PIECES) {
          await writing
          writing = writeAll(handle, batch)
          writing.catch(() => undefined) // awaited below; no unhandled rejection meanwhile
          batch = []
          batched = 0
        }
      }
      await writing
      await writeAll(handle, batch)
      await handle.sync()
    } finally {
      await handle.close()
    }
    if (size !== file.size || (file.sha256 !== null && hash.digest('hex') !== file.sha256))
      throw new DataIntegrityError('file', file.path, 'its bytes do not give its size and SHA-256')
    await chmod(out, file.mode & 0o777)
    if (file.mtimeMs !== null) {
      const mtime = new Date(file.mtimeMs)
      await utimes(out, mtime, mtime)
    }
    onProgress?.({
      phase: 'write',
      done: ++written,
      total: files.length,
      bytes: (writtenBytes += file.size),
      totalBytes
    })
  }
  for (const d of [...dirs].sort((a, b) => b.length - a.length)) await fsyncPath(d)
}

/**
 * Restores a backup of the data branch into `target`, atomically: the directory is built in
 * `<parent>/.<name>.hubstore-restore-<random>`, then the old directory (if any) is renamed
 * aside, the new one renamed into place, the parent fsynced and the old one removed. With
 * `ifMissing` and a non-empty target: nothing is requested or written. Requests: 2 (index) + 1
 * (manifest) + 1 tag read for a tag + (format 2) a GraphQL query per level of the files'
 * chunk trees (all files together), 100 nodes a query, each node checked before anything is
 * written; 1 LFS batch + 1 `GET` per pack not in the cache. An `lfs-files` backup reads 1
 * blob per non-LFS file and downloads whole-file LFS objects; a branch without backup index
 * is restored as the seed's script laid it out (`data/` at that commit; docs/persist-data.md
 * §9.3): +3 reads (head, commit, tree) and 1 blob read per file.
 *
 * @throws RestorePointNotFoundError when the point names no backup.
 * @throws InvalidDataManifestError when the manifest or a tree node is not valid (unsafe or
 *   duplicate paths, a node whose bytes do not hash to its address, counts that do not add up…).
 * @throws DataIntegrityError when a pack, chunk or file has the wrong hash, or (seed layout) a
 *   symbolic link, submodule or lying LFS pointer is in the tree (the target is untouched).
 * @throws LfsRequestError / LfsQuotaExceededError when a pack cannot be downloaded.
 */
export async function restoreDirectory(
  ctx: RepoContext,
  target: string,
  options: RestoreOptions = {}
): Promise<RestoreResult> {
  const none = {
    backupId: null,
    commitSha: null,
    files: 0,
    bytes: 0,
    downloadedBytes: 0,
    packs: { needed: 0, downloaded: 0, cached: 0 }
  }
  await recoverInterruptedSwap(resolve(target))
  if (options.ifMissing && !(await isMissing(target))) return { restored: false, ...none }
  const branch = new DataBranch(ctx, options.branch ?? DATA_BRANCH)
  const point =
    typeof options.point === 'string'
      ? parseRestorePoint(options.point)
      : (options.point ?? 'latest')
  const cacheDir = options.cacheDir ?? defaultPackCache()
  const chosen = await chooseBackup(branch, point)
  const staged = await stagedFiles(ctx, chosen, cacheDir, options)
  const absolute = resolve(target)
  const parent = dirname(absolute)
  await mkdir(parent, { recursive: true })
  const tag = randomBytes(4).toString('hex')
  const staging = join(parent, `.${basename(absolute)}.hubstore-restore-${tag}`)
  await mkdir(staging)
  const old = join(parent, `.${basename(absolute)}.hubstore-old-${tag}`)
  let movedAside = false
  try {
    await build(staging, staged.files, options.onProgress).finally(() => staged.close?.())
    await staged.settled // every download ended (and, with it, the byte count)
    const existed = (await stat(absolute).catch(() => null)) !== null
    if (existed) {
      await rename(absolute, old)
      movedAside = true
    }
    await rename(staging, absolute)
    movedAside = false
    await fsyncPath(parent)
    if (existed) await rm(old, { recursive: true, force: true })
  } catch (error) {
    // put the live directory back when the swap failed half-way
    if (movedAside) await rename(old, absolute).catch(() => undefined)
    await staged.settled?.catch(() => undefined) // no download goes on after the failure
    await rm(staging, { recursive: true, force: true })
    throw error
  }
  return {
    restored: true,
    backupId: 'seed' in chosen ? null : chosen.manifest.id,
    commitSha: 'seed' in chosen ? chosen.seed.commitSha : chosen.commitSha,
    files: staged.files.length,
    bytes: staged.files.reduce((n, f) => n + f.size, 0),
    downloadedBytes: staged.downloadedBytes,
    packs: staged.objects
  }
}
