/**
 * The automation-state layer: one `StateStorageAdapter` interface, three backends.
 *
 * - `git` (git-adapter.ts): the documents of layout.ts on a state branch; every album write is
 *   one commit that also rewrites `metadata.json` from the posts (so counts never drift),
 *   guarded by the head.
 * - `repository_variables` (variables-adapter.ts): the legacy variables
 *   (`<ACCOUNT>_ALBUM_<ID>_POSTS` …), basic fields only, 48 KB per value, no compare-and-swap
 *   (last writer wins).
 * - `auto` (auto-adapter.ts): git first; with `parallelWrites` (or `migrationMode`) every write
 *   is mirrored to the variables; with `migrationMode` albums not migrated yet are read from the
 *   variables; with `fallbackToLegacy` a failing git call is retried on the variables.
 *
 * Settings: settings.ts; the factory that picks a backend: factory.ts; what the automation
 * records after each attempt: record.ts.
 */
import type { AlbumMetadata, FailedPosition, PostRecord } from '../models.js'
import type { StorageBackend } from './settings.js'

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

/** The records sorted by position (a copy). */
export function sortByPosition<T extends { position: number }>(records: readonly T[]): T[] {
  return [...records].sort((a, b) => a.position - b.position)
}
