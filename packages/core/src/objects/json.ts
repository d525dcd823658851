/**
 * The object store's JSON: stored state and updates are {@link JsonMap}s (ordered, any key name,
 * numbers as written; docs/gh-store-format.md §1.8), read from bodies and comments with
 * `parseJson` and written with gh-store's Python form (`json.dumps(data, indent=2)`, §1.3).
 * What library callers pass in and get back is plain data, converted here.
 */
import {
  fromPlainJson,
  isJsonMap,
  JsonValueError,
  serializeJson,
  toPlainJson
} from '../json/index.js'
import type { JsonMap, JsonValue } from '../json/index.js'
import { MAX_NESTING_DEPTH } from './constants.js'

/**
 * A JSON object as plain data: what `getObject` and the other readers return in `data`. Every key
 * is an own property (`__proto__` too); integer-like keys come first, as in any JavaScript object,
 * so the exact order is in the reader's `json` text.
 */
export type JsonObject = Record<string, unknown>

/** What callers may pass as an object's data or changes: plain data, or an ordered `JsonMap`. */
export type JsonObjectInput = Record<string, unknown> | JsonMap

/** A stored object's issue body: gh-store's Python `json.dumps(data, indent=2)` (§1.3, §1.8). */
export function toBody(data: JsonMap): string {
  return serializeJson(data)
}

/** Plain data of a JSON object (see {@link JsonObject}). */
export function toPlainObject(data: JsonMap): JsonObject {
  return toPlainJson(data) as JsonObject
}

/**
 * Caller data as a `JsonMap`, or the problem with it: not an object, nested deeper than
 * `MAX_NESTING_DEPTH`, or holding what JSON cannot express exactly (`NaN`, `Infinity`, bigint),
 * with its path.
 */
export function toJsonObject(data: unknown): { value: JsonMap } | { problem: string } {
  if (!isJsonMap(data) && !isPlainObjectLike(data))
    return { problem: `expected a JSON object, got ${kindOf(data)}` }
  try {
    return { value: fromPlainJson(data, MAX_NESTING_DEPTH) as JsonMap }
  } catch (error) {
    if (error instanceof JsonValueError) return { problem: error.message }
    throw error
  }
}

function isPlainObjectLike(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** `an array`, `null`, `a string`… for messages. */
export function kindOf(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (value instanceof Map) return 'an object'
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`
}

/** True for a JSON object value. */
export function isJsonObjectValue(value: JsonValue | undefined): value is JsonMap {
  return isJsonMap(value)
}
