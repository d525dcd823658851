/**
 * A backup in the `lfs-files` layout (docs/persist-data.md §9): the captured files as plain files
 * under `data/` on the data branch; those the branch's `.gitattributes` marks as LFS (the seed's
 * patterns when it has none) stored as LFS objects behind pointer files, uploaded first through
 * one batch call (which says which objects GitHub already has, so an unchanged file is not sent
 * again); the others as git blobs. The commit itself is the data branch's (`branch.ts`).
 */
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import type { BranchHead, FileAddition } from '../branch-store/git.js'
import { DataCaptureError } from '../errors/data.js'
import type { RepoContext } from '../github/context.js'
import type { CapturedFile } from './capture.js'
import { FILES_ROOT, gitBlobSha, readTreeEntries } from './files-tree.js'
import { isLfsPath, lfsAttributesText, parseLfsRules } from './gitattributes.js'
import { lfsClientFor, lfsPointer, type LfsObject } from './lfs.js'
import { fileEntry, type FileEntry, type Manifest } from './manifest.js'
import type { DataProgressListener } from './progress.js'

/** What the commit of a backup adds and deletes besides its manifest and index. */
export interface TreeChanges {
  additions: FileAddition[]
  deletions: string[]
}

/** Computes a backup's file changes against the branch head it will be committed on. */
export type TreeChangesOf = (head: BranchHead | null) => Promise<TreeChanges>

/** The files of an `lfs-files` backup, uploaded, and what its commit must change. */
export interface StoredFiles {
  /** the manifest's file entries (with `stored`, no chunks) */
  files: FileEntry[]
  /** bytes of files whose content the previous backup did not have */
  newBytes: number
  /** bytes of LFS objects uploaded */
  uploadedBytes: number
  /** LFS objects the previous backup did not reference, and how many of them were uploaded */
  objects: { created: number; uploaded: number }
  /** the `.gitattributes` to commit: the branch's own, else the seed's patterns */
  gitattributes: string
  changes: TreeChangesOf
}

interface Placed {
  file: CapturedFile
  /** path on the branch */
  at: string
  content: Buffer
  blob: string
  lfs: boolean
}

/**
 * Uploads the LFS files of `files` the server lacks and plans the commit. Requests: 1 to read
 * `.gitattributes` at `head`, 1 LFS batch (+1 `PUT` and 1 verify per new object); the commit's
 * tree read happens in `changes` (1 request per attempt).
 *
 * @throws LfsRequestError / LfsQuotaExceededError when an object cannot be uploaded (nothing
 *   is committed then).
 */
export async function storeAsFiles(
  ctx: RepoContext,
  head: BranchHead | null,
  readAttributes: (commitSha: string) => Promise<string | undefined>,
  previous: Manifest | null,
  files: CapturedFile[],
  options: { serverUrl?: string; fetch?: typeof fetch; onProgress?: DataProgressListener }
): Promise<StoredFiles> {
  const gitattributes =
    (head ? await readAttributes(head.commitSha) : undefined) ?? lfsAttributesText()
  const rules = parseLfsRules(gitattributes)
  const placed: Placed[] = []
  for (const file of files) {
    const at = `${FILES_ROOT}/${file.path}`
    // git-lfs stores an empty file as an empty blob, never as a pointer (§5)
    const lfs = file.size > 0 && isLfsPath(rules, at)
    // a plain blob is read whole (it becomes one git blob); an LFS object only when uploaded
    const content = lfs
      ? Buffer.from(lfsPointer({ oid: file.sha256, size: file.size }))
      : await capturedBytes(file)
    placed.push({ file, at, content, blob: gitBlobSha(content), lfs })
  }

  const objects = new Map<string, LfsObject & { file: CapturedFile }>()
  for (const p of placed)
    if (p.lfs) objects.set(p.file.sha256, { oid: p.file.sha256, size: p.file.size, file: p.file })
  const before: ReadonlyArray<{ sha256: string; stored?: { lfs: boolean } }> = previous?.files ?? []
  const hadObject = new Set(before.filter((f) => f.stored?.lfs).map((f) => f.sha256))
  const hadContent = new Set(before.map((f) => f.sha256))
  const lfs = await lfsClientFor(ctx, options)
  const total = [...objects.values()].reduce((n, o) => n + o.size, 0)
  let sent = 0
  let sentBytes = 0
  const uploaded = await lfs.uploadMissing(
    [...objects.values()].map(({ oid, size }) => ({ oid, size })),
    (oid) => capturedBytes((objects.get(oid) as { file: CapturedFile }).file),
    (size) =>
      options.onProgress?.({
        phase: 'upload',
        done: ++sent,
        total: objects.size,
        bytes: (sentBytes += size),
        totalBytes: total
      })
  )

  const entries: FileEntry[] = placed.map(({ file, blob, lfs: isLfs }) =>
    fileEntry(file, { chunks: [], stored: { blob, lfs: isLfs } })
  )
  const wanted = new Map(placed.map((p) => [p.at, p]))
  return {
    files: entries,
    newBytes: placed
      .filter((p) => !hadContent.has(p.file.sha256))
      .reduce((n, p) => n + p.file.size, 0),
    uploadedBytes: lfs.uploadedBytes,
    objects: {
      created: [...objects.keys()].filter((oid) => !hadObject.has(oid)).length,
      uploaded: uploaded.length
    },
    gitattributes,
    changes: async (at) => {
      const present = await filesUnderRoot(ctx, at)
      return {
        // a file whose blob is already at its path stays as the parent tree has it
        additions: placed
          .filter((p) => present.get(p.at) !== p.blob)
          .map((p) => ({ path: p.at, content: p.content })),
        deletions: [...present.keys()].filter((path) => !wanted.has(path))
      }
    }
  }
}

/** Path → object SHA of every non-directory entry under `data/` at `head`. 1 request. */
async function filesUnderRoot(
  ctx: RepoContext,
  head: BranchHead | null
): Promise<Map<string, string>> {
  if (!head) return new Map()
  const entries = await readTreeEntries(ctx, head.treeSha)
  return new Map(
    entries
      .filter((e) => e.type !== 'tree' && e.path.startsWith(`${FILES_ROOT}/`))
      .map((e) => [e.path, e.sha])
  )
}

/**
 * The changes of a `chunked` backup that follows an `lfs-files` one: the files folder goes, so
 * the branch holds one layout's files at a time. 1 request per commit attempt.
 */
export function removeFilesFolder(ctx: RepoContext): TreeChangesOf {
  return async (head) => ({
    additions: [],
    deletions: [...(await filesUnderRoot(ctx, head)).keys()]
  })
}

/**
 * The bytes of a captured file, read from its source (the live file, or the SQLite copy the
 * capture keeps until it is disposed) and checked against the SHA-256 the capture took.
 *
 * @throws DataCaptureError (`changed`) when the file no longer has the bytes captured.
 */
async function capturedBytes(file: CapturedFile): Promise<Buffer> {
  const bytes = await readFile(file.source)
  if (
    bytes.length !== file.size ||
    createHash('sha256').update(bytes).digest('hex') !== file.sha256
  )
    throw new DataCaptureError('unstable', file.path, 'it changed after it was captured')
  return bytes
}
