/** How a message repeats a value the user gave: one rule for core, action-kit and the CLI. */

/** Longest echo of a value, in characters (code points); `…` marks a cut. */
export const ECHO_MAX_CHARS = 80

/**
 * `value` as a message shows it: a string JSON-quoted and escaped (quotes, backslashes, newlines
 * and other control characters show as `\"`, `\\`, `\n`, `\u0007`, so a value cannot break
 * the line or fake another one), cut to {@link ECHO_MAX_CHARS} characters with `…`; numbers and
 * booleans as written; `undefined` as `nothing`; anything else as JSON, cut the same way.
 */
export function echoValue(value: unknown): string {
  if (value === undefined) return 'nothing'
  if (typeof value === 'string') return JSON.stringify(cut(value))
  let json: string | undefined
  try {
    json = JSON.stringify(value)
  } catch {
    json = undefined
  }
  return json === undefined ? typeof value : cut(json)
}

function cut(text: string): string {
  const points = [...text]
  return points.length > ECHO_MAX_CHARS ? `${points.slice(0, ECHO_MAX_CHARS).join('')}…` : text
}
