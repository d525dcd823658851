/**
 * The files a migration writes: post records and failed positions united by position (the file's
 * record wins), metadata derived again from the result, other documents created or left alone.
 */
import type { ZodError } from 'zod'
import { emptyDocuments, type Documents } from '../../branch-store/branch-store.js'
import { firstIssue } from '../../branch-store/schema-issue.js'
import { InvalidStateDocumentError } from '../../errors.js'
import { albumDirectory, albumFilePath } from '../layout.js'
import type { VariableTarget } from '../legacy.js'
import {
  AlbumMetadataSchema,
  deriveMetadata,
  FailedFileSchema,
  mergeByPosition,
  PostsFileSchema,
  stripDerived,
  type FailedPosition,
  type PostRecord
} from '../models.js'
import { canonical, type Planned } from './plan.js'
import type { FileReport } from './report.js'

type SafeParse<T> = { success: true; data: T } | { success: false; error: ZodError }

interface Where {
  repository: string
  branch: string
}

interface AlbumPlan {
  account: string
  albumId: string
  posts?: Planned
  failed?: Planned
  metadata?: Planned
}

/** Groups the valid variables of album kinds by album; the others by path. */
function group(ok: Planned[]): { albums: Map<string, AlbumPlan>; others: Map<string, Planned[]> } {
  const albums = new Map<string, AlbumPlan>()
  const others = new Map<string, Planned[]>()
  for (const p of ok) {
    const t = p.target as VariableTarget
    if (t.kind === 'posts' || t.kind === 'failed' || t.kind === 'metadata') {
      const key = albumDirectory(t.account as string, t.albumId as string)
      const album = albums.get(key) ?? {
        account: t.account as string,
        albumId: t.albumId as string
      }
      album[t.kind] = p
      albums.set(key, album)
    } else others.set(t.path, [...(others.get(t.path) ?? []), p])
  }
  return { albums, others }
}

function existing<T>(
  where: Where,
  docs: Documents,
  path: string,
  schema: { safeParse(v: unknown): SafeParse<T> }
): T | undefined {
  const value = docs[path]
  if (value === undefined) return undefined
  const parsed = schema.safeParse(value)
  if (parsed.success) return parsed.data
  const { field, problem } = firstIssue(parsed.error)
  throw new InvalidStateDocumentError(
    where.repository,
    where.branch,
    path,
    field,
    `${problem}; fix the file before migrating into it`,
    'read'
  )
}

/** The files a migration writes, given the documents on the branch. */
export function buildFiles(
  where: Where,
  ok: Planned[],
  docs: Documents,
  now: string
): { write: Record<string, unknown>; files: FileReport[] } {
  const write = emptyDocuments()
  const files: FileReport[] = []
  const put = (
    path: string,
    value: unknown,
    sources: string[]
  ): 'create' | 'update' | 'unchanged' => {
    const before = docs[path]
    const action =
      before === undefined
        ? 'create'
        : canonical(before) === canonical(value)
          ? 'unchanged'
          : 'update'
    if (action !== 'unchanged') write[path] = value
    files.push({
      path,
      sources,
      action,
      bytes: Buffer.byteLength(`${JSON.stringify(value, null, 2)}\n`)
    })
    return action
  }
  const { albums, others } = group(ok)

  for (const album of albums.values()) {
    const { account, albumId } = album
    const postsPath = albumFilePath(account, albumId, 'posts')
    const failedPath = albumFilePath(account, albumId, 'failed')
    const metaPath = albumFilePath(account, albumId, 'metadata')
    const filePosts = existing(where, docs, postsPath, PostsFileSchema)
    const fileFailed = existing(where, docs, failedPath, FailedFileSchema)
    const fileMeta = existing(where, docs, metaPath, AlbumMetadataSchema.partial())

    const legacyPosts =
      album.posts?.value?.ok && album.posts.value.kind === 'posts' ? album.posts.value.records : []
    const legacyFailed =
      album.failed?.value?.ok && album.failed.value.kind === 'failed'
        ? album.failed.value.records
        : []
    const legacyMeta =
      album.metadata?.value?.ok && album.metadata.value.kind === 'metadata'
        ? album.metadata.value.object
        : {}

    // The file's record wins on a shared position: it is the newer store.
    const posts: PostRecord[] = mergeByPosition(legacyPosts, filePosts ?? [])
    const failed: FailedPosition[] = mergeByPosition(legacyFailed, fileFailed ?? [])
    if (album.posts || filePosts) {
      const a = put(postsPath, posts, album.posts ? [album.posts.variable.name] : [])
      if (album.posts) album.posts.report.action = a === 'update' ? 'merge' : a
    }
    if (album.failed || fileFailed) {
      const a = put(failedPath, failed, album.failed ? [album.failed.variable.name] : [])
      if (album.failed) album.failed.report.action = a === 'update' ? 'merge' : a
    }
    const base = { ...stripDerived(legacyMeta), ...stripDerived(fileMeta ?? {}) }
    let meta: Record<string, unknown> = deriveMetadata(account, albumId, posts, failed, base, now)
    // Same facts as the stored metadata: keep it (and its updated_at) rather than rewrite it.
    if (
      fileMeta &&
      canonical({ ...meta, updated_at: null }) === canonical({ ...fileMeta, updated_at: null })
    )
      meta = fileMeta
    const a = put(metaPath, meta, album.metadata ? [album.metadata.variable.name] : [])
    if (album.metadata) album.metadata.report.action = a === 'update' ? 'merge' : a
  }

  for (const [path, list] of others) {
    const before = docs[path]
    const first = list[0]
    const value = first.value?.ok
      ? first.value.kind === 'json'
        ? first.value.value
        : 'object' in first.value
          ? first.value.object
          : undefined
      : undefined
    const names = list.map((p) => p.variable.name)
    if (list.length > 1 || (before !== undefined && canonical(before) !== canonical(value))) {
      files.push({ path, sources: names, action: 'conflict', bytes: 0 })
      for (const p of list) {
        p.report.action = 'conflict'
        p.report.problem =
          list.length > 1
            ? `${names.length} variables map to ${path}; none is migrated`
            : `${path} already holds different data; the file is left as it is`
      }
      continue
    }
    first.report.action = put(path, value, names) === 'create' ? 'create' : 'unchanged'
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
  return { write, files }
}
