/**
 * One backup of a data directory (docs/persist-data.md §7): read the previous manifest (not the
 * data), capture, chunk, compute each file's chunk tree locally, descend into the previous
 * backup's trees only where the digests differ (§8.2), pack the chunks nothing there has,
 * upload the packs FIRST (one batch call says which the server has), then ONE compare-and-swap
 * commit of the manifest and the new tree nodes. A crash before the commit leaves the previous
 * backup whole.
 */
import { createHash, randomBytes } from 'node:crypto'
import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { DataCaptureError } from '../errors/data.js'
import type { RetryOptions } from '../github/cas.js'
import type { RepoContext } from '../github/context.js'
import { DataBranch, DATA_BRANCH } from './branch.js'
import {
  captureDirectory,
  type Capture,
  type CapturedFile,
  type CaptureOptions
} from './capture.js'
import { FILES_ROOT } from './files-tree.js'
import { lfsClientFor } from './lfs.js'
import { removeFilesFolder, storeAsFiles } from './lfs-files.js'
import {
  DATA_FORMAT,
  DATA_FORMAT_2,
  fileEntry,
  type ChunkRef,
  type DataLayout,
  type FileEntryV2,
  type Manifest,
  type PackRef,
  type TreeRef
} from './manifest.js'
import { PackBuilder, type BuiltPack } from './pack.js'
import type { DataProgressListener } from './progress.js'
import { lfsStoredBytes, resolveQuota, sizeWarnings, type QuotaOptions } from './sizes.js'
import { readAt } from './slices.js'
import {
  contentTree,
  findReusable,
  NodeReader,
  resolveTreeShape,
  sealTree,
  uncoveredChunks,
  type Reusable,
  type TreeShape
} from './tree.js'

/** Where the data branch is and how to reach its LFS server; shared by every data operation. */
export interface DataRemoteOptions {
  /** data branch (default `hubstore-data`) */
  branch?: string
  /** web server of the repository (default derived from the API URL; `GITHUB_SERVER_URL`) */
  serverUrl?: string
  /** `fetch` for LFS requests (default the global one) */
  fetch?: typeof fetch
  /** told the progress of the capture and of each LFS transfer (see {@link DataProgress}) */
  onProgress?: DataProgressListener
}

/** Options of {@link backupDirectory} (`quotaBytes`, `warnAtShare`: see {@link sizeWarnings}). */
export interface BackupOptions extends DataRemoteOptions, QuotaOptions {
  /**
   * `chunked` (default): deduplicated chunks in LFS packs; `lfs-files`: the files as they are
   * under `data/`, LFS objects behind pointers per `.gitattributes`, so `git clone` + `git lfs
   * pull` of the branch gives them back (docs/persist-data.md §9).
   */
  layout?: DataLayout
  capture?: CaptureOptions
  /** target pack size, bytes (default 8 MiB, at most 64 MiB) */
  packTargetBytes?: number
  /** host name written into the manifest (default `os.hostname()`) */
  host?: string
  /** clock (default `() => new Date()`) */
  now?: () => Date
  /** budget of the manifest commit's compare-and-swap loop (default 5 attempts) */
  retry?: RetryOptions
  /** how chunk-tree nodes are cut (default {@link TREE_SHAPE}; docs/persist-data.md §8.2) */
  tree?: Partial<TreeShape>
}

/** What a backup did. */
export interface BackupResult {
  backupId: string
  commitSha: string
  files: number
  /** sum of the file sizes, bytes */
  bytes: number
  /** raw bytes of chunks (`lfs-files`: of files) the previous backup did not have */
  newBytes: number
  /** bytes of LFS objects uploaded (objects the server already had are not counted) */
  uploadedBytes: number
  /** LFS objects (packs; `lfs-files`: whole files) this backup created, and how many were uploaded */
  packs: { created: number; uploaded: number }
  /** false: the files kept changing between passes (`unverified`) */
  verified: boolean
  /** size and quota warnings, each `<code>: <message>`, computed before the upload (sizes.ts) */
  warnings: string[]
  manifest: Manifest
}

const stamp = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '')

/** The manifest fields every layout fills the same way. */
function manifestHead<L extends DataLayout>(
  layout: L,
  startedAt: Date,
  finishedAt: Date,
  capture: Capture,
  options: BackupOptions
): Pick<Manifest, 'id' | 'host' | 'startedAt' | 'finishedAt' | 'durationMs' | 'capture'> & {
  layout: L
} {
  return {
    id: `${stamp(startedAt)}-${randomBytes(3).toString('hex')}`,
    layout,
    host: options.host ?? hostname(),
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationMs: Math.max(0, finishedAt.getTime() - startedAt.getTime()),
    capture: capture.info
  }
}

/**
 * Backs `dir` up to the data branch of `ctx`'s repository. Requests: 2 to read the index (+1
 * for the previous manifest, +1 per chunk-tree node read on the way to what changed: none for an
 * unchanged file, about one root-to-leaf path per changed region, docs/persist-data.md §8.2),
 * 1 LFS batch (+1 `PUT` and 1 verify per new pack), 3 git writes per commit attempt (+1 blob
 * per file over 256 KiB, +1 tree request per 4 MiB of new nodes). No LFS object is downloaded.
 * Layout `lfs-files` (docs/persist-data.md
 * §9): +1 read of `.gitattributes`, LFS objects per new file instead of packs, and per commit
 * attempt 1 tree read + 1 blob per changed file that is binary or over 256 KiB.
 *
 * Size and quota warnings (an object over 2 GB, an upload over 2 GiB, LFS storage at
 * `warnAtShare` of `quotaBytes`) are computed from the packs' exact sizes before the upload and
 * returned in `warnings`; they do not stop the backup.
 *
 * @throws InvalidOptionsError for a bad `quotaBytes` / `warnAtShare` / `tree` shape (before any
 *   request).
 * @throws DataCaptureError when the directory cannot be captured (nothing uploaded).
 * @throws LfsRequestError / LfsQuotaExceededError when a pack cannot be uploaded (nothing
 *   committed; the previous backup stands).
 * @throws DataBackupConflictError when every commit attempt lost to another writer.
 * @throws InvalidDataManifestError when the previous manifest, or a node of its trees that the
 *   backup reads, is not valid (nothing uploaded).
 * @throws GitHubRequestError for a failed GitHub request.
 */
export async function backupDirectory(
  ctx: RepoContext,
  dir: string,
  options: BackupOptions = {}
): Promise<BackupResult> {
  const quota = resolveQuota(options)
  const now = options.now ?? (() => new Date())
  const startedAt = now()
  const branch = new DataBranch(ctx, options.branch ?? DATA_BRANCH)
  const shape = resolveTreeShape(options.tree)
  const state = await branch.readIndex()
  const last = state.index?.backups.at(-1)
  const previous =
    last && state.head ? await branch.readManifest(last.id, state.head.commitSha) : null
  // what the new trees may reuse: a format-1 manifest lists every chunk inline
  const reusable: Reusable = { refs: new Map(), chunks: new Map(), packs: new Map() }
  if (previous?.format === DATA_FORMAT) {
    for (const p of previous.packs) reusable.packs.set(p.oid, p)
    for (const f of previous.files) for (const c of f.chunks) reusable.chunks.set(c.id, c)
  }

  const capture = await captureDirectory(dir, options.capture)
  const packDir = await mkdtemp(join(options.capture?.tempDir ?? tmpdir(), 'hubstore-packs-'))
  try {
    const captured = capture.files.reduce((n, f) => n + f.size, 0)
    const progress = options.onProgress
    progress?.({
      phase: 'capture',
      done: capture.files.length,
      total: capture.files.length,
      bytes: captured,
      totalBytes: captured
    })
    if (options.layout === 'lfs-files') {
      const read = (sha: string) => branch.git.readRaw('.gitattributes', sha)
      const stored = await storeAsFiles(ctx, state.head, read, previous, capture.files, options)
      await capture.dispose()
      const manifest: Manifest = {
        format: DATA_FORMAT,
        ...manifestHead('lfs-files', startedAt, now(), capture, options),
        root: FILES_ROOT,
        bytes: { total: captured, new: stored.newBytes, uploaded: stored.uploadedBytes },
        packs: [],
        files: stored.files
      }
      const { commitSha } = await branch.commitBackup(state, manifest, [], options.retry, stored)
      // each file is one object in this layout; the upload figure is what was sent
      const warnings = sizeWarnings({
        ...quota,
        objectSizes: capture.files.map((f) => ({ name: f.path, size: f.size })),
        uploadBytes: stored.uploadedBytes,
        storedBytes: lfsStoredBytes(state.index)
      })
      return {
        backupId: manifest.id,
        commitSha,
        files: manifest.files.length,
        bytes: captured,
        newBytes: stored.newBytes,
        uploadedBytes: stored.uploadedBytes,
        packs: stored.objects,
        verified: capture.info.verified,
        warnings,
        manifest
      }
    }
    const asCaptured = [...capture.files]
    let trees = asCaptured.map((f) => contentTree(f.chunks, shape))
    const reader = state.head ? new NodeReader(branch, state.head.commitSha) : null
    if (previous?.format === DATA_FORMAT_2 && reader)
      await reusePrevious(reader, previous.files, asCaptured, trees, reusable)
    // only the chunks of leaves no reused subtree covers may need packing
    const needed = new Map(
      asCaptured.map((f, i) => [
        f,
        trees[i] ? uncoveredChunks(trees[i], reusable.refs) : new Set<string>()
      ])
    )
    const built = await packNewChunks(
      capture,
      reusable.chunks,
      packDir,
      options.packTargetBytes,
      (f) => needed.get(f)
    )
    await capture.dispose() // the bytes are read: the post hook runs, the writers may go on
    for (const p of built.packs) reusable.packs.set(p.oid, p)
    // a file captured again while it was packed has other chunks: its tree again
    trees = capture.files.map((f, i) =>
      f === asCaptured[i] ? trees[i] : contentTree(f.chunks, shape)
    )

    const lfs = await lfsClientFor(ctx, options)
    const packTotal = built.packs.reduce((n, p) => n + p.size, 0)
    const warnings = sizeWarnings({
      ...quota,
      objectSizes: built.packs.map((p) => ({ name: `pack ${p.oid}`, size: p.size })),
      uploadBytes: packTotal,
      storedBytes: lfsStoredBytes(state.index)
    })
    let sent = 0
    let sentBytes = 0
    const uploaded = await lfs.uploadMissing(
      built.packs.map((p) => ({ oid: p.oid, size: p.size })),
      (oid) => readFile(join(packDir, oid)),
      (size) =>
        progress?.({
          phase: 'upload',
          done: ++sent,
          total: built.packs.length,
          bytes: (sentBytes += size),
          totalBytes: packTotal
        })
    )

    const nodes = new Map<string, Buffer>()
    const files: FileEntryV2[] = capture.files.map((file, i) => {
      const tree = trees[i]
      return fileEntry(file, { root: tree ? sealTree(tree, reusable, nodes) : null })
    })
    const manifest: Manifest = {
      format: DATA_FORMAT_2,
      ...manifestHead('chunked', startedAt, now(), capture, options),
      bytes: {
        total: files.reduce((n, f) => n + f.size, 0),
        new: built.newBytes,
        uploaded: lfs.uploadedBytes
      },
      files
    }
    const { commitSha } = await branch.commitBackup(state, manifest, built.packs, options.retry, {
      nodes,
      // after an lfs-files backup, its files folder goes (docs/persist-data.md §9)
      ...(previous?.layout === 'lfs-files' ? { changes: removeFilesFolder(ctx) } : {})
    })
    return {
      backupId: manifest.id,
      commitSha,
      files: files.length,
      bytes: manifest.bytes.total,
      newBytes: manifest.bytes.new,
      uploadedBytes: manifest.bytes.uploaded,
      packs: { created: built.packs.length, uploaded: uploaded.length },
      verified: capture.info.verified,
      warnings,
      manifest
    }
  } finally {
    await capture.dispose()
    await rm(packDir, { recursive: true, force: true })
  }
}

/**
 * For each captured file, the previous backup's tree to descend into: the file at the same path,
 * else (a renamed or copied file) any previous file with the same root digest; then
 * `findReusable`, every file at once (docs/persist-data.md §8.2). Requests: 1 GraphQL query per
 * level of the trees and 100 nodes read.
 */
async function reusePrevious(
  reader: NodeReader,
  previous: ReadonlyArray<{ path: string; root: TreeRef | null }>,
  files: readonly CapturedFile[],
  trees: ReadonlyArray<ReturnType<typeof contentTree>>,
  reusable: Reusable
): Promise<void> {
  const byPath = new Map(previous.map((f) => [f.path, f.root]))
  const byDigest = new Map(previous.flatMap((f) => (f.root ? [[f.root.digest, f.root]] : [])))
  const pairs = files.flatMap((file, i) => {
    const local = trees[i]
    const old = byPath.get(file.path) ?? (local ? byDigest.get(local.digest) : undefined)
    return local && old ? [{ old, local }] : []
  })
  await findReusable(reader, pairs, reusable)
}

/**
 * Reads the chunks of the captured files that `known` lacks (and, for a file `candidates` gives
 * a set for, that are in it: a recaptured file has none) from each file's source
 * (positioned reads, one chunk at a time), checks each against its id, and packs them one pack
 * at a time into `packDir/<oid>`; adds every packed chunk to `known`. A live file whose bytes
 * changed since its capture is captured again (a copy; the capture becomes unverified).
 * Memory: the open pack (≤ the target) and one chunk.
 */
async function packNewChunks(
  capture: Capture,
  known: Map<string, ChunkRef>,
  packDir: string,
  targetBytes: number | undefined,
  candidates: (file: CapturedFile) => ReadonlySet<string> | undefined = () => undefined
): Promise<{ packs: PackRef[]; newBytes: number }> {
  const builder = new PackBuilder({ targetBytes })
  const packs: PackRef[] = []
  const fresh = new Set<string>()
  let newBytes = 0
  const keep = async (pack: BuiltPack | null) => {
    if (!pack) return
    await writeFile(join(packDir, pack.ref.oid), pack.bytes)
    for (const c of pack.chunks) known.set(c.id, c)
    packs.push(pack.ref)
  }
  /** Packs the new chunks of `file`; false when its source no longer has the bytes captured. */
  const packFile = async (file: CapturedFile): Promise<boolean> => {
    const only = candidates(file)
    const wanted = file.chunks.filter(
      (c) => (!only || only.has(c.id)) && !known.has(c.id) && !fresh.has(c.id)
    )
    if (wanted.length === 0) return true
    const handle = await open(file.source, 'r')
    try {
      for (const c of wanted) {
        if (fresh.has(c.id)) continue
        const raw = await readAt(handle, c.offset, c.size)
        if (raw.length !== c.size || createHash('sha256').update(raw).digest('hex') !== c.id)
          return false
        fresh.add(c.id)
        newBytes += c.size
        await keep(builder.add({ id: c.id, raw }))
      }
      return true
    } finally {
      await handle.close()
    }
  }
  for (const file of [...capture.files])
    if (!(await packFile(file)) && !(await packFile(await capture.recapture(file))))
      throw new DataCaptureError('unstable', file.path, 'its copy changed while it was packed')
  await keep(builder.finish())
  return { packs, newBytes }
}
