/**
 * Durations as users type them in a flag or an action input (`--request-timeout 30s`,
 * `max-rate-limit-wait: 5m`), for the client's millisecond options.
 */

const UNIT_MS = { ms: 1, s: 1000, m: 60_000 } as const

/** How a duration is written, for error messages. */
export const DURATION_FORMS = 'a whole number of seconds (30), or with a unit: 500ms, 30s, 5m'

/**
 * Milliseconds of a duration: a whole number of seconds (`30` → 30,000), or a whole number with
 * the unit `ms`, `s` or `m` (`500ms`, `30s`, `5m`); spaces around it are ignored. `undefined`
 * when `text` is not one (empty, negative, a fraction, another unit, over 2^31 − 1 ms).
 */
export function parseDurationMs(text: string): number | undefined {
  const match = /^([0-9]+)\s*(ms|s|m)?$/.exec(text.trim())
  if (!match) return undefined
  const ms = Number(match[1]) * UNIT_MS[(match[2] ?? 's') as keyof typeof UNIT_MS]
  // setTimeout's limit: a longer delay fires at once
  return Number.isSafeInteger(ms) && ms <= 2 ** 31 - 1 ? ms : undefined
}
