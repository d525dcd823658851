/**
 * The manifest of one backup and the backup index of the data branch (docs/persist-data.md §7,
 * §8): zod schemas, strict (unknown keys refused), with paths checked by core's repository path
 * check (`github/path.ts`), duplicates refused and every chunk inside its pack. Two manifest
 * formats: `hubstore-data/1` (chunk lists inline; still read everywhere, still written by the
 * `lfs-files` layout) and `hubstore-data/2` (`chunked`: each file names the root of its chunk
 * tree, whose nodes are git blobs under `nodes/`, §8.2, `tree-node.ts`).
 */
import { z } from 'zod'
import { InvalidDataManifestError } from '../errors/data.js'
import { unsafePathReason } from '../github/path.js'

/** The format tag of the index, of the prune list and of format-1 manifests. */
export const DATA_FORMAT = 'hubstore-data/1'
/** The format tag of `chunked` manifests whose chunk lists are trees (docs/persist-data.md §8). */
export const DATA_FORMAT_2 = 'hubstore-data/2'

export const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits')
const gitSha = z.string().regex(/^[0-9a-f]{40}$/, 'must be 40 lower-case hex digits')

/** How a backup stores the files (docs/persist-data.md §8, §9). */
export const DATA_LAYOUTS = ['chunked', 'lfs-files'] as const
export type DataLayout = (typeof DATA_LAYOUTS)[number]

/** `lfs-files` only: how a file sits on the data branch (docs/persist-data.md §9). */
export const storedFileSchema = z.strictObject({
  /** git blob SHA of what the branch holds at `<root>/<path>`: the file, or its LFS pointer */
  blob: gitSha,
  /** true: the blob is an LFS pointer to an object whose oid is the file's SHA-256 */
  lfs: z.boolean()
})
export type StoredFile = z.infer<typeof storedFileSchema>
export const bytes = z.number().int().nonnegative()
const isoTime = z.iso.datetime()

/** One chunk of a file: its raw SHA-256 and size, and where its compressed bytes are. */
export const chunkRefSchema = z.strictObject({
  /** SHA-256 of the raw (uncompressed) chunk */
  id: sha256,
  /** raw size, bytes */
  size: bytes,
  /** oid of the pack holding it */
  pack: sha256,
  /** offset of the compressed bytes from the start of the pack, bytes */
  offset: bytes,
  /** compressed length, bytes */
  length: bytes
})
export type ChunkRef = z.infer<typeof chunkRefSchema>

const fileCommon = {
  /** relative POSIX path inside the data directory */
  path: z.string(),
  /** bytes */
  size: bytes,
  /** permission bits (`0o644`), no file type bits */
  mode: z.number().int().min(0).max(0o7777),
  /** modification time, ms since the epoch */
  mtimeMs: z.number().nonnegative(),
  /** SHA-256 of the whole file as captured */
  sha256,
  /** `chunked`: the chunks; `lfs-files`: empty */
  chunks: z.array(chunkRefSchema),
  /** `lfs-files` only */
  stored: storedFileSchema.optional()
}

/** A captured file: a plain file, or a SQLite database copied through the backup API. */
export const fileEntrySchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('file'), ...fileCommon }),
  z.strictObject({
    kind: z.literal('sqlite'),
    ...fileCommon,
    /** bytes per page, from the header (docs/persist-data.md §1.1) */
    pageSize: z.number().int().min(512).max(65536),
    /** `ok`, or the problems `PRAGMA integrity_check` reported (§1.4) */
    integrity: z.string()
  })
])
export type FileEntry = z.infer<typeof fileEntrySchema>

/** What a manifest file entry copies from a captured (or already listed) file. */
interface EntrySource {
  kind: 'file' | 'sqlite'
  path: string
  size: number
  mode: number
  mtimeMs: number
  sha256: string
  pageSize?: number | null
  integrity?: string | null
}

/**
 * A manifest file entry of any format and layout: `file`'s kind, path, size, mode, mtime and
 * SHA-256 (a SQLite database also its page size and integrity verdict) plus `where`, the
 * layout's own fields (`chunks` and `stored`, or format 2's `root`); the result fits
 * {@link FileEntry} or {@link FileEntryV2} as `where` does.
 */
export function fileEntry<W extends object>(file: EntrySource, where: W) {
  const common = {
    path: file.path,
    size: file.size,
    mode: file.mode,
    mtimeMs: file.mtimeMs,
    sha256: file.sha256,
    ...where
  }
  return file.kind === 'sqlite'
    ? {
        kind: 'sqlite' as const,
        ...common,
        pageSize: file.pageSize as number,
        integrity: file.integrity as string
      }
    : { kind: 'file' as const, ...common }
}

/** A pack referenced by a manifest. */
export const packRefSchema = z.strictObject({
  /** SHA-256 of the pack's bytes = its LFS oid */
  oid: sha256,
  /** bytes */
  size: bytes,
  /** compression of its chunks (`zstd`, `deflate`) */
  codec: z.enum(['zstd', 'deflate'])
})
export type PackRef = z.infer<typeof packRefSchema>

/** How the directory was captured (docs/persist-data.md §8). */
export const captureSchema = z.strictObject({
  /** `hooks`: quiesced by pre/post commands; `two-pass`: read until two passes agree; `single` */
  method: z.enum(['hooks', 'two-pass', 'single']),
  /** passes made over the non-SQLite files */
  passes: z.number().int().min(1),
  /** false = `unverified`: the files changed between every two passes */
  verified: z.boolean()
})
export type CaptureInfo = z.infer<typeof captureSchema>

/** The manifest of one backup. */
export const manifestSchema = z.strictObject({
  format: z.literal(DATA_FORMAT),
  /** `<yyyymmddThhmmssZ>-<6 hex>` */
  id: z.string().regex(/^\d{8}T\d{6}Z-[0-9a-f]{6}$/),
  layout: z.enum(DATA_LAYOUTS),
  /** `lfs-files` only: the folder of the data branch holding the files (`data`) */
  root: z.string().optional(),
  host: z.string(),
  startedAt: isoTime,
  finishedAt: isoTime,
  /** ms */
  durationMs: bytes,
  capture: captureSchema,
  bytes: z.strictObject({
    /** sum of the file sizes */
    total: bytes,
    /** raw bytes of the chunks not in the previous backup */
    new: bytes,
    /** bytes of the packs this backup uploaded */
    uploaded: bytes
  }),
  packs: z.array(packRefSchema),
  files: z.array(fileEntrySchema)
})
export type ManifestV1 = z.infer<typeof manifestSchema>

/**
 * A reference to a node of a chunk tree (docs/persist-data.md §8.2): `digest` is the content
 * identity of the chunks below it (ids and sizes, not where they are stored), `node` the
 * SHA-256 of the node's bytes (its address, `nodes/<2 hex>/<64 hex>.json`).
 */
export const treeRefSchema = z.strictObject({
  /** SHA-256 over the content identity below the node (`tree-node.ts`) */
  digest: sha256,
  /** SHA-256 of the node's bytes: its address on the data branch */
  node: sha256,
  /** chunks below the node */
  chunks: z.number().int().min(1),
  /** raw bytes of those chunks */
  bytes
})
export type TreeRef = z.infer<typeof treeRefSchema>

const fileCommonV2 = {
  path: fileCommon.path,
  size: fileCommon.size,
  mode: fileCommon.mode,
  mtimeMs: fileCommon.mtimeMs,
  sha256,
  /** the root of the file's chunk tree; `null` for an empty file */
  root: treeRefSchema.nullable()
}

/** A file of a format-2 manifest: like {@link FileEntry}, its chunks behind `root`. */
export const fileEntryV2Schema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('file'), ...fileCommonV2 }),
  z.strictObject({
    kind: z.literal('sqlite'),
    ...fileCommonV2,
    pageSize: z.number().int().min(512).max(65536),
    integrity: z.string()
  })
])
export type FileEntryV2 = z.infer<typeof fileEntryV2Schema>

/** A format-2 manifest (layout `chunked` only): no pack list, the packs are in the leaves. */
export const manifestV2Schema = z.strictObject({
  format: z.literal(DATA_FORMAT_2),
  id: manifestSchema.shape.id,
  layout: z.literal('chunked'),
  host: z.string(),
  startedAt: isoTime,
  finishedAt: isoTime,
  durationMs: bytes,
  capture: captureSchema,
  bytes: manifestSchema.shape.bytes,
  files: z.array(fileEntryV2Schema)
})
export type ManifestV2 = z.infer<typeof manifestV2Schema>

/** The manifest of one backup, either format. */
export type Manifest = ManifestV1 | ManifestV2

/** One backup as the index lists it. */
export const backupSummarySchema = z.strictObject({
  id: manifestSchema.shape.id,
  finishedAt: isoTime,
  files: bytes,
  bytes: bytes,
  newBytes: bytes,
  uploadedBytes: bytes,
  verified: z.boolean(),
  /** path of the manifest on the branch */
  manifest: z.string()
})
export type BackupSummary = z.infer<typeof backupSummarySchema>

/** `backups/index.json`: every backup on the branch, oldest first. */
export const backupIndexSchema = z.strictObject({
  format: z.literal(DATA_FORMAT),
  backups: z.array(backupSummarySchema),
  /** totals of the backups pruned so far (`prune.ts`; absent before the first prune) */
  pruned: z
    .strictObject({
      /** backups removed */
      backups: bytes,
      /** bytes those backups uploaded: still stored, GitHub never frees LFS objects */
      uploadedBytes: bytes
    })
    .optional()
})
export type BackupIndex = z.infer<typeof backupIndexSchema>

/** Path of the index on the data branch. */
export const INDEX_PATH = 'backups/index.json'
/** Path of a backup's manifest on the data branch. */
export const manifestPath = (id: string): string => `backups/${id}.json`
/** Path of the list of pruned backups on the data branch (`prune.ts`). */
export const PRUNED_PATH = 'backups/pruned.json'
/** Path of a chunk-tree node on the data branch (docs/persist-data.md §7). */
export const nodePath = (address: string): string => `nodes/${address.slice(0, 2)}/${address}.json`
/** Path of a pack's LFS pointer on the data branch. */
export const packPath = (oid: string): string => `packs/${oid}`

function fail(source: string, error: z.ZodError): never {
  const issue = error.issues[0]
  throw new InvalidDataManifestError(source, issue.path.join('.'), issue.message)
}

function parseJson(source: string, text: string): unknown {
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new InvalidDataManifestError(source, '', `is not JSON (${(error as Error).message})`)
  }
}

/**
 * Parses and checks a manifest: the schema, then every path (core's repository path check:
 * no empty, `.`, `..` or `.git` segment, no leading `/`, no control character), no path twice
 * (case-insensitively, so a restore on a case-insensitive filesystem cannot merge two files),
 * no file also a directory of another, the layout's own fields (`chunked`: every chunk within
 * its pack, chunk sizes summing to the file size, every pack named in `packs`; `lfs-files`: a
 * safe `root`, `stored` on every file, no chunk and no pack; docs/persist-data.md §9.4). A
 * format-2 manifest (§8.2) is checked the same way for its paths, and each file's tree root must
 * hold the file's bytes (`null` for an empty file); its nodes are checked when they are read
 * (`tree-node.ts` `parseNode`). No request.
 *
 * @param source where the text was read from, for the message.
 * @throws InvalidDataManifestError naming the field and the problem.
 */
export function parseManifest(source: string, text: string | unknown): Manifest {
  const raw = typeof text === 'string' ? parseJson(source, text) : text
  if ((raw as { format?: unknown } | null)?.format === DATA_FORMAT_2) {
    const v2 = manifestV2Schema.safeParse(raw)
    if (!v2.success) fail(source, v2.error)
    checkPaths(source, v2.data.files)
    for (const [i, file] of v2.data.files.entries())
      if ((file.root?.bytes ?? 0) !== file.size)
        throw new InvalidDataManifestError(
          source,
          `files.${i}.root`,
          `holds ${file.root?.bytes ?? 0} bytes, the file ${file.size}`
        )
    return v2.data
  }
  const result = manifestSchema.safeParse(raw)
  if (!result.success) fail(source, result.error)
  const manifest = result.data
  checkLayout(source, manifest)
  checkPaths(source, manifest.files)
  const packs = new Map(manifest.packs.map((p) => [p.oid, p]))
  for (const [i, file] of manifest.files.entries()) {
    let total = 0
    for (const [j, chunk] of file.chunks.entries()) {
      const pack = packs.get(chunk.pack)
      if (!pack)
        throw new InvalidDataManifestError(source, `files.${i}.chunks.${j}.pack`, 'names no pack')
      if (chunk.offset + chunk.length > pack.size)
        throw new InvalidDataManifestError(
          source,
          `files.${i}.chunks.${j}`,
          `ends at byte ${chunk.offset + chunk.length}, past the end of its pack (${pack.size} bytes)`
        )
      total += chunk.size
    }
    if (manifest.layout === 'chunked' && total !== file.size)
      throw new InvalidDataManifestError(
        source,
        `files.${i}.chunks`,
        `chunks hold ${total} bytes, the file ${file.size}`
      )
  }
  return manifest
}

/** Every path safe, none twice (case-insensitively), no file also a directory of another. */
function checkPaths(source: string, files: ReadonlyArray<{ path: string }>): void {
  const seen = new Set<string>()
  for (const [i, file] of files.entries()) {
    const field = `files.${i}.path`
    const reason = unsafePathReason(file.path)
    if (reason !== undefined)
      throw new InvalidDataManifestError(source, field, `"${file.path}" ${reason}`)
    const key = file.path.toLowerCase()
    if (seen.has(key))
      throw new InvalidDataManifestError(source, field, `"${file.path}" is listed twice`)
    seen.add(key)
  }
  for (const path of seen) {
    const parts = path.split('/')
    for (let k = 1; k < parts.length; k++)
      if (seen.has(parts.slice(0, k).join('/')))
        throw new InvalidDataManifestError(
          source,
          'files',
          `"${parts.slice(0, k).join('/')}" is both a file and a directory`
        )
  }
}

/**
 * The fields one layout needs and the other must not have: `chunked` has chunks and packs, no
 * `root` and no `stored`; `lfs-files` has a safe `root` and `stored` on every file, no chunk.
 */
function checkLayout(source: string, manifest: ManifestV1): void {
  const files = manifest.layout === 'lfs-files'
  if (!files) {
    if (manifest.root !== undefined)
      throw new InvalidDataManifestError(source, 'root', 'is only for the lfs-files layout')
    const i = manifest.files.findIndex((f) => f.stored !== undefined)
    if (i >= 0)
      throw new InvalidDataManifestError(source, `files.${i}.stored`, 'is only for lfs-files')
    return
  }
  const reason = unsafePathReason(manifest.root)
  if (reason !== undefined)
    throw new InvalidDataManifestError(source, 'root', `"${String(manifest.root)}" ${reason}`)
  if (manifest.packs.length > 0)
    throw new InvalidDataManifestError(source, 'packs', 'must be empty in the lfs-files layout')
  for (const [i, file] of manifest.files.entries()) {
    if (!file.stored)
      throw new InvalidDataManifestError(source, `files.${i}.stored`, 'is missing (lfs-files)')
    if (file.chunks.length > 0)
      throw new InvalidDataManifestError(source, `files.${i}.chunks`, 'must be empty (lfs-files)')
  }
}

/** Parses and checks `backups/index.json` (schema, safe manifest paths). */
export function parseIndex(source: string, text: string): BackupIndex {
  const result = backupIndexSchema.safeParse(parseJson(source, text))
  if (!result.success) fail(source, result.error)
  for (const [i, b] of result.data.backups.entries())
    if (b.manifest !== manifestPath(b.id))
      throw new InvalidDataManifestError(
        source,
        `backups.${i}.manifest`,
        `is not ${manifestPath(b.id)}`
      )
  return result.data
}

/** The backup summary the index keeps for `manifest`. */
export function summaryOf(manifest: Manifest): BackupSummary {
  return {
    id: manifest.id,
    finishedAt: manifest.finishedAt,
    files: manifest.files.length,
    bytes: manifest.bytes.total,
    newBytes: manifest.bytes.new,
    uploadedBytes: manifest.bytes.uploaded,
    verified: manifest.capture.verified,
    manifest: manifestPath(manifest.id)
  }
}
