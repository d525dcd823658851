/**
 * The one nesting limit of hubstore's JSON. Every JSON text core reads (files, documents,
 * variables, inputs) is refused past it with a `JsonTooDeepError` naming the limit and the path,
 * instead of a `RangeError: Maximum call stack size exceeded` from a recursive walk later.
 */
import { JsonTooDeepError } from './errors.js'
import { childPlace, pathText, type JsonPlace } from './value.js'

/**
 * Deepest object/array nesting accepted in any JSON hubstore reads or writes (a scalar is 0,
 * `{}` is 1): 512. Far below what the recursive walks of V8 (`JSON.stringify`, `structuredClone`)
 * survive on Node's default stack (they fail near 10,000 levels), and below Python's default
 * recursion limit of 1,000 (https://docs.python.org/3/library/sys.html#sys.getrecursionlimit),
 * so gh-store's Python `json` can read whatever hubstore writes. Stored objects have their own,
 * lower limit (`MAX_NESTING_DEPTH`, 100). docs/gh-store-format.md §1.8.
 */
export const MAX_JSON_DEPTH = 512

/**
 * Checks the nesting of a plain value (what `JSON.parse` returns: objects, arrays; `Map`s too)
 * without recursion, so any depth is safe to check. No request.
 *
 * @throws JsonTooDeepError naming `limit` and the path of the first object or array past it.
 */
export function checkJsonDepth(value: unknown, limit: number = MAX_JSON_DEPTH): void {
  const stack: Array<{ value: unknown; place: JsonPlace; depth: number }> = [
    { value, place: null, depth: 0 }
  ]
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const { value: current, place, depth } = item
    if (typeof current !== 'object' || current === null) continue
    if (depth + 1 > limit) throw new JsonTooDeepError(limit, pathText(place))
    if (Array.isArray(current))
      current.forEach((child: unknown, i) =>
        stack.push({ value: child, place: childPlace(place, i), depth: depth + 1 })
      )
    else if (current instanceof Map)
      for (const [key, child] of current as Map<unknown, unknown>)
        stack.push({ value: child, place: childPlace(place, String(key)), depth: depth + 1 })
    else
      for (const key of Object.keys(current))
        stack.push({
          value: (current as Record<string, unknown>)[key],
          place: childPlace(place, key),
          depth: depth + 1
        })
  }
}

/**
 * `JSON.parse(text)` with the nesting checked ({@link checkJsonDepth}): `JSON.parse` itself reads
 * any depth, but what is done with its value afterwards may not.
 *
 * @throws SyntaxError (not JSON, from `JSON.parse`), JsonTooDeepError.
 */
export function parseJsonChecked(text: string, limit: number = MAX_JSON_DEPTH): unknown {
  const value: unknown = JSON.parse(text)
  checkJsonDepth(value, limit)
  return value
}
