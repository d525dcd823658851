/**
 * Checking and resolving the sequence store's options: the store's settings, the sequence key
 * a name and date map to, and one increment's options, all validated before any request.
 */
import { fullJitterDelay } from '../github/backoff.js'
import { resolveRetryOptions, type ResolvedRetryOptions } from '../github/cas.js'
import { InvalidOptionsError } from '../errors.js'
import { repositoryPath } from '../github/path.js'
import { hasControlCharacter } from '../text.js'
import { MAX_IDEMPOTENCY_KEY_CHARS, SEQUENCE_DEFAULTS } from './constants.js'
import {
  compileTemplate,
  periodOf,
  seriesKey,
  SERIES_KINDS,
  validateName,
  type Period
} from './format.js'
import type { IncrementOptions, SequenceStoreOptions, SeriesOptions } from './types.js'

/** The store's settings with every default applied. */
export interface StoreSettings {
  path: string
  branch: string | undefined
  retry: ResolvedRetryOptions
  requestTimeoutMs: number
  claimsKept: number
  historyPages: number
  now: () => Date
}

/**
 * The store's settings from its options.
 *
 * @throws InvalidOptionsError for a bad number option, InvalidPathError for an unsafe path.
 */
export function storeSettings(options: SequenceStoreOptions): StoreSettings {
  const d = SEQUENCE_DEFAULTS
  const now = options.now ?? (() => new Date())
  const settings: StoreSettings = {
    path: options.path ?? d.path,
    branch: options.branch || undefined,
    retry: resolveRetryOptions(options.retry, { ...d.retry, now: () => now().getTime() }),
    requestTimeoutMs: options.requestTimeoutMs ?? d.requestTimeoutMs,
    claimsKept: options.claimsKept ?? d.claimsKept,
    historyPages: options.historyPages ?? d.historyPages,
    now
  }
  for (const [name, min] of [
    ['requestTimeoutMs', 1],
    ['claimsKept', 1],
    ['historyPages', 0]
  ] as const)
    checkInteger(name, settings[name], min)
  repositoryPath('path', settings.path)
  return settings
}

/** The key in `sequences` a name maps to, and the period that picked it. */
export function keyOf(name: string, options: SeriesOptions, now: () => Date) {
  const series = options.series ?? 'none'
  if (!SERIES_KINDS.includes(series))
    throw new InvalidOptionsError('series', `one of ${SERIES_KINDS.join(', ')}`, series)
  const startMonth = options.fiscalYearStartMonth ?? SEQUENCE_DEFAULTS.fiscalYearStartMonth
  const timeZone = options.timeZone ?? SEQUENCE_DEFAULTS.timeZone
  const period = periodOf(options.at ?? now(), startMonth, timeZone)
  return { key: seriesKey(name, series, period), period, startMonth, timeZone }
}

/** One increment's options, checked, with the store's settings applied. */
export interface ResolvedIncrement {
  name: string
  key: string
  count: number
  initialValue: number
  idempotencyKey?: string
  render: ((values: { value: number; name: string; period: Period }) => string) | undefined
  maxLength: number | undefined
  retry: ResolvedRetryOptions
  period: Period
  startMonth: number
  timeZone: string
}

/**
 * Checks one increment's options and applies the store's settings.
 *
 * @throws InvalidOptionsError
 */
export function resolveIncrement(
  options: IncrementOptions,
  settings: StoreSettings
): ResolvedIncrement {
  const name = validateName(options.name)
  const count = options.count ?? SEQUENCE_DEFAULTS.count
  checkInteger('count', count, 1, SEQUENCE_DEFAULTS.maxCount)
  const initialValue = options.initialValue ?? SEQUENCE_DEFAULTS.initialValue
  checkInteger('initialValue', initialValue, 0)
  const key = options.idempotencyKey
  if (
    key !== undefined &&
    (key === '' || key.length > MAX_IDEMPOTENCY_KEY_CHARS || hasControlCharacter(key))
  )
    throw new InvalidOptionsError(
      'idempotencyKey',
      `1–${MAX_IDEMPOTENCY_KEY_CHARS} characters without control characters`,
      key
    )
  const render = options.format !== undefined ? compileTemplate(options.format) : undefined
  const maxLength =
    options.maxLength ?? (render ? SEQUENCE_DEFAULTS.maxLengthWithFormat : undefined)
  if (maxLength !== undefined) checkInteger('maxLength', maxLength, 1)
  return {
    name,
    count,
    initialValue,
    ...(key !== undefined ? { idempotencyKey: key } : {}),
    render,
    maxLength,
    retry: resolveRetryOptions(options.retry, settings.retry),
    ...keyOf(name, options, settings.now)
  }
}

/**
 * The wait after `failures` failed attempts, in milliseconds, in the convention the sequence
 * store documented before the compare-and-swap loop was shared: full jitter below
 * `min(capMs, baseMs × 2^failures)`, i.e. {@link fullJitterDelay} of retry `failures + 1` (the
 * loop itself waits `fullJitterDelay(n)` before retry n, with `SEQUENCE_DEFAULTS.retry.baseMs`
 * doubled to give the same waits).
 */
export function sequenceBackoffMs(
  failures: number,
  baseMs: number,
  capMs: number,
  random: () => number
): number {
  return fullJitterDelay(failures + 1, { baseMs, maxMs: capMs, random })
}

/** @throws InvalidOptionsError unless `value` is a whole number in [min, max]. */
export function checkInteger(
  name: string,
  value: unknown,
  min: number,
  max = Number.MAX_SAFE_INTEGER
): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max)
    throw new InvalidOptionsError(
      name,
      max === Number.MAX_SAFE_INTEGER
        ? `a whole number ≥ ${min}`
        : `a whole number from ${min} to ${max}`,
      value
    )
}
