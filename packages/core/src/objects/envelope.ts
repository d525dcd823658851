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
  MAX_NESTING_DEPTH,
  REPLACE_CLIENT_VERSION_KEY
} from './constants.js'
import {
  fromPlainJson,
  JsonTextError,
  parseJson,
  serializeJson,
  toPlainJson,
  type JsonMap,
  type JsonValue
} from '../json/index.js'
import { isJsonObjectValue, kindOf } from './json.js'
import type { UpdateMode } from './merge.js'

/** Why a comment was rejected (the `code` in `ProcessResult.rejected`). */
export type RejectionCode =
  | 'NOT_JSON'
  | 'TOO_LARGE'
  | 'TOO_DEEP'
  | 'INVALID_ENVELOPE'
  | 'DATA_NOT_OBJECT'
  | 'UNAUTHORIZED'
  | 'NUMBER_OUT_OF_RANGE'
  | 'OUT_OF_ORDER'

/** The `_meta` of an update as read (legacy comments get gh-store's synthetic meta, §2.3). */
export interface UpdateMeta {
  clientVersion: string
  timestamp: string
  mode: UpdateMode
}

/** What a comment body turned out to be. */
export type ParsedComment =
  | { kind: 'update'; format: 'envelope' | 'legacy'; data: JsonMap; meta: UpdateMeta }
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
 * - a number a double cannot hold as written (`1e309`, `12345678901234567890`, `1e-400`) →
 *   `NUMBER_OUT_OF_RANGE`, naming its path (docs/gh-store-format.md §1.8; Python would store
 *   `inf`, the exact integer or `0.0`, which hubstore could not write back);
 * - `"type": "initial_state"` (current §2.2 or legacy PR #9 format) → `initial_state` (skipped);
 * - an object with `_data` is an envelope: `_meta` must hold `client_version`, an ISO
 *   `timestamp` and `update_mode` `append`|`replace` (`INVALID_ENVELOPE`); `_data` must be an
 *   object (`DATA_NOT_OBJECT`; gh-store crashed here, §7.4 item 4);
 * - any other JSON is a legacy update whose whole value is `_data` (§2.3), so a bare array or
 *   scalar is `DATA_NOT_OBJECT`.
 *
 * Keys such as `__proto__`, `constructor` and `prototype` are data like any other (§1.8).
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
  let parsed: JsonValue
  try {
    parsed = parseJson(body, { maxDepth: MAX_NESTING_DEPTH })
  } catch (error) {
    if (!(error instanceof JsonTextError)) throw error
    if (error.problem === 'depth')
      return reject('TOO_DEEP', `the JSON nests deeper than ${MAX_NESTING_DEPTH} levels`)
    if (error.problem === 'number') return reject('NUMBER_OUT_OF_RANGE', error.message)
    return reject('NOT_JSON', `the comment is not JSON (${error.message})`)
  }
  if (isJsonObjectValue(parsed) && parsed.get('type') === INITIAL_STATE_TYPE)
    return { kind: 'initial_state' }

  let data: JsonValue | undefined
  let meta: UpdateMeta
  let format: 'envelope' | 'legacy'
  if (isJsonObjectValue(parsed) && parsed.has('_data')) {
    format = 'envelope'
    const rawMeta = parsed.get('_meta')
    const plainMeta = readableMeta(rawMeta === undefined ? undefined : toPlainJson(rawMeta))
    const result = metaSchema.safeParse(plainMeta)
    if (!result.success)
      return reject('INVALID_ENVELOPE', describeMetaIssues(plainMeta, result.error))
    meta = {
      clientVersion: result.data.client_version,
      timestamp: result.data.timestamp,
      mode: result.data.update_mode
    }
    data = parsed.get('_data')
  } else {
    format = 'legacy'
    meta = { clientVersion: 'legacy', timestamp: createdAt, mode: 'append' }
    data = parsed
  }
  if (!isJsonObjectValue(data))
    return reject(
      'DATA_NOT_OBJECT',
      `${format === 'envelope' ? '_data' : 'the legacy update'} is ${kindOf(data)}, not a JSON object`
    )
  return { kind: 'update', format, data, meta }
}

/**
 * `_meta` with a hubstore `replace` update's client version put back where gh-store keeps it: such
 * an update has `client_version: null` and the version under `REPLACE_CLIENT_VERSION_KEY` (§2.10).
 */
function readableMeta(meta: unknown): unknown {
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) return meta
  const m = meta as Record<string, unknown>
  const kept = Object.hasOwn(m, REPLACE_CLIENT_VERSION_KEY)
    ? m[REPLACE_CLIENT_VERSION_KEY]
    : undefined
  if (m.client_version !== null || m.update_mode !== 'replace' || typeof kept !== 'string')
    return meta
  return { ...m, client_version: kept }
}

function reject(code: RejectionCode, reason: string): ParsedComment {
  return { kind: 'rejected', code, reason }
}

function describeMetaIssues(meta: unknown, error: z.ZodError): string {
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta))
    return `_meta is ${meta === undefined ? 'missing' : kindOf(meta)}, not an object`
  const issues = error.issues.map((issue) => {
    const key = String(issue.path[0] ?? '')
    const value = Object.hasOwn(meta, key) ? (meta as Record<string, unknown>)[key] : undefined
    return value === undefined || value === null
      ? `_meta.${key} is missing`
      : `_meta.${key}: ${issue.message}`
  })
  return `invalid envelope: ${issues.join('; ')}`
}

/** Fields of an outgoing envelope. */
export interface EnvelopeInput {
  data: JsonMap
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
 * The comment body gh-store clients post (§2.1), written as gh-store's Python client writes it
 * (`json.dumps(payload, indent=2)`, §1.8): keys in the order `_data`, `_meta` {`client_version`,
 * `timestamp`, `update_mode`, `issue_number`}, then `type` when set.
 *
 * A `replace` update is written so that gh-store's processor cannot misapply it (§2.10): its
 * `client_version` is `null` (gh-store then skips the comment as invalid metadata instead of
 * deep-merging it) and the version follows as `hubstore_client_version`; `update_mode` stays
 * `"replace"`, which gh-store's canonical virtual merge honours.
 */
export function buildEnvelope(input: EnvelopeInput): string {
  const envelope: JsonMap = new Map<string, JsonValue>([
    ['_data', input.data],
    [
      '_meta',
      fromPlainJson(
        {
          client_version: input.mode === 'replace' ? null : CLIENT_VERSION,
          timestamp: input.timestamp,
          update_mode: input.mode,
          issue_number: input.issueNumber,
          ...(input.mode === 'replace' ? { [REPLACE_CLIENT_VERSION_KEY]: CLIENT_VERSION } : {})
        },
        2
      )
    ]
  ])
  if (input.type) envelope.set('type', input.type)
  return serializeJson(envelope, { compact: input.compact })
}
