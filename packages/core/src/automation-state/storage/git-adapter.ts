/** The `git` backend of the automation-state layer. */
import { repositoryName } from '../../github/context.js'
import { StateStorageConfigError } from '../../errors.js'
import type { BranchStore } from '../../branch-store/branch-store.js'
import { albumFilePath, normaliseAccount, normaliseAlbumId } from '../layout.js'
import {
  deriveMetadata,
  stripDerived,
  type AlbumMetadata,
  type FailedPosition,
  type PostRecord
} from '../models.js'
import {
  sortByPosition,
  type AlbumChange,
  type AlbumState,
  type StateStorageAdapter
} from './adapter.js'

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
