import { InvalidRequest } from './errors.js'

/**
 * Body decoding for routes: type checks only (GitHub's schema validation answers, 422
 * `Invalid request.\n\n…`); semantic rules live in the models.
 */

/** The JSON body as an object (`{}` when absent or not an object). */
export function fields(body: unknown): Record<string, unknown> {
  return body !== null && typeof body === 'object' && !Array.isArray(body)
    ? (body as Record<string, unknown>)
    : {}
}

function describe(value: unknown): string {
  return value === null ? 'nil' : JSON.stringify(value)
}

/** A required string field: 422 `"<key>" wasn't supplied.` or `… is not a string.` */
export function requiredString(obj: Record<string, unknown>, key: string): string {
  if (obj[key] === undefined) throw new InvalidRequest(`"${key}" wasn't supplied.`)
  return optionalString(obj, key)!
}

/** An optional string field (`undefined` when absent). */
export function optionalString(obj: Record<string, unknown>, key: string): string | undefined {
  const value = obj[key]
  if (value === undefined) return undefined
  if (typeof value !== 'string')
    throw new InvalidRequest(`For 'properties/${key}', ${describe(value)} is not a string.`)
  return value
}

/** An optional string-or-null field. */
export function nullableString(
  obj: Record<string, unknown>,
  key: string
): string | null | undefined {
  return obj[key] === null ? null : optionalString(obj, key)
}

/** Label names from `["a", {name:"b"}]`; `undefined` when `value` is absent. */
export function labelNames(value: unknown, key = 'labels'): string[] | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value === 'string') return [value]
  if (!Array.isArray(value))
    throw new InvalidRequest(`For 'properties/${key}', ${describe(value)} is not an array.`)
  return value.map((item) => {
    if (typeof item === 'string') return item
    if (item && typeof item === 'object' && typeof (item as { name?: unknown }).name === 'string')
      return (item as { name: string }).name
    throw new InvalidRequest(`For 'items', ${describe(item)} is not a string.`)
  })
}

/** Body of add/set labels: `{labels: [...]}` or a plain array. */
export function labelsBody(body: unknown): string[] {
  if (Array.isArray(body)) return labelNames(body) ?? []
  const obj = fields(body)
  return labelNames(obj.labels) ?? []
}

/** An optional boolean field: 422 `… is not a boolean.` for another type. */
export function optionalBoolean(obj: Record<string, unknown>, key: string): boolean | undefined {
  const value = obj[key]
  if (value === undefined) return undefined
  if (typeof value !== 'boolean')
    throw new InvalidRequest(`For 'properties/${key}', ${describe(value)} is not a boolean.`)
  return value
}
