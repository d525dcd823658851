/** Recording outcomes: what the automation writes after each attempt (one album write each). */
import { normaliseAccount } from '../layout.js'
import type { FailedPosition, PostRecord } from '../models.js'
import type { AlbumChange, AlbumState, StateStorageAdapter } from './adapter.js'

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
