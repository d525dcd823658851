/**
 * gh-store's merge (`CommentHandler._deep_merge`, docs/gh-store-format.md §2.6) plus `update_mode`
 * `replace` (which gh-store's processor ignores, §7.4 item 5). Inputs are never mutated; results are
 * fresh objects. Keys in `FORBIDDEN_KEYS` are never read or written, at any depth, on either side:
 * they are dropped and reported, so merging untrusted JSON cannot touch `Object.prototype`.
 */
import { FORBIDDEN_KEYS, isJsonObject, type JsonObject } from './json.js'

/** How an update combines with the current state (`_meta.update_mode`, §2.1). */
export type UpdateMode = 'append' | 'replace'

/** The result of a merge: the new state and the dotted paths of dropped forbidden keys. */
export interface MergeResult {
  data: JsonObject
  droppedKeyPaths: string[]
}

/**
 * Deep merge, as gh-store: recursive where both sides are objects; anything else in the update
 * (arrays, scalars, `null`) replaces the base value. Arrays are never concatenated and `null` is
 * stored, not a deletion. Verified gh-store example: `{"a":{"b":1,"c":[1,2]},"d":5}` merged with
 * `{"a":{"c":[3],"e":null},"d":null}` gives `{"a":{"b":1,"c":[3],"e":null},"d":null}`.
 *
 * Recursion depth is bounded by the update's nesting; callers reject updates deeper than
 * `MAX_NESTING_DEPTH` first.
 */
export function deepMerge(base: JsonObject, update: JsonObject): MergeResult {
  const dropped: string[] = []
  const data = cloneObject(base, '', dropped)
  mergeInto(data, update, '', dropped)
  return { data, droppedKeyPaths: dropped }
}

/** A deep copy without forbidden keys (how untrusted state enters a merge). */
export function cloneJson(value: JsonObject): MergeResult {
  const dropped: string[] = []
  return { data: cloneObject(value, '', dropped), droppedKeyPaths: dropped }
}

/** Applies one update: `append` deep-merges, `replace` makes the update the whole new state. */
export function applyUpdate(state: JsonObject, update: JsonObject, mode: UpdateMode): MergeResult {
  if (mode === 'append') return deepMerge(state, update)
  return cloneJson(update)
}

/** Applies updates in order (the fold a processing run performs). */
export function applyUpdates(
  state: JsonObject,
  updates: ReadonlyArray<{ data: JsonObject; mode: UpdateMode }>
): JsonObject {
  return updates.reduce((current, u) => applyUpdate(current, u.data, u.mode).data, state)
}

/** Merges `update` into `target`, a fresh object this module owns (so mutating it is safe). */
function mergeInto(target: JsonObject, update: JsonObject, path: string, dropped: string[]): void {
  for (const key of Object.keys(update)) {
    const keyPath = path ? `${path}.${key}` : key
    if (FORBIDDEN_KEYS.has(key)) {
      dropped.push(keyPath)
      continue
    }
    const incoming = update[key]
    const current = Object.hasOwn(target, key) ? target[key] : undefined
    if (isJsonObject(current) && isJsonObject(incoming))
      mergeInto(current, incoming, keyPath, dropped)
    else target[key] = cloneValue(incoming, keyPath, dropped)
  }
}

function cloneObject(source: JsonObject, path: string, dropped: string[]): JsonObject {
  const result: JsonObject = {}
  for (const key of Object.keys(source)) {
    const keyPath = path ? `${path}.${key}` : key
    if (FORBIDDEN_KEYS.has(key)) {
      dropped.push(keyPath)
      continue
    }
    result[key] = cloneValue(source[key], keyPath, dropped)
  }
  return result
}

function cloneValue(value: unknown, path: string, dropped: string[]): unknown {
  if (Array.isArray(value)) return value.map((v, i) => cloneValue(v, `${path}[${i}]`, dropped))
  if (isJsonObject(value)) return cloneObject(value, path, dropped)
  return value
}
