/**
 * JSON text exactly as gh-store's Python code writes it with `json.dumps(value, indent=2)`
 * (docs/gh-store-format.md §1.8): 2-space indent, `","` between items and `": "` after keys,
 * `{}` and `[]` for empty containers, keys in their order, `ensure_ascii` escaping (everything
 * outside printable ASCII as lower-case `\uXXXX`, astral characters as a surrogate pair, `\n`,
 * `\r`, `\t`, `\b`, `\f`, `\"`, `\\`), integers in full and floats as Python's `repr`.
 */
import { JsonNumber, type JsonValue } from './value.js'

/** Options of {@link serializeJson}. */
export interface SerializeJsonOptions {
  /**
   * `true` (default, Python's `ensure_ascii`): non-ASCII characters and DEL are written as
   * `\uXXXX`; `false`: they are written as themselves (what `JSON.stringify` does).
   */
  ensureAscii?: boolean
  /**
   * `true`: no whitespace at all, Python's `json.dumps(value, separators=(',', ':'))`, for text
   * that must fit a limit (default `false`: `indent=2`).
   */
  compact?: boolean
}

/**
 * `json.dumps(value, indent=2)` (with `ensure_ascii=False` when asked). Numbers: a JavaScript
 * number that is an integer below 1e21 in magnitude is written as Python writes an `int`, with
 * the double's exact digits (`-0` as `0`; `2**60` as `1152921504606846976`, where
 * `JSON.stringify` writes `1152921504606847000`); any other number, and a {@link JsonNumber} of kind `float`, as Python's `repr` of the
 * float — shortest round-trip digits, fixed notation with at least one fractional digit when the
 * decimal exponent is in −4…15 (`1.0`, `0.0001`, `1000000000000000.0`), otherwise `d.ddde±XX`
 * with at least two exponent digits (`1e+16`, `1e-05`, `1.5e+300`); `-0.0` keeps its sign.
 *
 * @throws JsonValueError-free: values come from {@link parseJson} or {@link fromPlainJson},
 *   which refuse non-finite numbers; a non-finite number here throws a `RangeError`.
 */
export function serializeJson(value: JsonValue, options: SerializeJsonOptions = {}): string {
  const parts: string[] = []
  write(value, options.compact ? null : '', parts, options.ensureAscii ?? true)
  return parts.join('')
}

/** `indent` is the current line's indentation, or `null` for compact output. */
function write(value: JsonValue, indent: string | null, out: string[], ascii: boolean): void {
  if (value === null) out.push('null')
  else if (value === true) out.push('true')
  else if (value === false) out.push('false')
  else if (typeof value === 'string') out.push(quote(value, ascii))
  else if (typeof value === 'number') out.push(numberText(value))
  else if (value instanceof JsonNumber)
    out.push(
      value.kind === 'int' ? BigInt(finite(value.value)).toString() : pythonFloat(value.value)
    )
  else if (Array.isArray(value)) {
    if (value.length === 0) {
      out.push('[]')
      return
    }
    const inner = indent === null ? null : `${indent}  `
    out.push(inner === null ? '[' : `[\n${inner}`)
    value.forEach((item, i) => {
      if (i > 0) out.push(inner === null ? ',' : `,\n${inner}`)
      write(item, inner, out, ascii)
    })
    out.push(indent === null ? ']' : `\n${indent}]`)
  } else {
    if (value.size === 0) {
      out.push('{}')
      return
    }
    const inner = indent === null ? null : `${indent}  `
    out.push(inner === null ? '{' : `{\n${inner}`)
    let first = true
    for (const [key, item] of value) {
      if (!first) out.push(inner === null ? ',' : `,\n${inner}`)
      first = false
      out.push(quote(key, ascii), inner === null ? ':' : ': ')
      write(item, inner, out, ascii)
    }
    out.push(indent === null ? '}' : `\n${indent}}`)
  }
}

function finite(n: number): number {
  if (!Number.isFinite(n)) throw new RangeError(`${n} cannot be written as JSON`)
  return n
}

function numberText(n: number): string {
  finite(n)
  if (Number.isSafeInteger(n)) return String(n)
  // Beyond 2^53 `String(n)` rounds to the shortest form (`12345678901234567000`), which Python
  // and parseJson read as a different integer; BigInt gives the double's exact digits.
  return Number.isInteger(n) && Math.abs(n) < 1e21 ? BigInt(n).toString() : pythonFloat(n)
}

/** Python's `repr(float)` (`float_repr_style` `short`). */
export function pythonFloat(n: number): string {
  finite(n)
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0'
  const [mantissa, exponentText] = n.toExponential().split('e')
  const exponent = Number(exponentText)
  const sign = mantissa.startsWith('-') ? '-' : ''
  const digits = mantissa.replace('-', '').replace('.', '')
  if (exponent < -4 || exponent >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits
    const e = `${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`
    return `${sign}${m}e${e}`
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0')
  return `${sign}${whole}.${digits.slice(exponent + 1) || '0'}`
}

// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE_ASCII = /["\\\u0000-\u001f\u007f-\uffff]/
// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /["\\\u0000-\u001f]/
const SHORT: Record<string, string | undefined> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f'
}

/** A JSON string literal: Python's `py_encode_basestring_ascii` (or `py_encode_basestring`). */
function quote(s: string, ascii: boolean): string {
  if (!(ascii ? NEEDS_ESCAPE_ASCII : NEEDS_ESCAPE).test(s)) return `"${s}"`
  let out = '"'
  for (let i = 0; i < s.length; i++) {
    const c = s[i]
    const code = s.charCodeAt(i)
    const short = SHORT[c]
    if (short !== undefined) out += short
    else if (code < 0x20 || (ascii && code >= 0x7f))
      out += `\\u${code.toString(16).padStart(4, '0')}`
    else out += c
  }
  return `${out}"`
}
