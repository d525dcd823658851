/**
 * gh-store's snapshot file (docs/gh-store-format.md §3.1), read and written byte-compatibly with
 * its Python writer: `json.dumps(snapshot, indent=2)` (2-space indent, `", "`/`": "` separators,
 * non-ASCII escaped as `\uXXXX`), timestamps in Python's `isoformat()` form with `+00:00`.
 * Reading is tolerant of older files (January 2025 snapshots have no `meta.issue_number` /
 * `meta.object_id`) and of `Z` timestamps.
 */
import { z } from 'zod'
import { InvalidSnapshotError } from '../errors.js'
import { dictionary } from '../text.js'
import { isJsonObject, type JsonObject } from '../objects/json.js'

/** One object in a snapshot (§3.1). */
export interface SnapshotEntry {
  /** the issue body, parsed */
  data: JsonObject
  meta: {
    issue_number: number
    object_id: string
    /** the issue's `created_at`, Python isoformat (`2025-01-16T06:56:05+00:00`) */
    created_at: string
    /** the issue's `updated_at`, same form */
    updated_at: string
    /** the issue's comment count (see `StoredObject.meta.version`); gh-store wrote 1 */
    version: number
  }
}

/** A snapshot file (§3.1); keys in gh-store's order. */
export interface Snapshot {
  /** the cut-off: every change made before it is in the file (Python isoformat, µs, `+00:00`) */
  snapshot_time: string
  /** `owner/repo` */
  repository: string
  objects: Record<string, SnapshotEntry>
  /** present only when some object is an alias (gh-store wrote it only then) */
  relationships?: { aliases: Record<string, string> }
}

const isoTimestamp = z
  .string()
  .refine((s) => !Number.isNaN(Date.parse(s)), 'expected an ISO 8601 timestamp')

const entrySchema = z.object({
  data: z.record(z.string(), z.unknown()),
  meta: z.looseObject({
    issue_number: z.number().int().positive().optional(),
    object_id: z.string().optional(),
    created_at: isoTimestamp,
    updated_at: isoTimestamp,
    version: z.number().int().nonnegative().optional()
  })
})

const snapshotSchema = z.looseObject({
  snapshot_time: isoTimestamp,
  repository: z.string(),
  objects: z.record(z.string(), entrySchema),
  relationships: z.looseObject({ aliases: z.record(z.string(), z.string()).optional() }).optional()
})

/**
 * Parses a snapshot file. Entries of older files get `issue_number` 0 and `object_id` from their
 * key when those are missing (such entries are replaced as soon as their object changes).
 *
 * @param source where the text came from, for messages (a path, `path@branch`)
 * @throws InvalidSnapshotError (`INVALID_SNAPSHOT`) naming the first bad field.
 */
export function parseSnapshot(text: string, source: string): Snapshot {
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (error) {
    throw new InvalidSnapshotError(source, '', `it is not JSON (${(error as Error).message})`)
  }
  if (!isJsonObject(raw)) throw new InvalidSnapshotError(source, '', 'it is not a JSON object')
  const parsed = snapshotSchema.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new InvalidSnapshotError(source, issue.path.map(String).join('.'), issue.message)
  }
  const objects = dictionary<SnapshotEntry>()
  for (const [id, entry] of Object.entries(parsed.data.objects))
    objects[id] = {
      data: entry.data as JsonObject,
      meta: {
        ...entry.meta,
        issue_number: entry.meta.issue_number ?? 0,
        object_id: entry.meta.object_id ?? id,
        created_at: entry.meta.created_at,
        updated_at: entry.meta.updated_at,
        version: entry.meta.version ?? 1
      }
    }
  const aliases = parsed.data.relationships?.aliases
  return {
    snapshot_time: parsed.data.snapshot_time,
    repository: parsed.data.repository,
    objects,
    ...(aliases && Object.keys(aliases).length > 0 ? { relationships: { aliases } } : {})
  }
}

/**
 * The file text, as gh-store's `json.dumps(snapshot, indent=2)` writes it: same keys, same
 * order, non-ASCII characters escaped, no trailing newline.
 */
export function serializeSnapshot(snapshot: Snapshot): string {
  const ordered: Snapshot = {
    snapshot_time: snapshot.snapshot_time,
    repository: snapshot.repository,
    objects: snapshot.objects,
    ...(snapshot.relationships && Object.keys(snapshot.relationships.aliases).length > 0
      ? { relationships: { aliases: snapshot.relationships.aliases } }
      : {})
  }
  return pythonJson(ordered)
}

/** `JSON.stringify(value, null, 2)` with Python's default `ensure_ascii` escaping. */
export function pythonJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(
    /[\u0080-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`
  )
}

/**
 * Python's `datetime.isoformat()` of a UTC time: `2025-01-18T00:37:15.812000+00:00` (µs;
 * JavaScript has ms, so the last three digits are 0).
 */
export function pythonIsoformat(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000+00:00')
}

/** A GitHub timestamp (`2025-01-16T06:56:05Z`) as PyGithub's `isoformat()` gives it (`+00:00`). */
export function githubTimeToPython(timestamp: string): string {
  return timestamp.endsWith('Z') ? `${timestamp.slice(0, -1)}+00:00` : timestamp
}
