import { BadAdminRequest } from '../errors.js'

/**
 * Field readers of admin request bodies. Every failure is a 400 `BadAdminRequest` naming the
 * field; the admin API is the emulator's own, so these are not GitHub's answers.
 */

/** A string field: non-empty when present; `required` makes absence an error too. */
export function adminString(obj: Record<string, unknown>, key: string, required: true): string
export function adminString(
  obj: Record<string, unknown>,
  key: string,
  required?: false
): string | undefined
export function adminString(
  obj: Record<string, unknown>,
  key: string,
  required = false
): string | undefined {
  const value = obj[key]
  if (value === undefined && !required) return undefined
  if (typeof value !== 'string' || value === '')
    throw new BadAdminRequest(`"${key}" must be a non-empty string`)
  return value
}

/** A string field that must be one of `allowed` when present. */
export function oneOf<T extends string>(
  obj: Record<string, unknown>,
  key: string,
  allowed: readonly T[]
): T | undefined {
  const value = adminString(obj, key)
  if (value !== undefined && !allowed.includes(value as T))
    throw new BadAdminRequest(`"${key}" must be one of ${allowed.join(', ')}`)
  return value as T | undefined
}

/** An array-of-strings field (`undefined` when absent). */
export function strings(obj: Record<string, unknown>, key: string): string[] | undefined {
  const value = obj[key]
  if (value === undefined) return undefined
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))
    throw new BadAdminRequest(`"${key}" must be an array of strings`)
  return value as string[]
}

export function integer(obj: Record<string, unknown>, key: string, min: number, max = Infinity) {
  const value = obj[key]
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    throw new BadAdminRequest(
      `"${key}" must be an integer ${max === Infinity ? `>= ${min}` : `from ${min} to ${max}`}`
    )
  return value
}

export function optionalInteger(
  obj: Record<string, unknown>,
  key: string,
  min: number,
  max = Infinity
) {
  return obj[key] === undefined ? undefined : integer(obj, key, min, max)
}
