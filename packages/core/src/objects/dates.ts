/** Dates given as options: a `Date` or an ISO 8601 string. */
import { InvalidOptionsError } from '../errors.js'

/**
 * A `Date` from a `Date` or an ISO 8601 string.
 *
 * @throws InvalidOptionsError (`INVALID_OPTIONS`) naming `option` when it is not a valid date.
 */
export function toDate(value: Date | string, option = 'since'): Date {
  const date = value instanceof Date ? value : new Date(value)
  if (Number.isNaN(date.getTime()))
    throw new InvalidOptionsError(option, 'a Date or an ISO 8601 timestamp', value)
  return date
}
