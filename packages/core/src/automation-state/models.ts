/**
 * The automation-state documents (docs/architecture.md §2.2) as zod schemas, the enrichment of the
 * legacy basic records into them, and the derivation of album metadata from the posts.
 *
 * Every schema is loose: fields hubstore does not know are kept, never dropped, so a migration
 * cannot lose data a newer automation version added.
 */
import { z } from 'zod'

/** A timestamp: any string `Date.parse` reads (ISO 8601 with or without an offset). */
const timestamp = z
  .string()
  .refine((s) => !Number.isNaN(Date.parse(s)), { message: 'not a date-time' })
const count = z.number().int().min(0)

/** Statuses of a post record. */
export const POST_STATUSES = ['posted', 'failed', 'pending', 'skipped'] as const
export type PostStatus = (typeof POST_STATUSES)[number]

/** One failed attempt kept in `retry_history`. */
export const RetryAttemptSchema = z.looseObject({
  /** 1 for the first failure */
  attempt: z.number().int().min(1),
  at: timestamp,
  error: z.string().nullable(),
  workflow_run_id: z.string().nullable().optional()
})
export type RetryAttempt = z.infer<typeof RetryAttemptSchema>

/** A photo of an album and what happened to it (one entry of `posts.json`). */
export const PostRecordSchema = z.looseObject({
  /** position of the photo in the album, 1-based in the original automation */
  position: z.number().int().min(0),
  photo_id: z.string().min(1),
  instagram_post_id: z.string().nullable(),
  posted_at: timestamp.nullable(),
  title: z.string().nullable(),
  status: z.enum(POST_STATUSES),
  retry_count: count,
  retry_history: z.array(RetryAttemptSchema),
  workflow_run_id: z.string().nullable(),
  account: z.string().min(1),
  created_at: timestamp,
  last_update: timestamp,
  flickr_url: z.string().nullable(),
  instagram_url: z.string().nullable(),
  caption_length: count.nullable(),
  hashtags_count: count.nullable()
})
export type PostRecord = z.infer<typeof PostRecordSchema>

/** `posts.json`: the album's post records, sorted by position, one per position. */
export const PostsFileSchema = z.array(PostRecordSchema).superRefine((posts, ctx) => {
  const seen = new Set<number>()
  posts.forEach((p, i) => {
    if (seen.has(p.position))
      ctx.addIssue({
        code: 'custom',
        path: [i, 'position'],
        message: `position ${p.position} appears twice`
      })
    seen.add(p.position)
  })
})

/** A position whose posting failed and is still outstanding (one entry of `failed.json`). */
export const FailedPositionSchema = z.looseObject({
  position: z.number().int().min(0),
  error: z.string().nullable(),
  /** failed attempts so far, ≥ 1 */
  attempts: z.number().int().min(1),
  first_failed_at: timestamp.nullable(),
  last_failed_at: timestamp.nullable(),
  /** free-form facts: photo id, workflow run, HTTP status, where the entry came from … */
  context: z.record(z.string(), z.unknown())
})
export type FailedPosition = z.infer<typeof FailedPositionSchema>

/** `failed.json` */
export const FailedFileSchema = z.array(FailedPositionSchema)

/** `completion_status` of an album. */
export const COMPLETION_STATUSES = [
  'not_started',
  'in_progress',
  'completed',
  'completed_with_failures'
] as const
export type CompletionStatus = (typeof COMPLETION_STATUSES)[number]

/** `metadata.json`: the album's progress; the counts are derived, never edited. */
export const AlbumMetadataSchema = z.looseObject({
  album_id: z.string().min(1),
  account: z.string().min(1),
  /** photos in the album; `null` while unknown */
  total_photos: count.nullable(),
  posted_count: count,
  failed_count: count,
  /** `total_photos − posted − failed`; `null` while `total_photos` is unknown */
  pending_count: count.nullable(),
  /** 0–100 with 2 decimals; `null` while `total_photos` is unknown */
  completion_percentage: z.number().min(0).max(100).nullable(),
  completion_status: z.enum(COMPLETION_STATUSES),
  last_posted_position: z.number().int().min(0).nullable(),
  last_posted_at: timestamp.nullable(),
  workflow_runs_count: count,
  error_count: count,
  last_error_at: timestamp.nullable(),
  created_at: timestamp,
  updated_at: timestamp
})
export type AlbumMetadata = z.infer<typeof AlbumMetadataSchema>

/** `<account>-account/global/config.json`: any JSON object. */
export const AccountConfigSchema = z.record(z.string(), z.unknown())
export type AccountConfig = z.infer<typeof AccountConfigSchema>

/** The metadata fields computed from posts and failures (never taken from callers). */
export const DERIVED_METADATA_FIELDS = [
  'posted_count',
  'failed_count',
  'pending_count',
  'completion_percentage',
  'completion_status',
  'last_posted_position',
  'last_posted_at',
  'error_count',
  'last_error_at'
] as const

// ---------------------------------------------------------------------------------------------
// Legacy (repository variable) records and their enrichment
// ---------------------------------------------------------------------------------------------

const position = z.union([
  z.number().int().min(0),
  z
    .string()
    .regex(/^[0-9]+$/)
    .transform(Number)
])
const idLike = z.union([z.string().min(1), z.number()]).transform(String)

/** A basic record of `<ACCOUNT>_ALBUM_<ID>_POSTS`: `{position, photo_id, instagram_post_id, posted_at}`. */
export const LegacyPostSchema = z.looseObject({
  position,
  photo_id: idLike,
  instagram_post_id: z
    .union([z.string(), z.number(), z.null()])
    .optional()
    .transform((v) => (v === undefined || v === null || v === '' ? null : String(v))),
  posted_at: z.string().nullable().optional()
})
export type LegacyPost = z.infer<typeof LegacyPostSchema>

/** `<ACCOUNT>_ALBUM_<ID>_POSTS`: a JSON array of basic records. */
export const LegacyPostsSchema = z.array(LegacyPostSchema)

/** `<ACCOUNT>_ALBUM_<ID>_FAILED`: a JSON array of positions (or of failed-position objects). */
export const LegacyFailedSchema = z.array(z.union([position, z.looseObject({ position })]))

/** `<ACCOUNT>_ALBUM_<ID>_METADATA`: any JSON object. */
export const LegacyMetadataSchema = z.record(z.string(), z.unknown())

/** The basic fields a legacy post record has and the migration must carry over unchanged. */
export interface BasicPost {
  position: number
  photo_id: string
  instagram_post_id: string | null
  posted_at: string | null
}

/** The basic fields of any post record, normalised (ids as strings) for comparison. */
export function basicPost(record: Record<string, unknown>): BasicPost {
  const parsed = LegacyPostSchema.parse(record)
  return {
    position: parsed.position,
    photo_id: parsed.photo_id,
    instagram_post_id: parsed.instagram_post_id,
    posted_at: parsed.posted_at ?? null
  }
}

/**
 * Enriches a legacy basic record to the full {@link PostRecord}. Documented defaults:
 * `status` `posted` when it has an Instagram post id or a `posted_at`, else `pending`;
 * `title`, `workflow_run_id`, `flickr_url`, `instagram_url`, `caption_length`,
 * `hashtags_count` `null`; `retry_count` 0; `retry_history` `[]`; `account` the variable's
 * account; `created_at` and `last_update` the record's `posted_at`, else `now`. Fields already
 * present (and any unknown field) are kept as they are.
 */
export function enrichPost(legacy: LegacyPost, account: string, now: string): PostRecord {
  const { position: pos, photo_id, instagram_post_id, posted_at, ...rest } = legacy
  const at = typeof posted_at === 'string' && posted_at !== '' ? posted_at : null
  const defaults = {
    title: null,
    status: (instagram_post_id || at ? 'posted' : 'pending') as PostStatus,
    retry_count: 0,
    retry_history: [],
    workflow_run_id: null,
    account,
    created_at: at ?? now,
    last_update: at ?? now,
    flickr_url: null,
    instagram_url: null,
    caption_length: null,
    hashtags_count: null
  }
  return PostRecordSchema.parse({
    ...defaults,
    ...rest,
    position: pos,
    photo_id,
    instagram_post_id,
    posted_at: at
  })
}

/**
 * Enriches a legacy failed entry (a bare position, or an object with `position`) to a
 * {@link FailedPosition}. Defaults: `error` `null`, `attempts` 1, both timestamps `null`
 * (unknown), `context` `{source: "repository_variables", variable}`.
 */
export function enrichFailed(
  legacy: number | Record<string, unknown>,
  variable: string
): FailedPosition {
  const base = typeof legacy === 'number' ? { position: legacy } : legacy
  return FailedPositionSchema.parse({
    error: null,
    attempts: 1,
    first_failed_at: null,
    last_failed_at: null,
    ...base,
    context: {
      source: 'repository_variables',
      variable,
      ...((base as { context?: Record<string, unknown> }).context ?? {})
    }
  })
}

// ---------------------------------------------------------------------------------------------
// Derived metadata
// ---------------------------------------------------------------------------------------------

/**
 * Album metadata computed from the posts and the failures, so counts never drift:
 * `posted_count` = posts with status `posted`; `failed_count` = distinct positions in
 * `failed.json` or with status `failed`, not posted since; `pending_count` =
 * `max(0, total_photos − posted − failed)`; `completion_percentage` = posted / total × 100
 * (2 decimals); `completion_status` `not_started` | `in_progress` | `completed` (every photo
 * posted) | `completed_with_failures` (every photo posted or failed, some failed);
 * `last_posted_*` from the post with the latest `posted_at` (then the highest position);
 * `error_count` = outstanding failed attempts + `retry_count` of posted records; `last_error_at` the
 * latest failure or retry. `total_photos`, `workflow_runs_count`, `created_at` and unknown fields
 * come from `base` (the stored metadata); `updated_at` is `now`.
 */
export function deriveMetadata(
  account: string,
  albumId: string,
  posts: PostRecord[],
  failed: FailedPosition[],
  base: Partial<AlbumMetadata> | Record<string, unknown> | null,
  now: string
): AlbumMetadata {
  const prior = (base ?? {}) as Partial<AlbumMetadata>
  const postedPositions = new Set(posts.filter((p) => p.status === 'posted').map((p) => p.position))
  const failedPositions = new Set<number>()
  for (const f of failed) if (!postedPositions.has(f.position)) failedPositions.add(f.position)
  for (const p of posts)
    if (p.status === 'failed' && !postedPositions.has(p.position)) failedPositions.add(p.position)
  const posted = postedPositions.size
  const failedCount = failedPositions.size
  const total = typeof prior.total_photos === 'number' ? prior.total_photos : null

  let last: PostRecord | null = null
  for (const p of posts) {
    if (p.status !== 'posted') continue
    if (!last || compareLatest(p, last) > 0) last = p
  }
  const errorTimes: string[] = []
  let errors = 0
  for (const f of failed) {
    if (postedPositions.has(f.position)) continue
    errors += f.attempts
    if (f.last_failed_at) errorTimes.push(f.last_failed_at)
  }
  for (const p of posts) {
    // A failing record's retries are already counted as its failed entry's attempts.
    if (p.status === 'posted') errors += p.retry_count
    for (const r of p.retry_history) errorTimes.push(r.at)
  }
  const lastError = errorTimes.length
    ? errorTimes.reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a))
    : null

  let status: CompletionStatus
  if (posted === 0 && failedCount === 0) status = 'not_started'
  else if (total !== null && total > 0 && posted >= total) status = 'completed'
  else if (total !== null && total > 0 && posted + failedCount >= total)
    status = 'completed_with_failures'
  else status = 'in_progress'

  return AlbumMetadataSchema.parse({
    ...prior,
    album_id: albumId,
    account,
    total_photos: total,
    posted_count: posted,
    failed_count: failedCount,
    pending_count: total === null ? null : Math.max(0, total - posted - failedCount),
    completion_percentage:
      total === null ? null : total === 0 ? 0 : Math.min(100, round2((posted / total) * 100)),
    completion_status: status,
    last_posted_position: last ? last.position : null,
    last_posted_at: last ? last.posted_at : null,
    workflow_runs_count:
      typeof prior.workflow_runs_count === 'number' ? prior.workflow_runs_count : 0,
    error_count: errors,
    last_error_at: lastError,
    created_at: typeof prior.created_at === 'string' ? prior.created_at : now,
    updated_at: now
  })
}

function compareLatest(a: PostRecord, b: PostRecord): number {
  const ta = a.posted_at ? Date.parse(a.posted_at) : -Infinity
  const tb = b.posted_at ? Date.parse(b.posted_at) : -Infinity
  if (ta !== tb) return ta > tb ? 1 : -1
  return a.position - b.position
}

function round2(n: number): number {
  return Math.round(n * 100) / 100
}

/** Sorts by position and keeps one record per position (`incoming` wins over `existing`). */
export function mergeByPosition<T extends { position: number }>(
  existing: readonly T[],
  incoming: readonly T[]
): T[] {
  const byPosition = new Map<number, T>()
  for (const r of existing) byPosition.set(r.position, r)
  for (const r of incoming) byPosition.set(r.position, r)
  return [...byPosition.values()].sort((a, b) => a.position - b.position)
}

/** Metadata without its derived fields and identity (`album_id`, `account`, `updated_at`). */
export function stripDerived<T extends object>(meta: T): Partial<T> {
  const out = { ...meta } as Record<string, unknown>
  for (const k of [...DERIVED_METADATA_FIELDS, 'album_id', 'account', 'updated_at']) delete out[k]
  return out as Partial<T>
}
