/**
 * gh-store's `store.log.{level, format}` (docs/gh-store-format.md §5.3.2), applied: a logger for
 * the lines objects operations print (the CLI's stderr, an action's log). gh-store names
 * loguru's levels and a loguru-style format; hubstore reads the same two keys, filters by the
 * level and formats each line with the `{time}`, `{level}` and `{message}` fields, or as one
 * JSON object per line with the format `json`.
 */

/** loguru's levels, least severe first (https://loguru.readthedocs.io, "Levels"). */
export const LOG_LEVELS = [
  'TRACE',
  'DEBUG',
  'INFO',
  'SUCCESS',
  'WARNING',
  'ERROR',
  'CRITICAL'
] as const

/** One of {@link LOG_LEVELS}. */
export type LogLevel = (typeof LOG_LEVELS)[number]

/** The fields a format may name. */
const FIELDS = ['time', 'level', 'message'] as const

/** The format that prints one JSON object `{time, level, message}` per line. */
export const JSON_LOG_FORMAT = 'json'

/**
 * What is wrong with a `store.log.format` value, or `undefined`: it must be `json` or name
 * `{message}` and no field but `{time}`, `{level}` and `{message}`.
 */
export function logFormatProblem(format: string): string | undefined {
  if (format === JSON_LOG_FORMAT) return undefined
  for (const m of format.matchAll(/\{([^{}]*)\}/g))
    if (!(FIELDS as readonly string[]).includes(m[1] as string))
      return `expected only the fields {time}, {level} and {message} (or the format json), not {${m[1]}}`
  if (!format.includes('{message}'))
    return 'expected a format naming {message}, e.g. "{time} | {level} | {message}", or json'
  return undefined
}

/** One line of `format`: its fields filled in, or a JSON object when `format` is `json`. */
export function formatLogLine(
  format: string,
  level: LogLevel,
  message: string,
  time: Date
): string {
  const fields = { time: time.toISOString(), level, message }
  if (format === JSON_LOG_FORMAT) return JSON.stringify(fields)
  return format.replace(/\{(time|level|message)\}/g, (_m, k: keyof typeof fields) => fields[k])
}

/** A logger of objects operations: a method per level; lines under the configured level are dropped. */
export interface StoreLogger {
  debug(message: string): void
  info(message: string): void
  warning(message: string): void
  error(message: string): void
  /** whether a line of `level` would be printed */
  enabled(level: LogLevel): boolean
}

/** Options of {@link createStoreLogger}. */
export interface StoreLoggerOptions {
  /** `store.log` of the config (`StoreConfig.log`) */
  log: { level: LogLevel; format: string }
  /** Receives each printed line (formatted) with its level. */
  write: (line: string, level: LogLevel) => void
  /** The clock of `{time}` (default `() => new Date()`). */
  now?: () => Date
}

/**
 * A {@link StoreLogger} that prints the lines at or above `log.level`, each formatted by
 * `log.format` ({@link formatLogLine}). Multi-line messages are printed one line per line, so
 * `json` stays one object per line.
 */
export function createStoreLogger(options: StoreLoggerOptions): StoreLogger {
  const min = LOG_LEVELS.indexOf(options.log.level)
  const now = options.now ?? (() => new Date())
  const enabled = (level: LogLevel) => LOG_LEVELS.indexOf(level) >= min
  const at = (level: LogLevel) => (message: string) => {
    if (!enabled(level)) return
    const time = now()
    for (const line of message.split('\n'))
      options.write(formatLogLine(options.log.format, level, line, time), level)
  }
  return {
    debug: at('DEBUG'),
    info: at('INFO'),
    warning: at('WARNING'),
    error: at('ERROR'),
    enabled
  }
}

/** The parts of an Octokit {@link logRequests} uses (its request hooks). */
interface HookedOctokit {
  hook: {
    after(
      name: 'request',
      fn: (response: { status: number; url: string }, options: RequestLike) => void
    ): void
    error(name: 'request', fn: (error: unknown, options: RequestLike) => unknown): void
  }
}
interface RequestLike {
  method: string
  url: string
}

/**
 * Logs every request of `octokit` at `DEBUG`: `GET /repos/o/r/issues → 200` once it is answered
 * (after its retries), `→ failed (<status>)` when it fails. No header, token or body is logged.
 * Does nothing when the logger drops `DEBUG` lines.
 */
export function logRequests(octokit: HookedOctokit, logger: StoreLogger): void {
  if (!logger.enabled('DEBUG')) return
  const line = (method: string, url: string) => `${method.toUpperCase()} ${pathAndQuery(url)}`
  octokit.hook.after('request', (response, options) =>
    logger.debug(`request ${line(options.method, response.url)} → ${response.status}`)
  )
  octokit.hook.error('request', (error, options) => {
    const e = error as { status?: unknown; request?: { url?: string } }
    logger.debug(
      `request ${line(options.method, e.request?.url ?? options.url)} → failed (${e.status ?? 'no answer'})`
    )
    throw error
  })
}

function pathAndQuery(url: string): string {
  try {
    const u = new URL(url, 'http://github.invalid')
    return `${u.pathname}${u.search}`
  } catch {
    return url
  }
}
