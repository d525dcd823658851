/** The `repository_variables` (legacy) backend of the automation-state layer. */
import { repositoryName } from '../../github/context.js'
import { StateStorageConfigError } from '../../errors.js'
import { albumFilePath, legacyVariableName, normaliseAccount, normaliseAlbumId } from '../layout.js'
import { readLegacyValue } from '../legacy.js'
import {
  AlbumMetadataSchema,
  basicPost,
  type AlbumMetadata,
  type FailedPosition,
  type PostRecord
} from '../models.js'
import { checkSize, type RepositoryVariables } from '../variables.js'
import {
  sortByPosition,
  type AlbumChange,
  type AlbumState,
  type StateStorageAdapter
} from './adapter.js'

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
