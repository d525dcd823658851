/**
 * The automation-state layer: one `StateStorageAdapter` interface, three backends.
 *
 * - `git`: the documents of layout.ts on a state branch; every album write is one commit that
 *   also rewrites `metadata.json` from the posts (so counts never drift), guarded by the head.
 * - `repository_variables`: the legacy variables (`<ACCOUNT>_ALBUM_<ID>_POSTS` …), basic fields
 *   only, 48 KB per value, no compare-and-swap (last writer wins).
 * - `auto`: git first; with `parallelWrites` (or `migrationMode`) every write is mirrored to the
 *   variables; with `migrationMode` albums not migrated yet are read from the variables; with
 *   `fallbackToLegacy` a failing git call is retried on the variables.
 */
import { contextNow, repositoryName, type RepoContext } from '../github/context.js'
import { isHubstoreError, StateStorageConfigError } from '../github/errors.js'
import { BranchStore, type BranchStoreOptions } from './branch-store.js'
import { DEFAULT_STATE_BRANCH } from './constants.js'
import { albumFilePath, legacyVariableName, normaliseAccount, normaliseAlbumId } from './layout.js'
import { readLegacyValue } from './legacy.js'
import {
  AlbumMetadataSchema,
  basicPost,
  DERIVED_METADATA_FIELDS,
  deriveMetadata,
  FailedFileSchema,
  PostsFileSchema,
  AccountConfigSchema,
  type AlbumMetadata,
  type FailedPosition,
  type PostRecord
} from './models.js'
import { RepositoryVariables, checkSize } from './variables.js'

/** `STORAGE_BACKEND` values. */
export const STORAGE_BACKENDS = ['git', 'repository_variables', 'auto'] as const
export type StorageBackend = (typeof STORAGE_BACKENDS)[number]

/** One album's three documents. */
export interface AlbumState {
  posts: PostRecord[]
  failed: FailedPosition[]
  /** `null` until first written */
  metadata: AlbumMetadata | null
}

/** What a change to an album returns; omitted parts stay as they are. */
export interface AlbumChange {
  posts?: PostRecord[]
  failed?: FailedPosition[]
  /** non-derived metadata fields (`total_photos`, `workflow_runs_count`, extras) */
  metadata?: Partial<AlbumMetadata>
}

/** Where automation state is read and written. */
export interface StateStorageAdapter {
  readonly backend: StorageBackend
  /** The album's post records, sorted by position (`[]` when none). */
  readPosts(account: string, albumId: string): Promise<PostRecord[]>
  /** Replaces the album's post records. */
  writePosts(account: string, albumId: string, posts: PostRecord[]): Promise<void>
  /** The album's outstanding failed positions (`[]` when none). */
  readFailedPositions(account: string, albumId: string): Promise<FailedPosition[]>
  /** Replaces the album's failed positions. */
  writeFailedPositions(account: string, albumId: string, failed: FailedPosition[]): Promise<void>
  /** The album's metadata, or `null`. */
  readMetadata(account: string, albumId: string): Promise<AlbumMetadata | null>
  /** Sets non-derived metadata fields; the counts are always derived from the posts again. */
  writeMetadata(account: string, albumId: string, metadata: Partial<AlbumMetadata>): Promise<void>
  /**
   * Read-modify-write of one album. On `git` a compare-and-swap: when another writer commits
   * first, `change` runs again on the fresh state, so no update is lost. On variables the
   * writes are last-writer-wins. Returns the album as written.
   */
  updateAlbum(
    account: string,
    albumId: string,
    change: (album: AlbumState) => AlbumChange | undefined | Promise<AlbumChange | undefined>
  ): Promise<AlbumState>
  /** Checks the backend is reachable with this token; throws `STATE_STORAGE_CONFIG` if not. */
  validate(): Promise<void>
}

/** Settings of the automation-state layer (environment variable names in brackets). */
export interface StateStorageConfig {
  /** [`STORAGE_BACKEND`] default `auto` */
  backend: StorageBackend
  /** [`ENABLE_PARALLEL_WRITES`] mirror every git write to the variables; default `false` */
  parallelWrites: boolean
  /** [`STORAGE_BRANCH`] default `automation-state` */
  branch: string
  /** [`MIGRATION_MODE`] parallel writes + read not-yet-migrated albums from the variables; default `false` */
  migrationMode: boolean
  /** [`ENHANCED_METADATA_ENABLED`] rewrite `metadata.json` with every album write; default `true` */
  enhancedMetadata: boolean
  /** [`RETRY_TRACKING_ENABLED`] keep `retry_count` / `retry_history` on post records; default `true` */
  retryTracking: boolean
  /** [`VALIDATE_STORAGE_ON_STARTUP`] check the backends in `createStateStorage`; default `true` */
  validateOnStartup: boolean
  /** [`FALLBACK_TO_LEGACY_ON_ERROR`] on a failing git call use the variables; default `false` */
  fallbackToLegacy: boolean
}

/** Defaults of {@link StateStorageConfig}. */
export const STATE_STORAGE_DEFAULTS: StateStorageConfig = {
  backend: 'auto',
  parallelWrites: false,
  branch: DEFAULT_STATE_BRANCH,
  migrationMode: false,
  enhancedMetadata: true,
  retryTracking: true,
  validateOnStartup: true,
  fallbackToLegacy: false
}

/** Environment variable of each setting. */
export const STATE_STORAGE_ENV = {
  backend: 'STORAGE_BACKEND',
  parallelWrites: 'ENABLE_PARALLEL_WRITES',
  branch: 'STORAGE_BRANCH',
  migrationMode: 'MIGRATION_MODE',
  enhancedMetadata: 'ENHANCED_METADATA_ENABLED',
  retryTracking: 'RETRY_TRACKING_ENABLED',
  validateOnStartup: 'VALIDATE_STORAGE_ON_STARTUP',
  fallbackToLegacy: 'FALLBACK_TO_LEGACY_ON_ERROR'
} as const satisfies Record<keyof StateStorageConfig, string>

/**
 * Reads the settings from environment variables (unset or empty = default). Booleans accept
 * `true/false`, `1/0`, `yes/no`, `on/off` in any case. @throws StateStorageConfigError naming
 * the variable for anything else.
 */
export function stateStorageConfigFromEnv(
  env: Record<string, string | undefined> = process.env
): StateStorageConfig {
  const config = { ...STATE_STORAGE_DEFAULTS }
  for (const [key, name] of Object.entries(STATE_STORAGE_ENV) as Array<
    [keyof StateStorageConfig, string]
  >) {
    const raw = env[name]?.trim()
    if (!raw) continue
    if (key === 'backend') {
      const value = raw.toLowerCase()
      if (!(STORAGE_BACKENDS as readonly string[]).includes(value))
        throw new StateStorageConfigError(
          name,
          `is "${raw}"`,
          `Set it to one of ${STORAGE_BACKENDS.join(', ')}.`
        )
      config.backend = value as StorageBackend
    } else if (key === 'branch') config.branch = raw
    else {
      const value = parseBoolean(raw)
      if (value === undefined)
        throw new StateStorageConfigError(
          name,
          `is "${raw}", not a boolean`,
          'Set it to true or false.'
        )
      config[key] = value
    }
  }
  return config
}

function parseBoolean(raw: string): boolean | undefined {
  const v = raw.toLowerCase()
  if (['true', '1', 'yes', 'on'].includes(v)) return true
  if (['false', '0', 'no', 'off'].includes(v)) return false
  return undefined
}

/** Options of {@link createStateStorage}: settings override the environment. */
export interface CreateStateStorageOptions extends Partial<StateStorageConfig> {
  /** Environment to read settings from (default `process.env`; `{}` to ignore it). */
  env?: Record<string, string | undefined>
  /** Branch store tuning (transport, retries, branch creation). */
  store?: Omit<BranchStoreOptions, 'branch' | 'schemas'>
  /** Told about fallbacks and failed mirror writes (default: nothing). */
  onWarning?: (message: string) => void
}

/** The schemas of the automation layout, for {@link BranchStore}. */
export const AUTOMATION_STATE_SCHEMAS = {
  '*-account/album-*/posts.json': PostsFileSchema,
  '*-account/album-*/failed.json': FailedFileSchema,
  '*-account/album-*/metadata.json': AlbumMetadataSchema,
  '*-account/global/config.json': AccountConfigSchema
}

/**
 * Builds the adapter the settings ask for (environment first, then `options`), and with
 * `validateOnStartup` checks it can reach its backends before returning.
 *
 * @throws StateStorageConfigError for a bad setting or a failed startup check.
 */
export async function createStateStorage(
  ctx: RepoContext,
  options: CreateStateStorageOptions = {}
): Promise<StateStorageAdapter & { config: StateStorageConfig }> {
  const { env, store, onWarning, ...overrides } = options
  const config: StateStorageConfig = {
    ...stateStorageConfigFromEnv(env ?? process.env),
    ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined))
  }
  const now = () => contextNow(ctx).toISOString()
  const git = () =>
    new GitStateAdapter(
      new BranchStore(ctx, { ...store, branch: config.branch, schemas: AUTOMATION_STATE_SCHEMAS }),
      {
        enhancedMetadata: config.enhancedMetadata,
        now
      }
    )
  const legacy = () => new VariablesStateAdapter(new RepositoryVariables(ctx), { now })
  let adapter: StateStorageAdapter
  if (config.backend === 'git') adapter = git()
  else if (config.backend === 'repository_variables') adapter = legacy()
  else
    adapter = new AutoStateAdapter(git(), legacy(), {
      parallelWrites: config.parallelWrites || config.migrationMode,
      migrationMode: config.migrationMode,
      fallbackToLegacy: config.fallbackToLegacy,
      onWarning: onWarning ?? (() => undefined)
    })
  if (config.validateOnStartup) await adapter.validate()
  return Object.assign(adapter, { config })
}

// ---------------------------------------------------------------------------------------------
// git
// ---------------------------------------------------------------------------------------------

/** The `git` backend: the album files on a state branch. */
export class GitStateAdapter implements StateStorageAdapter {
  readonly backend = 'git' as const
  constructor(
    readonly store: BranchStore,
    private readonly options: { enhancedMetadata?: boolean; now?: () => string } = {}
  ) {}

  private now(): string {
    return (this.options.now ?? (() => new Date().toISOString()))()
  }

  private paths(account: string, albumId: string) {
    return {
      posts: albumFilePath(account, albumId, 'posts'),
      failed: albumFilePath(account, albumId, 'failed'),
      metadata: albumFilePath(account, albumId, 'metadata')
    }
  }

  async readPosts(account: string, albumId: string): Promise<PostRecord[]> {
    return (
      (await this.store.get<PostRecord[]>(this.paths(account, albumId).posts))?.value ?? []
    ).slice()
  }

  async readFailedPositions(account: string, albumId: string): Promise<FailedPosition[]> {
    return (
      (await this.store.get<FailedPosition[]>(this.paths(account, albumId).failed))?.value ?? []
    ).slice()
  }

  async readMetadata(account: string, albumId: string): Promise<AlbumMetadata | null> {
    return (
      (await this.store.get<AlbumMetadata>(this.paths(account, albumId).metadata))?.value ?? null
    )
  }

  async readAlbum(account: string, albumId: string): Promise<AlbumState> {
    const p = this.paths(account, albumId)
    const docs = await this.store.getMany([p.posts, p.failed, p.metadata])
    return {
      posts: (docs.get(p.posts)?.value as PostRecord[] | undefined) ?? [],
      failed: (docs.get(p.failed)?.value as FailedPosition[] | undefined) ?? [],
      metadata: (docs.get(p.metadata)?.value as AlbumMetadata | undefined) ?? null
    }
  }

  async writePosts(account: string, albumId: string, posts: PostRecord[]): Promise<void> {
    await this.updateAlbum(account, albumId, () => ({ posts }))
  }

  async writeFailedPositions(
    account: string,
    albumId: string,
    failed: FailedPosition[]
  ): Promise<void> {
    await this.updateAlbum(account, albumId, () => ({ failed }))
  }

  async writeMetadata(
    account: string,
    albumId: string,
    metadata: Partial<AlbumMetadata>
  ): Promise<void> {
    await this.updateAlbum(account, albumId, () => ({ metadata }), { forceMetadata: true })
  }

  /**
   * One commit per change: the changed documents plus `metadata.json` derived from the result
   * (with `enhancedMetadata`, or when metadata is written). Cost: 2 requests per attempt.
   * `seed` supplies the album when none of its files exist yet (migration mode).
   */
  async updateAlbum(
    account: string,
    albumId: string,
    change: (album: AlbumState) => AlbumChange | undefined | Promise<AlbumChange | undefined>,
    options: { forceMetadata?: boolean; seed?: () => Promise<AlbumState | null> } = {}
  ): Promise<AlbumState> {
    const acc = normaliseAccount(account)
    const album = normaliseAlbumId(albumId)
    const p = this.paths(acc, album)
    let written: AlbumState = { posts: [], failed: [], metadata: null }
    await this.store.update([p.posts, p.failed, p.metadata], async (docs) => {
      let current: AlbumState = {
        posts: (docs[p.posts] as PostRecord[] | undefined) ?? [],
        failed: (docs[p.failed] as FailedPosition[] | undefined) ?? [],
        metadata: (docs[p.metadata] as AlbumMetadata | undefined) ?? null
      }
      const fresh =
        docs[p.posts] === undefined &&
        docs[p.failed] === undefined &&
        docs[p.metadata] === undefined
      if (fresh && options.seed) current = (await options.seed()) ?? current
      const delta = await change(structuredClone(current))
      const posts = sortByPosition(delta?.posts ?? current.posts)
      const failed = sortByPosition(delta?.failed ?? current.failed)
      const write: Record<string, unknown> = {}
      if (delta?.posts || (fresh && current.posts.length)) write[p.posts] = posts
      if (delta?.failed || (fresh && current.failed.length)) write[p.failed] = failed
      let metadata = current.metadata
      if (
        delta &&
        (this.options.enhancedMetadata !== false || options.forceMetadata || delta.metadata)
      ) {
        const base = { ...(current.metadata ?? {}), ...stripDerived(delta.metadata ?? {}) }
        const next = deriveMetadata(acc, album, posts, failed, base, this.now())
        const same =
          current.metadata &&
          JSON.stringify({ ...next, updated_at: null }) ===
            JSON.stringify({ ...current.metadata, updated_at: null })
        if (!same) {
          metadata = next
          write[p.metadata] = next
        }
      }
      written = { posts, failed, metadata }
      return Object.keys(write).length
        ? { write, message: `hubstore state: update ${acc}-account/album-${album}` }
        : undefined
    })
    return written
  }

  async validate(): Promise<void> {
    try {
      await this.store.head()
    } catch (error) {
      throw new StateStorageConfigError(
        'git backend',
        `cannot read branch ${this.store.branch} of ${repositoryName(this.store.ctx)}: ${(error as Error).message}`,
        'Give the token contents: write on the repository (GITHUB_TOKEN with `permissions: contents: write` is enough).',
        { cause: error }
      )
    }
  }
}

// ---------------------------------------------------------------------------------------------
// repository_variables (legacy)
// ---------------------------------------------------------------------------------------------

/**
 * The legacy backend: `<ACCOUNT>_ALBUM_<ID>_POSTS` holds the basic fields of each record
 * (`position, photo_id, instagram_post_id, posted_at`), `_FAILED` an array of positions,
 * `_METADATA` the metadata object — what the legacy automation reads. Reads enrich the records
 * with the documented defaults (models.ts). Writes over 48 KB throw `VARIABLE_TOO_LARGE`
 * naming the variable; nothing is compare-and-swapped.
 */
export class VariablesStateAdapter implements StateStorageAdapter {
  readonly backend = 'repository_variables' as const
  constructor(
    readonly variables: RepositoryVariables,
    private readonly options: { now?: () => string } = {}
  ) {}

  private now(): string {
    return (this.options.now ?? (() => new Date().toISOString()))()
  }

  private async read(account: string, albumId: string, kind: 'posts' | 'failed' | 'metadata') {
    const name = legacyVariableName(account, albumId, kind)
    const variable = await this.variables.get(name)
    if (!variable) return undefined
    const value = readLegacyValue(
      name,
      variable.value,
      {
        path: albumFilePath(account, albumId, kind),
        kind,
        account: normaliseAccount(account),
        albumId: normaliseAlbumId(albumId)
      },
      this.now()
    )
    if (!value.ok)
      throw new StateStorageConfigError(
        `variable ${name}`,
        `cannot be read (${value.status}: ${value.problem})`,
        'Fix its value in the repository settings (Secrets and variables → Actions → Variables).'
      )
    return value
  }

  async readPosts(account: string, albumId: string): Promise<PostRecord[]> {
    const v = await this.read(account, albumId, 'posts')
    return v && v.ok && v.kind === 'posts' ? v.records : []
  }

  async readFailedPositions(account: string, albumId: string): Promise<FailedPosition[]> {
    const v = await this.read(account, albumId, 'failed')
    return v && v.ok && v.kind === 'failed' ? v.records : []
  }

  async readMetadata(account: string, albumId: string): Promise<AlbumMetadata | null> {
    const v = await this.read(account, albumId, 'metadata')
    if (!v || !v.ok || v.kind !== 'metadata') return null
    const parsed = AlbumMetadataSchema.safeParse(v.object)
    return parsed.success ? parsed.data : (v.object as AlbumMetadata)
  }

  async writePosts(account: string, albumId: string, posts: PostRecord[]): Promise<void> {
    const name = legacyVariableName(account, albumId, 'posts')
    await this.variables.set(name, JSON.stringify(sortByPosition(posts).map((p) => basicPost(p))))
  }

  async writeFailedPositions(
    account: string,
    albumId: string,
    failed: FailedPosition[]
  ): Promise<void> {
    const name = legacyVariableName(account, albumId, 'failed')
    await this.variables.set(name, JSON.stringify(sortByPosition(failed).map((f) => f.position)))
  }

  async writeMetadata(
    account: string,
    albumId: string,
    metadata: Partial<AlbumMetadata>
  ): Promise<void> {
    const name = legacyVariableName(account, albumId, 'metadata')
    const value = JSON.stringify(metadata)
    checkSize(name, value)
    await this.variables.set(name, value)
  }

  async updateAlbum(
    account: string,
    albumId: string,
    change: (album: AlbumState) => AlbumChange | undefined | Promise<AlbumChange | undefined>
  ): Promise<AlbumState> {
    const current: AlbumState = {
      posts: await this.readPosts(account, albumId),
      failed: await this.readFailedPositions(account, albumId),
      metadata: await this.readMetadata(account, albumId)
    }
    const delta = await change(structuredClone(current))
    const out: AlbumState = {
      posts: delta?.posts ? sortByPosition(delta.posts) : current.posts,
      failed: delta?.failed ? sortByPosition(delta.failed) : current.failed,
      metadata: current.metadata
    }
    // Check every size before the first write, so an oversize album writes nothing.
    if (delta?.posts)
      checkSize(
        legacyVariableName(account, albumId, 'posts'),
        JSON.stringify(out.posts.map((p) => basicPost(p)))
      )
    if (delta?.failed)
      checkSize(
        legacyVariableName(account, albumId, 'failed'),
        JSON.stringify(out.failed.map((f) => f.position))
      )
    if (delta?.posts) await this.writePosts(account, albumId, out.posts)
    if (delta?.failed) await this.writeFailedPositions(account, albumId, out.failed)
    if (delta?.metadata) {
      out.metadata = { ...(current.metadata ?? {}), ...delta.metadata } as AlbumMetadata
      await this.writeMetadata(account, albumId, out.metadata)
    }
    return out
  }

  async validate(): Promise<void> {
    try {
      await this.variables.list()
    } catch (error) {
      throw new StateStorageConfigError(
        'repository_variables backend',
        `cannot list the variables of ${repositoryName(this.variables.ctx)}: ${(error as Error).message}`,
        'Use STORAGE_BACKEND=git, or a token with the Variables permission.',
        { cause: error }
      )
    }
  }
}

// ---------------------------------------------------------------------------------------------
// auto
// ---------------------------------------------------------------------------------------------

/** The `auto` backend: git, mirrored to and falling back on the variables as configured. */
export class AutoStateAdapter implements StateStorageAdapter {
  readonly backend = 'auto' as const
  constructor(
    readonly git: GitStateAdapter,
    readonly legacy: VariablesStateAdapter,
    private readonly options: {
      parallelWrites: boolean
      migrationMode: boolean
      fallbackToLegacy: boolean
      onWarning: (message: string) => void
    }
  ) {}

  private async withFallback<T>(
    what: string,
    primary: () => Promise<T>,
    fallback: () => Promise<T>
  ): Promise<T> {
    try {
      return await primary()
    } catch (error) {
      if (!this.options.fallbackToLegacy || !isFallbackWorthy(error)) throw error
      this.options.onWarning(
        `git backend failed to ${what} (${(error as Error).message}); using repository variables`
      )
      return fallback()
    }
  }

  private async mirror(what: string, write: () => Promise<unknown>): Promise<void> {
    if (!this.options.parallelWrites) return
    try {
      await write()
    } catch (error) {
      this.options.onWarning(
        `parallel write to repository variables failed to ${what}: ${(error as Error).message}`
      )
    }
  }

  private async read<T>(
    what: string,
    fromGit: () => Promise<T>,
    fromLegacy: () => Promise<T>,
    missing: (value: T) => boolean
  ): Promise<T> {
    const value = await this.withFallback(what, fromGit, fromLegacy)
    if (this.options.migrationMode && missing(value)) return fromLegacy()
    return value
  }

  readPosts(account: string, albumId: string) {
    return this.read(
      `read posts of ${account}/${albumId}`,
      () => this.git.readPosts(account, albumId),
      () => this.legacy.readPosts(account, albumId),
      (v) => v.length === 0
    )
  }

  readFailedPositions(account: string, albumId: string) {
    return this.read(
      `read failed positions of ${account}/${albumId}`,
      () => this.git.readFailedPositions(account, albumId),
      () => this.legacy.readFailedPositions(account, albumId),
      (v) => v.length === 0
    )
  }

  readMetadata(account: string, albumId: string) {
    return this.read(
      `read metadata of ${account}/${albumId}`,
      () => this.git.readMetadata(account, albumId),
      () => this.legacy.readMetadata(account, albumId),
      (v) => v === null
    )
  }

  async writePosts(account: string, albumId: string, posts: PostRecord[]): Promise<void> {
    await this.updateAlbum(account, albumId, () => ({ posts }))
  }

  async writeFailedPositions(
    account: string,
    albumId: string,
    failed: FailedPosition[]
  ): Promise<void> {
    await this.updateAlbum(account, albumId, () => ({ failed }))
  }

  async writeMetadata(
    account: string,
    albumId: string,
    metadata: Partial<AlbumMetadata>
  ): Promise<void> {
    await this.withFallback(
      `write metadata of ${account}/${albumId}`,
      () => this.git.writeMetadata(account, albumId, metadata),
      () => this.legacy.writeMetadata(account, albumId, metadata)
    )
    await this.mirror(`write metadata of ${account}/${albumId}`, () =>
      this.legacy.writeMetadata(account, albumId, metadata)
    )
  }

  async updateAlbum(
    account: string,
    albumId: string,
    change: (album: AlbumState) => AlbumChange | undefined | Promise<AlbumChange | undefined>
  ): Promise<AlbumState> {
    let usedFallback = false
    let delta: AlbumChange | undefined
    const seed = this.options.migrationMode
      ? async (): Promise<AlbumState> => ({
          posts: await this.legacy.readPosts(account, albumId),
          failed: await this.legacy.readFailedPositions(account, albumId),
          metadata: await this.legacy.readMetadata(account, albumId)
        })
      : undefined
    const result = await this.withFallback(
      `update ${account}/${albumId}`,
      () =>
        this.git.updateAlbum(
          account,
          albumId,
          async (album) => {
            delta = await change(album)
            return delta
          },
          { seed }
        ),
      () => {
        usedFallback = true
        return this.legacy.updateAlbum(account, albumId, change)
      }
    )
    if (!usedFallback && delta)
      await this.mirror(`update ${account}/${albumId}`, async () => {
        if (delta?.posts) await this.legacy.writePosts(account, albumId, result.posts)
        if (delta?.failed) await this.legacy.writeFailedPositions(account, albumId, result.failed)
        if (delta?.metadata && result.metadata)
          await this.legacy.writeMetadata(account, albumId, result.metadata)
      })
    return result
  }

  async validate(): Promise<void> {
    await this.git.validate()
    if (this.options.parallelWrites || this.options.migrationMode || this.options.fallbackToLegacy)
      await this.legacy.validate()
  }
}

/** Errors worth falling back on: GitHub failures, conflicts, config; not bad documents or input. */
function isFallbackWorthy(error: unknown): boolean {
  if (!isHubstoreError(error)) return true
  return error.code !== 'INVALID_STATE_DOCUMENT' && error.code !== 'INVALID_OPTIONS'
}

function sortByPosition<T extends { position: number }>(records: readonly T[]): T[] {
  return [...records].sort((a, b) => a.position - b.position)
}

function stripDerived(meta: Partial<AlbumMetadata>): Partial<AlbumMetadata> {
  const out: Record<string, unknown> = { ...meta }
  for (const k of [...DERIVED_METADATA_FIELDS, 'album_id', 'account', 'updated_at']) delete out[k]
  return out as Partial<AlbumMetadata>
}

// ---------------------------------------------------------------------------------------------
// Recording outcomes (what the automation does after each attempt)
// ---------------------------------------------------------------------------------------------

/** A photo posted: the facts the automation knows. */
export interface PostedInput {
  position: number
  photo_id: string
  instagram_post_id: string | null
  posted_at?: string
  title?: string | null
  workflow_run_id?: string | null
  flickr_url?: string | null
  instagram_url?: string | null
  caption_length?: number | null
  hashtags_count?: number | null
  [extra: string]: unknown
}

/**
 * Records a posted photo: upserts its post record (status `posted`, keeping `retry_count`,
 * `retry_history` and `created_at` of an earlier failed record) and removes its position from
 * the failed positions — one album write (one commit on git).
 */
export function recordPost(
  adapter: StateStorageAdapter,
  account: string,
  albumId: string,
  input: PostedInput,
  now: string = new Date().toISOString()
): Promise<AlbumState> {
  const acc = normaliseAccount(account)
  return adapter.updateAlbum(acc, albumId, (album) => {
    const before = album.posts.find((p) => p.position === input.position)
    const record: PostRecord = {
      title: null,
      workflow_run_id: null,
      flickr_url: null,
      instagram_url: null,
      caption_length: null,
      hashtags_count: null,
      ...before,
      ...input,
      posted_at: input.posted_at ?? now,
      status: 'posted',
      retry_count: before?.retry_count ?? 0,
      retry_history: before?.retry_history ?? [],
      account: acc,
      created_at: before?.created_at ?? now,
      last_update: now
    }
    return {
      posts: [...album.posts.filter((p) => p.position !== input.position), record],
      failed: album.failed.filter((f) => f.position !== input.position)
    }
  })
}

/** A failed attempt. */
export interface FailureInput {
  position: number
  photo_id?: string
  error: string
  workflow_run_id?: string | null
  context?: Record<string, unknown>
}

/**
 * Records a failed attempt: the position's failed entry gains an attempt (created on the first
 * failure); with `retryTracking` (default) the post record gets status `failed`, `retry_count`
 * + 1 and an entry in `retry_history`. One album write.
 */
export function recordFailure(
  adapter: StateStorageAdapter,
  account: string,
  albumId: string,
  input: FailureInput,
  options: { retryTracking?: boolean; now?: string } = {}
): Promise<AlbumState> {
  const acc = normaliseAccount(account)
  const now = options.now ?? new Date().toISOString()
  return adapter.updateAlbum(acc, albumId, (album) => {
    const prior = album.failed.find((f) => f.position === input.position)
    const entry: FailedPosition = {
      ...prior,
      position: input.position,
      error: input.error,
      attempts: (prior?.attempts ?? 0) + 1,
      first_failed_at: prior?.first_failed_at ?? now,
      last_failed_at: now,
      context: {
        ...(prior?.context ?? {}),
        ...(input.context ?? {}),
        ...(input.photo_id ? { photo_id: input.photo_id } : {}),
        ...(input.workflow_run_id ? { workflow_run_id: input.workflow_run_id } : {})
      }
    }
    const change: AlbumChange = {
      failed: [...album.failed.filter((f) => f.position !== input.position), entry]
    }
    if (options.retryTracking !== false) {
      const before = album.posts.find((p) => p.position === input.position)
      if (before?.status !== 'posted') {
        const retryCount = (before?.retry_count ?? 0) + 1
        const record: PostRecord = {
          title: null,
          instagram_post_id: null,
          posted_at: null,
          flickr_url: null,
          instagram_url: null,
          caption_length: null,
          hashtags_count: null,
          ...before,
          position: input.position,
          photo_id: input.photo_id ?? before?.photo_id ?? String(input.position),
          status: 'failed',
          retry_count: retryCount,
          retry_history: [
            ...(before?.retry_history ?? []),
            {
              attempt: retryCount,
              at: now,
              error: input.error,
              workflow_run_id: input.workflow_run_id ?? null
            }
          ],
          workflow_run_id: input.workflow_run_id ?? before?.workflow_run_id ?? null,
          account: acc,
          created_at: before?.created_at ?? now,
          last_update: now
        }
        change.posts = [...album.posts.filter((p) => p.position !== input.position), record]
      }
    }
    return change
  })
}
