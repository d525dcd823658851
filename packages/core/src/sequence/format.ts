/**
 * Series (one key per financial or calendar year) and number templates (`AKDC/{fy}/{value:06}`).
 * GST rule 46(b) asks for numbers unique per financial year and at most 16 characters
 * (`docs/peers-and-limits.md §2`).
 */
import { hasControlCharacter } from '../text.js'
import { InvalidOptionsError } from '../errors.js'
import { MAX_NAME_CHARS } from './constants.js'

/** `none`: one key per name; `fiscal-year`: `<name>/FY2025-26`; `calendar-year`: `<name>/2025`. */
export type SeriesKind = 'none' | 'fiscal-year' | 'calendar-year'

export const SERIES_KINDS: readonly SeriesKind[] = ['none', 'fiscal-year', 'calendar-year']

/** The period a date falls in, as the template tokens spell it. */
export interface Period {
  /** calendar year in the time zone, e.g. `2026` */
  year: number
  /** financial year, e.g. `2025-26` (`2025` when it starts in January) */
  fy: string
  /** financial year, short, e.g. `25-26` */
  fyShort: string
}

/** One year-and-month formatter per time zone: building one costs ICU ~1 ms, using it µs. */
const yearMonthFormats = new Map<string, Intl.DateTimeFormat>()

function yearMonthFormat(timeZone: string): Intl.DateTimeFormat {
  let format = yearMonthFormats.get(timeZone)
  if (!format) {
    try {
      format = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric' })
    } catch {
      throw new InvalidOptionsError('timeZone', 'an IANA time zone such as Asia/Kolkata', timeZone)
    }
    yearMonthFormats.set(timeZone, format)
  }
  return format
}

/**
 * Year, month and financial year of `at` in `timeZone`. A financial year starting in April
 * (`startMonth` 4) runs from 1 April to 31 March: 2026-03-31 is in `2025-26`, 2026-04-01 in
 * `2026-27`.
 *
 * @throws InvalidOptionsError for an unknown time zone or a month outside 1–12.
 */
export function periodOf(at: Date, startMonth: number, timeZone: string): Period {
  if (!Number.isInteger(startMonth) || startMonth < 1 || startMonth > 12)
    throw new InvalidOptionsError('fiscalYearStartMonth', 'a month number from 1 to 12', startMonth)
  const parts = yearMonthFormat(timeZone).formatToParts(at)
  const year = Number(parts.find((p) => p.type === 'year')?.value)
  const month = Number(parts.find((p) => p.type === 'month')?.value)
  const start = month >= startMonth ? year : year - 1
  const two = (n: number) => String(n % 100).padStart(2, '0')
  return startMonth === 1
    ? { year, fy: String(start), fyShort: two(start) }
    : { year, fy: `${start}-${two(start + 1)}`, fyShort: `${two(start)}-${two(start + 1)}` }
}

/** The key a sequence is stored under in `sequences`: the name, or `<name>/FY2025-26`, `<name>/2026`. */
export function seriesKey(name: string, series: SeriesKind, period: Period): string {
  if (series === 'fiscal-year') return `${name}/FY${period.fy}`
  if (series === 'calendar-year') return `${name}/${period.year}`
  return name
}

/**
 * A sequence name: 1–100 characters, no `/` (series keys use it), no control characters, no
 * surrounding spaces.
 *
 * @throws InvalidOptionsError
 */
export function validateName(name: unknown): string {
  const ok =
    typeof name === 'string' &&
    name.length > 0 &&
    name.length <= MAX_NAME_CHARS &&
    name.trim() === name &&
    !name.includes('/') &&
    !hasControlCharacter(name)
  if (!ok)
    throw new InvalidOptionsError(
      'name',
      `a sequence name of 1–${MAX_NAME_CHARS} characters without "/", control characters or surrounding spaces`,
      name
    )
  return name
}

/** Values a template can use. */
export interface TemplateValues {
  value: number
  name: string
  period: Period
}

const TOKEN = /\{\{|\}\}|\{([A-Za-z_]+)(?::([^}]*))?\}|[{}]/g
const TOKENS = '{value}, {value:0N} (zero-padded to N digits), {fy}, {fy_short}, {year}, {name}'

/**
 * Compiles a number template. Tokens: `{value}`, `{value:06}` (zero-padded to 6 digits), `{fy}`
 * (`2025-26`), `{fy_short}` (`25-26`), `{year}` (`2026`), `{name}`; `{{` and `}}` are literal
 * braces. The template must contain `{value}` (else every number would format the same).
 *
 * @throws InvalidOptionsError naming the bad token.
 */
export function compileTemplate(template: string): (values: TemplateValues) => string {
  const parts: Array<string | ((v: TemplateValues) => string)> = []
  let last = 0
  let hasValue = false
  const bad = (what: string) =>
    new InvalidOptionsError('format', `a template using only ${TOKENS} (${what})`, template)
  for (const m of template.matchAll(TOKEN)) {
    parts.push(template.slice(last, m.index))
    last = m.index + m[0].length
    if (m[0] === '{{' || m[0] === '}}') parts.push(m[0][0] as string)
    else if (m[0] === '{' || m[0] === '}') throw bad(`unmatched "${m[0]}"; write {{ or }}`)
    else {
      const [, token, spec] = m
      if (token === 'value') {
        hasValue = true
        if (spec === undefined) parts.push((v) => String(v.value))
        else if (/^0[1-9][0-9]?$/.test(spec)) {
          const width = Number(spec.slice(1))
          parts.push((v) => String(v.value).padStart(width, '0'))
        } else throw bad(`"{value:${spec}}" is not {value:0N}`)
      } else if (spec !== undefined) throw bad(`"{${token}}" takes no ":${spec}"`)
      else if (token === 'fy') parts.push((v) => v.period.fy)
      else if (token === 'fy_short') parts.push((v) => v.period.fyShort)
      else if (token === 'year') parts.push((v) => String(v.period.year))
      else if (token === 'name') parts.push((v) => v.name)
      else throw bad(`unknown token "{${token}}"`)
    }
  }
  parts.push(template.slice(last))
  if (!hasValue) throw bad('no {value} token')
  return (values) => parts.map((p) => (typeof p === 'string' ? p : p(values))).join('')
}
