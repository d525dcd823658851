/** fast-check arbitraries for untrusted comment bodies, shared by the property and emulator tests. */
import fc from 'fast-check'
import { MAX_BODY_CHARS } from '../../src/objects/constants.js'
import { fromPlainJson, type JsonMap } from '../../src/json/index.js'
import type { JsonObject } from '../../src/objects/json.js'

/** A generated comment and the rejection code it must get (`undefined`: it must apply). */
export interface GeneratedComment {
  body: string
  expected: string | undefined
}

const META = {
  client_version: '0.11.2',
  timestamp: '2025-04-09T18:55:50.123456+00:00',
  update_mode: 'append'
}
const keys = fc.oneof(
  fc.constantFrom('a', 'b', 'c', 'ü', '日本', '🙂', '_meta'),
  fc.string({ unit: 'grapheme', maxLength: 6 })
)
const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.oneof(
      fc.integer(),
      // JSON.stringify writes an integral double between 2^53 and 1e21 as a rounded integer
      // (12345678901234567890 → "12345678901234567000") that reads back as a different
      // integer; such text is refused as NUMBER_OUT_OF_RANGE (json.test.ts), so it is left out
      fc
        .double({ noNaN: true, noDefaultInfinity: true })
        .filter((d) => !Number.isInteger(d) || Number.isSafeInteger(d) || Math.abs(d) >= 1e21),
      fc.boolean(),
      fc.constant(null)
    ),
    fc.string({ unit: 'grapheme', maxLength: 20 }),
    fc.array(tie('value'), { maxLength: 3 }),
    tie('object')
  ),
  object: fc.dictionary(keys, tie('value'), { maxKeys: 4 })
}))
/** Plain JSON objects (what library callers pass). */
export const plainJsonObject = json.object as fc.Arbitrary<JsonObject>
/** The same as ordered JSON values (what the merge and the processor work on). */
export const jsonObject: fc.Arbitrary<JsonMap> = plainJsonObject.map(
  (o) => fromPlainJson(o, 1000) as JsonMap
)
const hostile = fc.constantFrom('__proto__', 'constructor', 'prototype')
const nested = (depth: number, open: string, close: string, leaf = '1') =>
  open.repeat(depth) + leaf + close.repeat(depth)

/** One comment of every kind the brief lists; `expected` is the code it must be rejected with. */
export const generatedComment: fc.Arbitrary<GeneratedComment> = fc.oneof(
  // valid envelopes (append and replace) and legacy bare objects, unicode keys and values
  fc.tuple(plainJsonObject, fc.constantFrom('append', 'replace')).map(([data, mode]) => ({
    body: JSON.stringify({ _data: data, _meta: { ...META, update_mode: mode } }, null, 2),
    expected: undefined
  })),
  plainJsonObject
    .filter((o) => !('_data' in o) && o.type !== 'initial_state')
    .map((o) => ({ body: JSON.stringify(o), expected: undefined })),
  // text that is not JSON
  fc
    .string({ unit: 'binary', minLength: 1, maxLength: 200 })
    .filter((s) => {
      try {
        JSON.parse(s)
        return false
      } catch {
        return true
      }
    })
    .map((body) => ({ body, expected: 'NOT_JSON' })),
  // huge comments (over 65,536 characters)
  fc
    .tuple(
      fc.integer({ min: MAX_BODY_CHARS - 8, max: MAX_BODY_CHARS + 5000 }),
      fc.constantFrom('x', 'ü', '🙂')
    )
    .map(([n, ch]) => ({
      body: `{"big":"${ch.repeat(Math.ceil(n / ch.length))}"}`,
      expected: 'TOO_LARGE'
    })),
  // deeply nested JSON, objects or arrays, up to 5,000 levels
  fc.tuple(fc.integer({ min: 101, max: 5000 }), fc.boolean()).map(([depth, arrays]) => ({
    body: arrays ? `{"a":${nested(depth, '[', ']')}}` : nested(depth, '{"a":', '}'),
    expected: 'TOO_DEEP'
  })),
  // non-object _data (arrays, scalars, null) and bare non-object JSON
  fc
    .oneof(
      fc.array(json.value, { maxLength: 3 }),
      fc.string(),
      fc.integer(),
      fc.constant(null),
      fc.boolean()
    )
    .chain((data) =>
      fc.constantFrom(
        { body: JSON.stringify({ _data: data, _meta: META }), expected: 'DATA_NOT_OBJECT' },
        { body: JSON.stringify(data), expected: 'DATA_NOT_OBJECT' }
      )
    ),
  // envelopes with broken meta
  fc.constantFrom('client_version', 'timestamp', 'update_mode').map((k) => ({
    body: JSON.stringify({ _data: { a: 1 }, _meta: { ...META, [k]: null } }),
    expected: 'INVALID_ENVELOPE'
  })),
  // prototype-pollution keys, top level or nested, in envelopes and legacy objects: plain data
  // (gh-store stores them, docs/gh-store-format.md §1.8), applied without touching a prototype
  fc.tuple(hostile, fc.boolean(), fc.boolean()).map(([key, inEnvelope, deep]) => {
    const data = deep
      ? `{"safe":1,"inner":{"${key}":{"polluted":true}}}`
      : `{"${key}":{"polluted":true},"safe":1}`
    return {
      body: inEnvelope ? `{"_data":${data},"_meta":${JSON.stringify(META)}}` : data,
      expected: undefined
    }
  }),
  // numbers JSON can write but a double cannot hold (Python would read inf, an exact int, 0.0)
  fc
    .tuple(fc.constantFrom('1e309', '-1e400', '12345678901234567890', '1e-400'), fc.boolean())
    .map(([number, inEnvelope]) => {
      const data = `{"ok":1,"n":{"x":${number}}}`
      return {
        body: inEnvelope ? `{"_data":${data},"_meta":${JSON.stringify(META)}}` : data,
        expected: 'NUMBER_OUT_OF_RANGE'
      }
    })
)
