/**
 * `migrate-state`: moves automation state from repository variables to JSON files on a branch
 * without a way to lose data.
 *
 * - `analyze`: what exists, sizes, invalid JSON, where each variable would go. Reads only.
 * - `migrate`: every valid variable into its file, all in ONE commit (dry run: no write at all).
 *   A file that already exists is merged, never overwritten: post records and failed positions
 *   are united by position (the file's record wins), metadata is derived again from the result,
 *   and a differing `json`/`config` document is left alone and reported as a conflict.
 * - `validate`: every variable against its file (basic fields of every post, every failed
 *   position, every non-derived metadata field, JSON equality otherwise).
 * - `cleanup`: commits a backup of EVERY variable to `backups/variables-<timestamp>.json`,
 *   validated in the same compare-and-swap as the backup commit, then deletes only variables
 *   whose file validates and whose value has not changed since it was listed.
 * - `rollback`: recreates the variables of the latest backup that no longer exist, byte-identical.
 *
 * Cost with the default GraphQL transport: ⌈V/30⌉ variable pages, then — branch absent — 1 query
 * + 3 writes (orphan tree, commit, ref), or — branch present — ⌈files/100⌉ queries + 1
 * `createCommitOnBranch`. Dry runs write nothing. `cleanup` adds its backup commit, then 1 read +
 * 1 delete per deleted variable.
 */
import type { ZodError } from 'zod'
import { contextNow, repositoryName, type RepoContext } from '../github/context.js'
import { BackupNotFoundError, InvalidStateDocumentError } from '../github/errors.js'
import { BranchStore, type BranchStoreOptions, type Documents } from './branch-store.js'
import {
  BACKUP_DIRECTORY,
  BACKUP_FORMAT,
  DEFAULT_STATE_BRANCH,
  VARIABLE_VALUE_MAX_BYTES
} from './constants.js'
import { albumDirectory, albumFilePath } from './layout.js'
import {
  compileMapping,
  readLegacyValue,
  recordCount,
  type LegacyKind,
  type LegacyValue,
  type MappingFile,
  type VariableTarget
} from './legacy.js'
import {
  AlbumMetadataSchema,
  basicPost,
  DERIVED_METADATA_FIELDS,
  deriveMetadata,
  FailedFileSchema,
  firstIssue,
  mergeByPosition,
  PostsFileSchema,
  type FailedPosition,
  type PostRecord
} from './models.js'
import { RepositoryVariables, type LegacyVariable, type VariableSource } from './variables.js'

/** The five commands. */
export const MIGRATION_COMMANDS = ['analyze', 'migrate', 'validate', 'cleanup', 'rollback'] as const
export type MigrationCommand = (typeof MIGRATION_COMMANDS)[number]

/** Options of every migration command; all optional. */
export interface MigrationOptions {
  /** State branch (default `automation-state`). */
  branch?: string
  /** Mapping of variable names to paths (JSON text or object); default {@link DEFAULT_MAPPING_RULES}. */
  mapping?: string | MappingFile | null
  /** Write nothing, report what would happen. Default `true` for `migrate` and `cleanup`, else `false`. */
  dryRun?: boolean
  /** Where variables are read from (default: the variables API of `ctx`). */
  source?: VariableSource
  /** The variables API used by `cleanup` and `rollback` to re-read, delete and recreate. */
  variables?: RepositoryVariables
  /** Branch store tuning (read/commit transport, retries, branch creation). */
  store?: Omit<BranchStoreOptions, 'branch' | 'schemas'>
  /** Clock for timestamps and the backup name (default `() => new Date()`). */
  now?: () => Date
}

/** One variable in a report. */
export interface VariableReport {
  name: string
  /** UTF-8 bytes of the value */
  bytes: number
  /** target path; `null` when no mapping rule matches */
  path: string | null
  kind: LegacyKind | null
  /** `ok`: readable and mapped; otherwise why it is left as it is */
  status: 'ok' | 'invalid_json' | 'invalid_shape' | 'unmapped'
  /** post records, positions, keys (1 for other JSON) */
  records: number
  problem?: string
  /** over 48 KB: the variable could not be written back by `rollback` */
  warning?: string
  /** `migrate`/`analyze`: what the file gets */
  action?: 'create' | 'merge' | 'unchanged' | 'conflict'
  /** `validate`/`cleanup`: differences between the variable and its file (empty = valid) */
  mismatches?: string[]
  /** `cleanup`/`rollback`: what happened to the variable */
  outcome?:
    'deleted' | 'kept' | 'would_delete' | 'restored' | 'would_restore' | 'unchanged' | 'differs'
  /** why `outcome` is `kept` or `differs` */
  reason?: string
}

/** One file in a report. */
export interface FileReport {
  path: string
  /** the variables it is made from */
  sources: string[]
  action: 'create' | 'update' | 'unchanged' | 'conflict'
  /** bytes of the file as (it would be) written */
  bytes: number
}

/** What a command found and did; the `report` output of the action. */
export interface MigrationReport {
  command: MigrationCommand
  repository: string
  branch: string
  dryRun: boolean
  /** `rest` or `json` (vars-json) */
  source: 'rest' | 'json'
  generatedAt: string
  variables: VariableReport[]
  files: FileReport[]
  totals: {
    variables: number
    bytes: number
    mapped: number
    invalid: number
    unmapped: number
    files: number
    /** variables whose data is (or, dry run, would be) in their file */
    migrated: number
    /** variables whose file does not hold their data */
    mismatches: number
    deleted: number
    restored: number
  }
  /** the commit made (`migrate`: the migration; `cleanup`: the backup); `null` when none */
  commitSha: string | null
  /** `cleanup`: the backup written (or that would be); `rollback`: the backup read */
  backupPath: string | null
  /** HTTP requests the command spent */
  requests: number
}

/** A variables backup file (`backups/variables-<timestamp>.json`). */
export interface VariablesBackup {
  format: typeof BACKUP_FORMAT
  repository: string
  created_at: string
  variables: LegacyVariable[]
}

interface Planned {
  variable: LegacyVariable
  report: VariableReport
  target: VariableTarget | null
  value: LegacyValue | null
}

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

/**
 * Runs one migration command. See the module comment for what each does.
 *
 * @throws InvalidMappingError (bad mapping), VariablesAccessError (the token cannot read
 *   variables: pass `source: variableSourceFromJson(vars)`), InvalidStateDocumentError (an
 *   existing file `migrate` must merge into is not valid JSON of its kind), BackupNotFoundError
 *   (`rollback` without a backup), StateConflictError, GitHubRequestError.
 */
export async function runMigration(
  ctx: RepoContext,
  command: MigrationCommand,
  options: MigrationOptions = {}
): Promise<MigrationReport> {
  const start = ctx.octokit.hubstore.requests
  const now = options.now ? options.now() : contextNow(ctx)
  const dryRun = options.dryRun ?? (command === 'migrate' || command === 'cleanup')
  const branch = options.branch ?? DEFAULT_STATE_BRANCH
  const store = new BranchStore(ctx, { ...options.store, branch })
  const api = options.variables ?? new RepositoryVariables(ctx)
  const source = options.source ?? api
  const report: MigrationReport = {
    command,
    repository: repositoryName(ctx),
    branch,
    dryRun,
    source: source.kind,
    generatedAt: now.toISOString(),
    variables: [],
    files: [],
    totals: {
      variables: 0,
      bytes: 0,
      mapped: 0,
      invalid: 0,
      unmapped: 0,
      files: 0,
      migrated: 0,
      mismatches: 0,
      deleted: 0,
      restored: 0
    },
    commitSha: null,
    backupPath: null,
    requests: 0
  }
  const finish = (): MigrationReport => {
    summarise(report)
    report.requests = ctx.octokit.hubstore.requests - start
    return report
  }

  if (command === 'rollback') {
    await rollback(store, api, report, dryRun)
    return finish()
  }

  const mapping = compileMapping(options.mapping)
  const variables = await source.list()
  const planned = variables.map((variable) =>
    planVariable(variable, mapping.target(variable.name), now)
  )
  report.variables = planned.map((p) => p.report)
  const ok = planned.filter((p) => p.report.status === 'ok')
  const paths = targetPaths(ok)
  const stamp = now.toISOString()

  if (command === 'analyze' || (command === 'migrate' && dryRun)) {
    const docs = await readDocuments(store, paths)
    const built = buildFiles(report, ok, docs, stamp)
    report.files = built.files
    return finish()
  }

  if (command === 'migrate') {
    let built: ReturnType<typeof buildFiles> | undefined
    const result = await store.update(paths, (docs) => {
      built = buildFiles(report, ok, docs, stamp)
      const write = built.write
      const n = Object.keys(write).length
      if (n === 0) return undefined
      return {
        write,
        message:
          `migrate-state: migrate ${ok.length} variable(s) into ${n} file(s)\n\n` +
          `From the repository variables of ${repositoryName(ctx)} (hubstore migrate-state).`
      }
    })
    report.files = built?.files ?? []
    report.commitSha = result.commitSha
    return finish()
  }

  // validate and cleanup
  const validatePaths = [
    ...new Set([
      ...paths,
      ...ok.filter((p) => p.target?.kind === 'failed').map((p) => postsPathOf(p))
    ])
  ]
  if (command === 'validate' || dryRun) {
    const docs = await readDocuments(store, validatePaths)
    validateAll(ok, docs)
    if (command === 'cleanup') {
      report.backupPath = backupPath(now)
      for (const p of ok)
        if (p.report.mismatches?.length === 0) p.report.outcome = 'would_delete'
        else p.report.outcome = 'kept'
    }
    return finish()
  }

  // cleanup, for real. Deleting needs the variables API: when the variables were read from
  // elsewhere (vars-json), prove access before anything is written (1 request).
  if (source !== api && ok[0]) await api.get(ok[0].variable.name)
  // The backup commit is guarded by the head the validation read.
  const path = backupPath(now)
  const backup: VariablesBackup = {
    format: BACKUP_FORMAT,
    repository: repositoryName(ctx),
    created_at: stamp,
    variables
  }
  const result = await store.update(validatePaths, (docs) => {
    for (const p of ok) delete p.report.mismatches
    validateAll(ok, docs)
    return {
      write: { [path]: backup },
      message:
        `migrate-state: back up ${variables.length} variable(s) before cleanup\n\n` +
        `${ok.filter((p) => p.report.mismatches?.length === 0).length} variable(s) validate against their files.`
    }
  })
  report.commitSha = result.commitSha
  report.backupPath = path
  for (const p of planned)
    if (p.report.status !== 'ok') {
      p.report.outcome = 'kept'
      p.report.reason = p.report.problem ?? p.report.status
    }
  for (const p of ok) {
    if (p.report.mismatches?.length) {
      p.report.outcome = 'kept'
      p.report.reason = 'its file does not hold its data'
      continue
    }
    // Re-read right before deleting: a value changed since it was listed is newer than the file.
    const current = await api.get(p.variable.name)
    if (current === undefined) {
      p.report.outcome = 'kept'
      p.report.reason = 'already gone'
    } else if (current.value !== p.variable.value) {
      p.report.outcome = 'kept'
      p.report.reason = 'changed since it was read'
    } else {
      await api.delete(p.variable.name)
      p.report.outcome = 'deleted'
    }
  }
  return finish()
}

function planVariable(variable: LegacyVariable, target: VariableTarget | null, now: Date): Planned {
  const bytes = Buffer.byteLength(variable.value, 'utf8')
  const report: VariableReport = {
    name: variable.name,
    bytes,
    path: target?.path ?? null,
    kind: target?.kind ?? null,
    status: 'unmapped',
    records: 0
  }
  if (bytes > VARIABLE_VALUE_MAX_BYTES)
    report.warning = `${bytes} bytes is over GitHub's ${VARIABLE_VALUE_MAX_BYTES}-byte variable limit`
  if (!target) {
    report.problem = 'no mapping rule matches this name; it is left alone'
    return { variable, report, target, value: null }
  }
  const value = readLegacyValue(variable.name, variable.value, target, now.toISOString())
  if (!value.ok) {
    report.status = value.status
    report.problem = value.problem
  } else {
    report.status = 'ok'
    report.records = recordCount(value)
  }
  return { variable, report, target, value }
}

function postsPathOf(p: Planned): string {
  const t = p.target as VariableTarget
  return albumFilePath(t.account as string, t.albumId as string, 'posts')
}

/** Every file the valid variables touch (album kinds always touch all three album files). */
function targetPaths(ok: Planned[]): string[] {
  const paths = new Set<string>()
  for (const p of ok) {
    const t = p.target as VariableTarget
    if (t.kind === 'posts' || t.kind === 'failed' || t.kind === 'metadata')
      for (const kind of ['posts', 'failed', 'metadata'] as const)
        paths.add(albumFilePath(t.account as string, t.albumId as string, kind))
    else paths.add(t.path)
  }
  return [...paths]
}

async function readDocuments(store: BranchStore, paths: string[]): Promise<Documents> {
  const found = await store.getMany(paths)
  const docs: Documents = {}
  for (const [path, doc] of found) docs[path] = doc.value
  return docs
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
function buildFiles(
  where: Where,
  ok: Planned[],
  docs: Documents,
  now: string
): { write: Record<string, unknown>; files: FileReport[] } {
  const write: Record<string, unknown> = {}
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

function stripDerived(meta: Record<string, unknown>): Record<string, unknown> {
  const out = { ...meta }
  for (const k of [...DERIVED_METADATA_FIELDS, 'album_id', 'account', 'updated_at']) delete out[k]
  return out
}

/** Compares every valid variable with its file; fills `mismatches`. */
function validateAll(ok: Planned[], docs: Documents): void {
  for (const p of ok) p.report.mismatches = validateOne(p, docs)
}

function validateOne(p: Planned, docs: Documents): string[] {
  const t = p.target as VariableTarget
  const value = p.value as LegacyValue
  const file = docs[t.path]
  if (file === undefined) return [`${t.path} does not exist`]
  if (!value.ok) return []
  if (value.kind === 'posts') {
    if (!Array.isArray(file)) return [`${t.path} is not an array`]
    const byPosition = new Map<number, Record<string, unknown>>()
    for (const r of file)
      if (r && typeof r === 'object' && typeof (r as { position?: unknown }).position === 'number')
        byPosition.set((r as { position: number }).position, r as Record<string, unknown>)
    const out: string[] = []
    for (const legacy of value.records) {
      const found = byPosition.get(legacy.position)
      if (!found) {
        out.push(`position ${legacy.position}: missing from ${t.path}`)
        continue
      }
      let fileBasic: ReturnType<typeof basicPost>
      try {
        fileBasic = basicPost(found)
      } catch {
        out.push(`position ${legacy.position}: the file's record is not a post record`)
        continue
      }
      const want = basicPost(legacy)
      for (const key of ['photo_id', 'instagram_post_id', 'posted_at'] as const)
        if (want[key] !== fileBasic[key])
          out.push(
            `position ${legacy.position}: ${key} is ${JSON.stringify(fileBasic[key])} in the file, ` +
              `${JSON.stringify(want[key])} in the variable`
          )
    }
    return out
  }
  if (value.kind === 'failed') {
    if (!Array.isArray(file)) return [`${t.path} is not an array`]
    const failedPositions = new Set(file.map((r) => (r as { position?: unknown })?.position))
    const posts = docs[postsPathOf(p)]
    const posted = new Set(
      Array.isArray(posts)
        ? posts
            .filter((r) => (r as { status?: unknown })?.status === 'posted')
            .map((r) => (r as { position?: unknown }).position)
        : []
    )
    // A failed position posted since the migration is superseded, not lost.
    return value.records
      .filter((r) => !failedPositions.has(r.position) && !posted.has(r.position))
      .map((r) => `position ${r.position}: missing from ${t.path}`)
  }
  if (value.kind === 'metadata') {
    if (typeof file !== 'object' || file === null || Array.isArray(file))
      return [`${t.path} is not an object`]
    const out: string[] = []
    for (const [k, v] of Object.entries(stripDerived(value.object)))
      if (canonical((file as Record<string, unknown>)[k]) !== canonical(v))
        out.push(
          `${k} is ${JSON.stringify((file as Record<string, unknown>)[k])} in the file, ${JSON.stringify(v)} in the variable`
        )
    return out
  }
  const expected = value.kind === 'json' ? value.value : value.object
  return canonical(file) === canonical(expected) ? [] : [`${t.path} differs from the variable`]
}

async function rollback(
  store: BranchStore,
  api: RepositoryVariables,
  report: MigrationReport,
  dryRun: boolean
): Promise<void> {
  const entries = await store.listDirectory(BACKUP_DIRECTORY)
  const names = entries
    .filter((e) => e.type === 'file' && /^variables-.+\.json$/.test(e.name))
    .map((e) => e.path)
    .sort()
  const latest = names[names.length - 1]
  if (!latest) throw new BackupNotFoundError(report.repository, report.branch)
  report.backupPath = latest
  const doc = await store.get<VariablesBackup>(latest)
  const backup = doc?.value
  if (!backup || backup.format !== BACKUP_FORMAT || !Array.isArray(backup.variables))
    throw new InvalidStateDocumentError(
      report.repository,
      report.branch,
      latest,
      'format',
      `not a ${BACKUP_FORMAT} file`,
      'read'
    )
  const current = new Map((await api.list()).map((v) => [v.name.toUpperCase(), v]))
  for (const v of backup.variables) {
    const entry: VariableReport = {
      name: v.name,
      bytes: Buffer.byteLength(v.value, 'utf8'),
      path: latest,
      kind: null,
      status: 'ok',
      records: 0
    }
    report.variables.push(entry)
    const now = current.get(v.name.toUpperCase())
    if (now === undefined) {
      if (dryRun) entry.outcome = 'would_restore'
      else {
        await api.create(v.name, v.value)
        entry.outcome = 'restored'
      }
    } else if (now.value === v.value) entry.outcome = 'unchanged'
    else {
      entry.outcome = 'differs'
      entry.reason = 'the variable exists with another value; it is left as it is'
    }
  }
}

function summarise(report: MigrationReport): void {
  const v = report.variables
  const t = report.totals
  t.variables = v.length
  t.bytes = v.reduce((n, x) => n + x.bytes, 0)
  t.mapped = v.filter((x) => x.path !== null && report.command !== 'rollback').length
  t.invalid = v.filter((x) => x.status === 'invalid_json' || x.status === 'invalid_shape').length
  t.unmapped = v.filter((x) => x.status === 'unmapped').length
  t.files = report.files.length
  t.migrated = v.filter(
    (x) =>
      x.status === 'ok' &&
      (x.action === 'create' ||
        x.action === 'merge' ||
        x.action === 'unchanged' ||
        (x.mismatches && x.mismatches.length === 0))
  ).length
  t.mismatches = v.filter((x) => (x.mismatches?.length ?? 0) > 0).length
  t.deleted = v.filter((x) => x.outcome === 'deleted').length
  t.restored = v.filter((x) => x.outcome === 'restored').length
}

/** `backups/variables-2025-01-02T03-04-05-678Z.json`: sortable, no `:` in the name. */
export function backupPath(at: Date): string {
  return `${BACKUP_DIRECTORY}/variables-${at.toISOString().replace(/[:.]/g, '-')}.json`
}

/** JSON with sorted keys, for equality. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) =>
            a < b ? -1 : a > b ? 1 : 0
          )
        )
      : v
  )
}
