import { describe, expect, it } from '@jest/globals'
import {
  basicPost,
  deriveMetadata,
  enrichFailed,
  enrichPost,
  LegacyPostSchema,
  mergeByPosition,
  PostRecordSchema,
  PostsFileSchema,
  type FailedPosition,
  type PostRecord
} from '../../src/automation-state/models.js'

const NOW = '2025-03-01T12:00:00.000Z'

function post(position: number, extra: Partial<PostRecord> = {}): PostRecord {
  const legacy = LegacyPostSchema.parse({
    position,
    photo_id: `p${position}`,
    instagram_post_id: `ig${position}`,
    posted_at: `2025-01-${String(position).padStart(2, '0')}T10:00:00Z`
  })
  return { ...enrichPost(legacy, 'primary', NOW), ...extra }
}

describe('enrichPost', () => {
  it('enrichPost: a basic record gets the documented defaults', () => {
    const record = enrichPost(
      LegacyPostSchema.parse({
        position: 3,
        photo_id: 5301,
        instagram_post_id: 1789,
        posted_at: '2024-05-01T09:00:00'
      }),
      'primary',
      NOW
    )
    expect(record).toEqual({
      position: 3,
      photo_id: '5301',
      instagram_post_id: '1789',
      posted_at: '2024-05-01T09:00:00',
      title: null,
      status: 'posted',
      retry_count: 0,
      retry_history: [],
      workflow_run_id: null,
      account: 'primary',
      created_at: '2024-05-01T09:00:00',
      last_update: '2024-05-01T09:00:00',
      flickr_url: null,
      instagram_url: null,
      caption_length: null,
      hashtags_count: null
    })
    expect(PostRecordSchema.safeParse(record).success).toBe(true)
  })

  it('enrichPost: no instagram id and no posted_at is pending, timestamps are now', () => {
    const record = enrichPost(
      LegacyPostSchema.parse({ position: '7', photo_id: 'x' }),
      'secondary',
      NOW
    )
    expect(record).toMatchObject({
      position: 7,
      status: 'pending',
      instagram_post_id: null,
      posted_at: null,
      created_at: NOW
    })
  })

  it('enrichPost: unknown fields and fields already present are kept', () => {
    const record = enrichPost(
      LegacyPostSchema.parse({
        position: 1,
        photo_id: 'a',
        instagram_post_id: null,
        posted_at: null,
        title: 'Sunset',
        custom: { a: 1 }
      }),
      'primary',
      NOW
    )
    expect(record).toMatchObject({ title: 'Sunset', custom: { a: 1 } })
  })

  it('basicPost: normalises ids to strings for comparison', () => {
    expect(
      basicPost({ position: 1, photo_id: 12, instagram_post_id: 34, posted_at: null })
    ).toEqual({
      position: 1,
      photo_id: '12',
      instagram_post_id: '34',
      posted_at: null
    })
  })
})

describe('enrichFailed', () => {
  it('enrichFailed: a bare position becomes a failed entry naming its source', () => {
    expect(enrichFailed(9, 'PRIMARY_ALBUM_1_FAILED')).toEqual({
      position: 9,
      error: null,
      attempts: 1,
      first_failed_at: null,
      last_failed_at: null,
      context: { source: 'repository_variables', variable: 'PRIMARY_ALBUM_1_FAILED' }
    })
  })
})

describe('deriveMetadata', () => {
  const failed = (position: number, attempts = 1): FailedPosition => ({
    ...enrichFailed(position, 'V'),
    attempts,
    last_failed_at: `2025-02-0${attempts}T00:00:00Z`
  })

  it('deriveMetadata: counts and percentage come from the posts and failures', () => {
    const posts = [post(1), post(2), post(5)]
    const meta = deriveMetadata(
      'primary',
      '42',
      posts,
      [failed(3, 2), failed(4)],
      { total_photos: 10, workflow_runs_count: 7 },
      NOW
    )
    expect(meta).toMatchObject({
      album_id: '42',
      account: 'primary',
      total_photos: 10,
      posted_count: 3,
      failed_count: 2,
      pending_count: 5,
      completion_percentage: 30,
      completion_status: 'in_progress',
      last_posted_position: 5,
      last_posted_at: '2025-01-05T10:00:00Z',
      workflow_runs_count: 7,
      error_count: 3,
      last_error_at: '2025-02-02T00:00:00Z',
      created_at: NOW,
      updated_at: NOW
    })
  })

  it('deriveMetadata: stored counts are ignored, so they never drift', () => {
    const meta = deriveMetadata(
      'primary',
      '1',
      [post(1)],
      [],
      { total_photos: 3, posted_count: 99, failed_count: 99 } as never,
      NOW
    )
    expect(meta).toMatchObject({
      posted_count: 1,
      failed_count: 0,
      pending_count: 2,
      completion_percentage: 33.33
    })
  })

  it('deriveMetadata: a failed position posted since is not counted as failed', () => {
    const meta = deriveMetadata(
      'primary',
      '1',
      [post(1), post(2)],
      [failed(2)],
      { total_photos: 2 },
      NOW
    )
    expect(meta).toMatchObject({
      failed_count: 0,
      completion_status: 'completed',
      completion_percentage: 100,
      error_count: 0
    })
  })

  it('deriveMetadata: every photo posted or failed, some failed, is completed_with_failures', () => {
    const meta = deriveMetadata('primary', '1', [post(1)], [failed(2)], { total_photos: 2 }, NOW)
    expect(meta.completion_status).toBe('completed_with_failures')
  })

  it('deriveMetadata: unknown total leaves pending and percentage null', () => {
    const meta = deriveMetadata('primary', '1', [], [], null, NOW)
    expect(meta).toMatchObject({
      total_photos: null,
      pending_count: null,
      completion_percentage: null,
      completion_status: 'not_started',
      last_posted_position: null
    })
  })
})

describe('posts.json schema', () => {
  it('PostsFileSchema: a position appearing twice is refused with its index', () => {
    const r = PostsFileSchema.safeParse([post(1), post(1)])
    expect(r.success).toBe(false)
    expect(r.error?.issues[0].path).toEqual([1, 'position'])
  })

  it('mergeByPosition: sorted, one per position, incoming wins', () => {
    const merged = mergeByPosition([post(2), post(1)], [post(2, { title: 'new' }), post(3)])
    expect(merged.map((p) => [p.position, p.title])).toEqual([
      [1, null],
      [2, 'new'],
      [3, null]
    ])
  })
})
