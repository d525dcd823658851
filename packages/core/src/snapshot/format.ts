/**
 * gh-store's snapshot file (docs/gh-store-format.md §3.1), read and written byte-compatibly with
 * its Python writer: `json.dumps(snapshot, indent=2)` (§1.8: 2-space indent, `","`/`": "`
 * separators, non-ASCII escaped as `\uXXXX`, Python's number forms), objects and their keys in
 * their order, timestamps in Python's `isoformat()` form with `+00:00`. Reading is tolerant of
 * older files (January 2025 snapshots have no `meta.issue_number` / `meta.object_id`) and of `Z`
 * timestamps.
 */
import { z } from 'zod'
import { InvalidSnapshotError } from '../errors.js'
import {
  fromPlainJson,
  isJsonMap,
  JsonTextError,
  parseJson,
  serializeJson,
  setOwn,
  toPlainJson,
  type JsonMap,
  type JsonValue
} from '../json/index.js'

/** One object in a snapshot (§3.1). */
export interface SnapshotEntry {
  /** the issue body, parsed: keys in order, numbers as written (§1.8) */
  data: JsonMap
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
  /**
   * object id → entry, in file order: gh-store lists issues newest first (§3.1) and an update
   * keeps existing ids in place and appends new ones (§3.2). A `Map`, so every id keeps its place
   * (integer-like ids too) and no id is ever a property name.
   */
  objects: Map<string, SnapshotEntry>
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
 * @throws InvalidSnapshotError (`INVALID_SNAPSHOT`) naming the first bad field (or the path of a
 *   number a double cannot hold, §1.8).
 */
export function parseSnapshot(text: string, source: string): Snapshot {
  let raw: JsonValue
  try {
    raw = parseJson(text)
  } catch (error) {
    if (!(error instanceof JsonTextError)) throw error
    if (error.problem !== 'syntax') throw new InvalidSnapshotError(source, error.path, error.detail)
    throw new InvalidSnapshotError(source, '', `it is not JSON (${error.message})`)
  }
  if (!isJsonMap(raw)) throw new InvalidSnapshotError(source, '', 'it is not a JSON object')
  // The schema checks the plain view; the entries' data and the order come from `raw`.
  const parsed = snapshotSchema.safeParse(toPlainJson(raw))
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new InvalidSnapshotError(source, issue.path.map(String).join('.'), issue.message)
  }
  const objects = new Map<string, SnapshotEntry>()
  for (const [id, value] of raw.get('objects') as JsonMap) {
    const entry = value as JsonMap
    const meta = toPlainJson(entry.get('meta') as JsonMap) as Record<string, unknown> &
      z.infer<typeof entrySchema>['meta']
    objects.set(id, {
      data: entry.get('data') as JsonMap,
      meta: {
        ...meta,
        issue_number: meta.issue_number ?? 0,
        object_id: meta.object_id ?? id,
        created_at: meta.created_at,
        updated_at: meta.updated_at,
        version: meta.version ?? 1
      }
    })
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
 * The file text, as gh-store's `json.dumps(snapshot, indent=2)` writes it (§1.8): same keys, same
 * order, non-ASCII characters escaped, no trailing newline.
 */
export function serializeSnapshot(snapshot: Snapshot): string {
  const objects: JsonMap = new Map()
  for (const [id, entry] of snapshot.objects)
    objects.set(
      id,
      new Map<string, JsonValue>([
        ['data', entry.data],
        ['meta', fromPlainJson(entry.meta, 2)]
      ])
    )
  const file: JsonMap = new Map<string, JsonValue>([
    ['snapshot_time', snapshot.snapshot_time],
    ['repository', snapshot.repository],
    ['objects', objects]
  ])
  const aliases = snapshot.relationships?.aliases
  if (aliases && Object.keys(aliases).length > 0)
    file.set('relationships', fromPlainJson({ aliases }, 3))
  return serializeJson(file)
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

/**
 * A snapshot's objects as plain data: object id → `{data, meta}` with `data` as in
 * `StoredObject.data` (every key an own property, `__proto__` included). JavaScript lists
 * integer-like ids and keys first; the file order is `snapshot.objects`' order.
 */
export function snapshotObjects(
  snapshot: Pick<Snapshot, 'objects'>
): Record<string, { data: Record<string, unknown>; meta: SnapshotEntry['meta'] }> {
  const out: Record<string, { data: Record<string, unknown>; meta: SnapshotEntry['meta'] }> = {}
  for (const [id, entry] of snapshot.objects)
    setOwn(out, id, { data: toPlainJson(entry.data), meta: entry.meta })
  return out
}
