/**
 * A strict JSON parser (RFC 8259, what `JSON.parse` accepts) into {@link JsonValue}s that keep
 * key order and every key name, and that refuses numbers a double cannot hold as written
 * (docs/gh-store-format.md §1.8): `1e309` (Python reads `inf`), `1e-400` (Python reads `0.0`),
 * `12345678901234567890` or `0.1000000000000000000001` (rounded). A number is accepted when
 * the double nearest to it, printed in its shortest round-trip form, denotes the same decimal
 * value as written. Nesting is bounded (`maxDepth`), so hostile input cannot overflow the stack.
 */
import { MAX_JSON_DEPTH } from './depth.js'
import { JsonTextError, JsonTooDeepError, type JsonTextProblem } from './errors.js'
import {
  childPlace,
  JsonNumber,
  pathText,
  type JsonMap,
  type JsonPlace,
  type JsonValue
} from './value.js'

export { JsonTextError, type JsonTextProblem } from './errors.js'

/** Options of {@link parseJson}. */
export interface ParseJsonOptions {
  /** deepest object/array nesting accepted (a scalar is 0, `{}` is 1); default `MAX_JSON_DEPTH` (512) */
  maxDepth?: number
}

const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y
// eslint-disable-next-line no-control-regex
const PLAIN_RUN = /[^"\\\u0000-\u001f]*/y

/**
 * Parses JSON text. Accepts exactly what `JSON.parse` accepts (and Python's `json.loads` without
 * its `NaN`/`Infinity` extension); a duplicate key keeps its first position and its last value,
 * as a Python `dict` does.
 *
 * @throws JsonTextError (`problem` `syntax` or `number`, with the JSON path), JsonTooDeepError
 *   (`problem` `depth`: nested deeper than `maxDepth`, with the limit and the path)
 */
export function parseJson(text: string, options: ParseJsonOptions = {}): JsonValue {
  const parser = new Parser(text, options.maxDepth ?? MAX_JSON_DEPTH)
  parser.ws()
  const value = parser.value(null, 0)
  parser.ws()
  if (parser.i < text.length) parser.fail('syntax', null, 'unexpected text after the JSON value')
  return value
}

class Parser {
  i = 0
  constructor(
    readonly text: string,
    readonly maxDepth: number
  ) {}

  fail(problem: JsonTextProblem, place: JsonPlace, detail: string): never {
    throw new JsonTextError(problem, pathText(place), this.i, `${detail} (position ${this.i})`)
  }

  ws(): void {
    const t = this.text
    while (this.i < t.length) {
      const c = t.charCodeAt(this.i)
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) this.i++
      else break
    }
  }

  value(place: JsonPlace, depth: number): JsonValue {
    const t = this.text
    const c = t[this.i]
    if (c === '{' || c === '[') {
      if (depth + 1 > this.maxDepth)
        throw new JsonTooDeepError(this.maxDepth, pathText(place), this.i)
      return c === '{' ? this.object(place, depth + 1) : this.array(place, depth + 1)
    }
    if (c === '"') return this.string(place)
    if (c === '-' || (c >= '0' && c <= '9')) return this.number(place)
    for (const [word, result] of [
      ['true', true],
      ['false', false],
      ['null', null]
    ] as const)
      if (t.startsWith(word, this.i)) {
        this.i += word.length
        return result
      }
    return this.fail(
      'syntax',
      place,
      c === undefined ? 'the JSON ends too early' : `unexpected ${JSON.stringify(c)}`
    )
  }

  object(place: JsonPlace, depth: number): JsonMap {
    const out: JsonMap = new Map()
    this.i++
    this.ws()
    if (this.text[this.i] === '}') {
      this.i++
      return out
    }
    for (;;) {
      if (this.text[this.i] !== '"') this.fail('syntax', place, 'expected a key in double quotes')
      const key = this.string(place)
      this.ws()
      if (this.text[this.i] !== ':') this.fail('syntax', place, 'expected ":" after a key')
      this.i++
      this.ws()
      out.set(key, this.value(childPlace(place, key), depth))
      this.ws()
      const c = this.text[this.i++]
      if (c === '}') return out
      if (c !== ',') {
        this.i--
        this.fail('syntax', place, 'expected "," or "}" in an object')
      }
      this.ws()
    }
  }

  array(place: JsonPlace, depth: number): JsonValue[] {
    const out: JsonValue[] = []
    this.i++
    this.ws()
    if (this.text[this.i] === ']') {
      this.i++
      return out
    }
    for (;;) {
      out.push(this.value(childPlace(place, out.length), depth))
      this.ws()
      const c = this.text[this.i++]
      if (c === ']') return out
      if (c !== ',') {
        this.i--
        this.fail('syntax', place, 'expected "," or "]" in an array')
      }
      this.ws()
    }
  }

  string(place: JsonPlace): string {
    const t = this.text
    this.i++
    let out = ''
    for (;;) {
      PLAIN_RUN.lastIndex = this.i
      PLAIN_RUN.exec(t)
      out += t.slice(this.i, PLAIN_RUN.lastIndex)
      this.i = PLAIN_RUN.lastIndex
      const c = t[this.i]
      if (c === '"') {
        this.i++
        return out
      }
      if (c === undefined) this.fail('syntax', place, 'unterminated string')
      if (c !== '\\') this.fail('syntax', place, 'control character in a string')
      const e = t[this.i + 1]
      const simple = ESCAPES[e]
      if (simple !== undefined) {
        out += simple
        this.i += 2
        continue
      }
      if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(t.slice(this.i + 2, this.i + 6))) {
        out += String.fromCharCode(parseInt(t.slice(this.i + 2, this.i + 6), 16))
        this.i += 6
        continue
      }
      this.fail('syntax', place, 'invalid escape in a string')
    }
  }

  number(place: JsonPlace): JsonValue {
    NUMBER.lastIndex = this.i
    const match = NUMBER.exec(this.text)
    if (!match) return this.fail('syntax', place, 'invalid number')
    const literal = match[0]
    const start = this.i
    this.i = NUMBER.lastIndex
    const isFloat = match[1] !== undefined || match[2] !== undefined
    const value = Number(literal)
    const refuse = (why: string): never => {
      this.i = start
      return this.fail(
        'number',
        place,
        `the number ${literal} ${why}; a JSON number must be one a 64-bit float holds`
      )
    }
    if (!Number.isFinite(value)) refuse('is beyond the range of a 64-bit float')
    if (!isFloat) {
      if (!Number.isSafeInteger(value) && BigInt(literal) !== BigInt(value))
        refuse(`cannot be held exactly (the nearest 64-bit float is ${BigInt(value)})`)
      return Math.abs(value) < 1e21 ? value : new JsonNumber(value, 'int')
    }
    if (!sameDecimal(literal, value))
      refuse(
        value === 0
          ? 'is too small for a 64-bit float (it would read as 0)'
          : `cannot be held exactly (it would read as ${value})`
      )
    return Number.isInteger(value) && Math.abs(value) < 1e21
      ? new JsonNumber(value, 'float')
      : value
  }
}

const ESCAPES: Record<string, string | undefined> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t'
}

/** True when `literal` and the double `value` denote the same decimal number. */
function sameDecimal(literal: string, value: number): boolean {
  const a = decimal(literal)
  const b = decimal(value.toExponential())
  return a.digits === b.digits && (a.digits === '' || a.point === b.point)
}

/** A decimal literal as its significant digits and the position of the decimal point. */
function decimal(text: string): { digits: string; point: number } {
  const unsigned = text.replace(/^[-+]/, '')
  const [mantissa, exponent = '0'] = unsigned.split(/[eE]/)
  const [whole, fraction = ''] = mantissa.split('.')
  let digits = whole + fraction
  let point = whole.length + Number(exponent)
  const leading = digits.length - digits.replace(/^0+/, '').length
  digits = digits.slice(leading).replace(/0+$/, '')
  point -= leading
  return { digits, point }
}
