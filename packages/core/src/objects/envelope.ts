/**
 * Update comments on the wire (docs/gh-store-format.md §2.1–§2.3): parsing an untrusted comment
 * body into an update, the initial state or a typed rejection, and building the envelopes hubstore
 * posts. Parsing never throws.
 */
import { z } from 'zod'
import {
  CLIENT_VERSION,
  INITIAL_STATE_TYPE,
  MAX_BODY_CHARS,
  MAX_NESTING_DEPTH
} from './constants.js'
import { isJsonObject, kindOf, ownValue, scanJson, type JsonObject } from './json.js'
import type { UpdateMode } from './merge.js'

/** Why a comment was rejected (the `code` in `ProcessResult.rejected`). */
export type RejectionCode =
  | 'NOT_JSON'
  | 'TOO_LARGE'
  | 'TOO_DEEP'
  | 'INVALID_ENVELOPE'
  | 'DATA_NOT_OBJECT'
  | 'FORBIDDEN_KEY'
  | 'UNAUTHORIZED'

/** The `_meta` of an update as read (legacy comments get gh-store's synthetic meta, §2.3). */
export interface UpdateMeta {
  clientVersion: string
  timestamp: string
  mode: UpdateMode
}

/** What a comment body turned out to be. */
export type ParsedComment =
  | { kind: 'update'; format: 'envelope' | 'legacy'; data: JsonObject; meta: UpdateMeta }
  | { kind: 'initial_state' }
  | { kind: 'rejected'; code: RejectionCode; reason: string }

/** ISO 8601 date-time: Python's `isoformat()` (`…+00:00`, µs) and JS `toISOString()` (`…Z`). */
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/

/** `_meta` of the current envelope: the three keys gh-store requires non-null (§2.1). */
const metaSchema = z.looseObject({
  client_version: z.string().min(1),
  timestamp: z.string().regex(ISO_TIMESTAMP, 'expected an ISO 8601 date-time'),
  update_mode: z.enum(['append', 'replace']),
  issue_number: z.number().int().nullish()
})

/**
 * Parses an update comment, in gh-store's order (§2.5 step 3), with its defects fixed:
 * - longer than 65,536 characters → `TOO_LARGE`; not JSON → `NOT_JSON`;
 * - nested deeper than `MAX_NESTING_DEPTH` → `TOO_DEEP`;
 * - `"type": "initial_state"` (current §2.2 or legacy PR #9 format) → `initial_state` (skipped);
 * - an object with `_data` is an envelope: `_meta` must hold `client_version`, an ISO
 *   `timestamp` and `update_mode` `append`|`replace` (`INVALID_ENVELOPE`); `_data` must be an
 *   object (`DATA_NOT_OBJECT`; gh-store crashed here, §7.4 item 4);
 * - any other JSON is a legacy update whose whole value is `_data` (§2.3), so a bare array or
 *   scalar is `DATA_NOT_OBJECT`;
 * - `__proto__`, `constructor` or `prototype` anywhere in the data → `FORBIDDEN_KEY`.
 *
 * @param createdAt the comment's `created_at`, the timestamp of legacy updates (§2.3)
 */
export function parseComment(body: string | null | undefined, createdAt: string): ParsedComment {
  if (typeof body !== 'string' || body.trim() === '')
    return reject('NOT_JSON', 'the comment is empty')
  if (body.length > MAX_BODY_CHARS)
    return reject(
      'TOO_LARGE',
      `the comment has ${body.length} characters (limit ${MAX_BODY_CHARS})`
    )
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch (error) {
    return reject('NOT_JSON', `the comment is not JSON (${(error as Error).message})`)
  }
  const scan = scanJson(parsed)
  if (scan.depth > MAX_NESTING_DEPTH)
    return reject('TOO_DEEP', `the JSON nests deeper than ${MAX_NESTING_DEPTH} levels`)
  if (isJsonObject(parsed) && ownValue(parsed, 'type') === INITIAL_STATE_TYPE)
    return { kind: 'initial_state' }

  let data: unknown
  let meta: UpdateMeta
  let format: 'envelope' | 'legacy'
  if (isJsonObject(parsed) && Object.hasOwn(parsed, '_data')) {
    format = 'envelope'
    const rawMeta = ownValue(parsed, '_meta')
    const result = metaSchema.safeParse(rawMeta)
    if (!result.success)
      return reject('INVALID_ENVELOPE', describeMetaIssues(rawMeta, result.error))
    meta = {
      clientVersion: result.data.client_version,
      timestamp: result.data.timestamp,
      mode: result.data.update_mode
    }
    data = ownValue(parsed, '_data')
  } else {
    format = 'legacy'
    meta = { clientVersion: 'legacy', timestamp: createdAt, mode: 'append' }
    data = parsed
  }
  if (!isJsonObject(data))
    return reject(
      'DATA_NOT_OBJECT',
      `${format === 'envelope' ? '_data' : 'the legacy update'} is ${kindOf(data)}, not a JSON object`
    )
  if (scan.forbiddenKeyPaths.length > 0)
    return reject('FORBIDDEN_KEY', `reserved key(s) ${scan.forbiddenKeyPaths.join(', ')}`)
  return { kind: 'update', format, data, meta }
}

function reject(code: RejectionCode, reason: string): ParsedComment {
  return { kind: 'rejected', code, reason }
}

function describeMetaIssues(meta: unknown, error: z.ZodError): string {
  if (!isJsonObject(meta))
    return `_meta is ${meta === undefined ? 'missing' : kindOf(meta)}, not an object`
  const issues = error.issues.map((issue) => {
    const key = String(issue.path[0] ?? '')
    const value = ownValue(meta, key)
    return value === undefined || value === null
      ? `_meta.${key} is missing`
      : `_meta.${key}: ${issue.message}`
  })
  return `invalid envelope: ${issues.join('; ')}`
}

/** Fields of an outgoing envelope. */
export interface EnvelopeInput {
  data: JsonObject
  /** ISO timestamp, e.g. `new Date().toISOString()` */
  timestamp: string
  mode: UpdateMode
  issueNumber: number
  /** `initial_state` for the comment createObject posts (§2.2) */
  type?: typeof INITIAL_STATE_TYPE
  /**
   * Write the JSON without indentation (default false: 2-space, as gh-store). createObject's
   * initial-state comment falls back to it when the 2-space form would exceed the comment limit
   * (§2.2).
   */
  compact?: boolean
}

/**
 * The comment body gh-store clients post (§2.1): 2-space JSON, keys in the order `_data`,
 * `_meta` {`client_version`, `timestamp`, `update_mode`, `issue_number`}, then `type` when set.
 */
export function buildEnvelope(input: EnvelopeInput): string {
  return JSON.stringify(
    {
      _data: input.data,
      _meta: {
        client_version: CLIENT_VERSION,
        timestamp: input.timestamp,
        update_mode: input.mode,
        issue_number: input.issueNumber
      },
      ...(input.type ? { type: input.type } : {})
    },
    null,
    input.compact ? undefined : 2
  )
}
