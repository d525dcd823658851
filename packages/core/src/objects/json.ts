/**
 * JSON helpers shared by the object store: plain-object checks, a stack-free depth and key scan,
 * and the body serialisation gh-store uses (`JSON.stringify(data, null, 2)`,
 * docs/gh-store-format.md §1.3). Data from GitHub is untrusted: `JSON.parse` turns `"__proto__"`
 * into an own key.
 */
import { MAX_NESTING_DEPTH } from './constants.js'

/** A JSON object (the only shape a stored object's state may have). */
export type JsonObject = Record<string, unknown>

/** Keys that are never read from untrusted data, merged or written (prototype pollution). */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set([
  '__proto__',
  'constructor',
  'prototype'
])

/** True for a non-null, non-array object (what `JSON.parse` returns for `{…}`). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Own property read that never falls through to `Object.prototype`. */
export function ownValue(object: JsonObject, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined
}

/** What {@link scanJson} found. */
export interface JsonScan {
  /** deepest nesting of objects/arrays (a scalar is 0, `{}` is 1); stops counting past the limit */
  depth: number
  /** dotted paths of forbidden keys, e.g. `a.__proto__` (at most 10 reported) */
  forbiddenKeyPaths: string[]
}

/**
 * Walks a parsed JSON value without recursion (so a 5,000-level document cannot overflow the
 * stack), measuring nesting depth and finding forbidden keys. Stops descending below
 * `MAX_NESTING_DEPTH + 1`.
 */
export function scanJson(value: unknown): JsonScan {
  const forbiddenKeyPaths: string[] = []
  let depth = 0
  const stack: Array<{ value: unknown; depth: number; path: string }> = [
    { value, depth: 0, path: '' }
  ]
  while (stack.length > 0) {
    const item = stack.pop()!
    if (typeof item.value !== 'object' || item.value === null) continue
    const level = item.depth + 1
    depth = Math.max(depth, level)
    if (level > MAX_NESTING_DEPTH) continue
    if (Array.isArray(item.value)) {
      item.value.forEach((v, i) =>
        stack.push({ value: v, depth: level, path: `${item.path}[${i}]` })
      )
      continue
    }
    for (const key of Object.keys(item.value)) {
      const path = item.path ? `${item.path}.${key}` : key
      if (FORBIDDEN_KEYS.has(key)) {
        if (forbiddenKeyPaths.length < 10) forbiddenKeyPaths.push(path)
        continue
      }
      stack.push({ value: (item.value as JsonObject)[key], depth: level, path })
    }
  }
  return { depth, forbiddenKeyPaths }
}

/** A stored object's issue body: 2-space JSON, exactly as gh-store writes it (§1.3). */
export function toBody(data: JsonObject): string {
  return JSON.stringify(data, null, 2)
}

/** Problem with caller-supplied data, or `undefined` when it can be stored as is. */
export function describeDataProblem(data: unknown): string | undefined {
  if (!isJsonObject(data)) return `expected a JSON object, got ${kindOf(data)}`
  let text: string
  try {
    text = JSON.stringify(data)
  } catch (error) {
    return `it is not JSON-serialisable (${(error as Error).message})`
  }
  const scan = scanJson(JSON.parse(text))
  if (scan.depth > MAX_NESTING_DEPTH) return `it nests deeper than ${MAX_NESTING_DEPTH} levels`
  if (scan.forbiddenKeyPaths.length > 0)
    return `it uses the reserved key(s) ${scan.forbiddenKeyPaths.join(', ')}`
  return undefined
}

/** Normalises caller data through JSON (drops `undefined`, turns Dates into strings…). */
export function normaliseData(data: JsonObject): JsonObject {
  return JSON.parse(JSON.stringify(data)) as JsonObject
}

/** `an array`, `null`, `a string`… for messages. */
export function kindOf(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`
}
