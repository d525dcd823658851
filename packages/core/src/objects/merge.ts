/**
 * gh-store's merge (`CommentHandler._deep_merge`, docs/gh-store-format.md §2.6) plus `update_mode`
 * `replace` (which gh-store's processor ignores, §2.10), on ordered JSON values (§1.8): every key
 * is data, `__proto__` and `constructor` included, and key order follows Python's `dict`
 * (existing keys keep their place, new keys go last). Inputs are never mutated; values are
 * shared, never copied, since nothing mutates a `JsonValue`.
 */
import { isJsonMap, type JsonMap } from '../json/index.js'

/** How an update combines with the current state (`_meta.update_mode`, §2.1). */
export type UpdateMode = 'append' | 'replace'

/**
 * Deep merge, as gh-store: recursive where both sides are objects; anything else in the update
 * (arrays, scalars, `null`) replaces the base value. Arrays are never concatenated and `null` is
 * stored, not a deletion. Verified gh-store example: `{"a":{"b":1,"c":[1,2]},"d":5}` merged with
 * `{"a":{"c":[3],"e":null},"d":null}` gives `{"a":{"b":1,"c":[3],"e":null},"d":null}`.
 *
 * Recursion depth is bounded by the update's nesting, which the parser limits.
 */
export function deepMerge(base: JsonMap, update: JsonMap): JsonMap {
  const result: JsonMap = new Map(base)
  for (const [key, incoming] of update) {
    const current = result.get(key)
    result.set(
      key,
      isJsonMap(current) && isJsonMap(incoming) ? deepMerge(current, incoming) : incoming
    )
  }
  return result
}

/** Applies one update: `append` deep-merges, `replace` makes the update the whole new state. */
export function applyUpdate(state: JsonMap, update: JsonMap, mode: UpdateMode): JsonMap {
  return mode === 'append' ? deepMerge(state, update) : update
}

/** Applies updates in order (the fold a processing run performs). */
export function applyUpdates(
  state: JsonMap,
  updates: ReadonlyArray<{ data: JsonMap; mode: UpdateMode }>
): JsonMap {
  return updates.reduce((current, u) => applyUpdate(current, u.data, u.mode), state)
}
