/**
 * hubstore's JSON value: what a body, comment, snapshot or state document holds, kept exactly as
 * written (docs/gh-store-format.md §1.8). Objects are `Map`s, so every key — `__proto__`,
 * `constructor`, `prototype`, integer-like keys such as `"10"` — is plain data in its written
 * order, as in a Python `dict`; nothing is ever assigned onto a JavaScript object by key. Numbers
 * are JavaScript numbers, plus {@link JsonNumber} where Python's int/float type would be printed
 * differently from the JavaScript default (`1.0`, `1e5`, `-0.0`, integers ≥ 1e21).
 */
import { displayPath } from './errors.js'

/** A JSON object: keys in written order, any key name (a later duplicate replaces the value in place). */
export type JsonMap = Map<string, JsonValue>

/** Any JSON value, as {@link parseJson} returns and {@link serializeJson} writes it. */
export type JsonValue = null | boolean | number | string | JsonNumber | JsonValue[] | JsonMap

/**
 * A number whose Python type is not what its JavaScript value suggests: `kind: 'float'` for an
 * integral value written with a fraction or exponent (`1.0`, `2e3`, `-0.0`; Python prints `1.0`,
 * `2000.0`, `-0.0`), `kind: 'int'` for an integer written without one but ≥ 1e21 in magnitude
 * (Python prints every digit). Plain numbers cover everything else.
 */
export class JsonNumber {
  constructor(
    readonly value: number,
    readonly kind: 'int' | 'float'
  ) {}
}

/** True for a JSON object. */
export function isJsonMap(value: unknown): value is JsonMap {
  return value instanceof Map
}

/** A value (or `JsonMap` entry) could not be turned into JSON. */
export class JsonValueError extends Error {
  constructor(
    /** where, e.g. `a.b[2]` (`''` for the value itself) */
    readonly path: string,
    /** what is wrong, e.g. `Infinity cannot be written as JSON` */
    readonly problem: string
  ) {
    super(path ? `${displayPath(path)}: ${problem}` : problem)
    this.name = 'JsonValueError'
  }
}

/** A child path: `a.b`, `a[0]`, or `a["x y"]` for keys that are not identifiers. */
export function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`
  if (/^[A-Za-z_$][\w$]*$/.test(key)) return path ? `${path}.${key}` : key
  return `${path}[${JSON.stringify(key)}]`
}

/**
 * Where a value sits while a walk (parse, conversion, depth check) descends: `null` for the
 * value itself, else the parent's place and the key or index. Written as text ({@link pathText})
 * only when an error names it: building `a.b[2]` for every value read was most of a large
 * document's conversion time.
 */
export type JsonPlace = null | { readonly parent: JsonPlace; readonly key: string | number }

/** The place of `key` inside `parent`. */
export function childPlace(parent: JsonPlace, key: string | number): JsonPlace {
  return { parent, key }
}

/** A place as {@link childPath} writes it (`''` for the value itself). */
export function pathText(place: JsonPlace): string {
  const keys: Array<string | number> = []
  for (let p = place; p !== null; p = p.parent) keys.push(p.key)
  let path = ''
  for (let i = keys.length - 1; i >= 0; i--) path = childPath(path, keys[i])
  return path
}

/**
 * Converts caller data (plain objects, arrays, `Map`s, `JsonNumber`s) into a {@link JsonValue},
 * as `JSON.stringify` would see it — `toJSON()` is called (Dates become strings), `undefined`,
 * functions and symbols are left out of objects and become `null` in arrays — except that what
 * `JSON.stringify` would silently change is refused: `NaN`, `±Infinity` (it writes `null`) and
 * `bigint` (it throws). Own enumerable keys only, so an own `__proto__` key is data.
 *
 * @throws JsonValueError naming the path, also when nesting exceeds `maxDepth` (a cycle does).
 */
export function fromPlainJson(value: unknown, maxDepth: number): JsonValue {
  return convert(value, null, 0, maxDepth)
}

function convert(input: unknown, place: JsonPlace, depth: number, maxDepth: number): JsonValue {
  let value = input
  if (
    typeof value === 'object' &&
    value !== null &&
    !(value instanceof Map) &&
    !(value instanceof JsonNumber) &&
    typeof (value as { toJSON?: unknown }).toJSON === 'function'
  )
    value = (value as { toJSON: () => unknown }).toJSON()
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value
  if (typeof value === 'number') {
    if (!Number.isFinite(value))
      throw new JsonValueError(
        pathText(place),
        `${value} is not a JSON number (JSON.stringify writes null)`
      )
    return value
  }
  if (value instanceof JsonNumber) {
    if (!Number.isFinite(value.value))
      throw new JsonValueError(pathText(place), `${value.value} is not a JSON number`)
    return value
  }
  if (typeof value === 'bigint')
    throw new JsonValueError(
      pathText(place),
      `the bigint ${value} is not a JSON number; pass a number`
    )
  if (typeof value !== 'object')
    throw new JsonValueError(pathText(place), `a ${typeof value} is not JSON`)
  if (depth + 1 > maxDepth)
    throw new JsonValueError(
      pathText(place),
      `too deep: it nests deeper than ${maxDepth} levels, the limit (or is circular)`
    )
  if (Array.isArray(value))
    return value.map((item: unknown, i) =>
      item === undefined || typeof item === 'function' || typeof item === 'symbol'
        ? null
        : convert(item, childPlace(place, i), depth + 1, maxDepth)
    )
  const out: JsonMap = new Map()
  const entries: Array<[string, unknown]> =
    value instanceof Map
      ? [...(value as Map<unknown, unknown>)].map(([k, v]) => [String(k), v])
      : Object.keys(value).map((k) => [k, (value as Record<string, unknown>)[k]])
  for (const [key, item] of entries) {
    if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue
    out.set(key, convert(item, childPlace(place, key), depth + 1, maxDepth))
  }
  return out
}

/**
 * A {@link JsonValue} as plain JavaScript data: objects are ordinary objects whose every key is an
 * own data property (`__proto__` included, set with `Object.defineProperty`, so no prototype is
 * ever touched), `JsonNumber`s are numbers. JavaScript lists integer-like keys first, so key
 * order is only kept by the `JsonValue` and its text.
 */
export function toPlainJson(value: JsonValue): unknown {
  if (value instanceof JsonNumber) return value.value
  if (Array.isArray(value)) return value.map(toPlainJson)
  if (value instanceof Map) {
    const out: Record<string, unknown> = {}
    for (const [key, item] of value) setOwn(out, key, toPlainJson(item))
    return out
  }
  return value
}

/** Names `Object.prototype` defines: assigning one of them could reach the prototype's member. */
const PROTOTYPE_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype))

/**
 * `object[key] = value` as an own, enumerable data property whatever `key` is: assigning
 * `__proto__` would set the prototype instead, so plain data is always built with this. For
 * the objects it is meant for (`{}` or a null-prototype object being filled), a name that
 * `Object.prototype` does not define is assigned (the same own property, without the cost of
 * `Object.defineProperty` on every key); `__proto__`, `constructor`, `toString` … are defined.
 */
export function setOwn(object: Record<string, unknown>, key: string, value: unknown): void {
  if (!PROTOTYPE_NAMES.has(key)) {
    object[key] = value
    return
  }
  Object.defineProperty(object, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true
  })
}

/** The JavaScript number of a JSON number (`undefined` for anything else). */
export function numberOf(value: JsonValue | undefined): number | undefined {
  if (typeof value === 'number') return value
  return value instanceof JsonNumber ? value.value : undefined
}
