/**
 * The errors of the JSON module: text {@link parseJson} refuses, and a value nested past the
 * depth limit (`depth.ts`). Callers turn them into the catalogue error of what they read (a
 * state document, a sequence file, a snapshot, an action input), keeping `path` and `detail`.
 */

/** Why text is not accepted: not JSON, nested too deep, or a number a double cannot hold. */
export type JsonTextProblem = 'syntax' | 'depth' | 'number'

/** Longest JSON path a message shows whole; longer ones keep their start and end. */
const SHOWN_PATH_CHARS = 80

/**
 * A JSON path for a message: whole up to 80 characters, else about its first 50 and last 20
 * characters around `…`, cut between segments (a path 512 levels deep is 1,536 characters of
 * `[0]`; `a[0][0]…[0][0]` is read at a glance).
 */
export function displayPath(path: string): string {
  if (path.length <= SHOWN_PATH_CHARS) return path
  let head = path.slice(0, 50)
  const end = Math.max(head.lastIndexOf('['), head.lastIndexOf('.'))
  if (end > 0) head = head.slice(0, end)
  let tail = path.slice(-20)
  const start = tail.search(/[[.]/)
  if (start > 0) tail = tail.slice(start)
  return `${head}…${tail}`
}

/** Text that `parseJson` refuses. */
export class JsonTextError extends Error {
  constructor(
    readonly problem: JsonTextProblem,
    /** the JSON path of the offending value (`''` at the top level), e.g. `a.b[2]` */
    readonly path: string,
    /** character offset in the text; `-1` for a value that was not parsed from text */
    readonly offset: number,
    /** the description without the path */
    readonly detail: string
  ) {
    super(path ? `${detail} at ${displayPath(path)}` : detail)
    this.name = 'JsonTextError'
  }
}

/**
 * JSON nested deeper than a limit (default `MAX_JSON_DEPTH`, 512): refused before any recursive
 * walk (`JSON.stringify`, `structuredClone`, a merge) can overflow the stack. `problem` is
 * `depth`, so it is also a {@link JsonTextError}.
 */
export class JsonTooDeepError extends JsonTextError {
  readonly code = 'JSON_TOO_DEEP'
  constructor(
    /** deepest nesting accepted (a scalar is 0, `{}` and `[]` are 1) */
    readonly limit: number,
    /** the JSON path of the first object or array past the limit */
    path: string,
    offset = -1
  ) {
    super(
      'depth',
      path,
      offset,
      `too deep: the JSON nests deeper than ${limit} levels, the limit` +
        (offset >= 0 ? ` (position ${offset})` : '')
    )
    this.name = 'JsonTooDeepError'
  }
}
