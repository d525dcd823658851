/** The `auto` backend of the automation-state layer: git, mirrored to the variables. */
import { isHubstoreError } from '../../errors.js'
import type { AlbumMetadata, FailedPosition, PostRecord } from '../models.js'
import type { AlbumChange, AlbumState, StateStorageAdapter } from './adapter.js'
import type { GitStateAdapter } from './git-adapter.js'
import type { VariablesStateAdapter } from './variables-adapter.js'

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
