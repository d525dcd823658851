/**
 * The JSON value, parser and Python-compatible writer (docs/gh-store-format.md §1.8). Expected
 * texts were produced by CPython 3's `json.dumps(json.loads(text), indent=2)` and are written out
 * here, so the test needs no Python.
 */
import {
  checkJsonDepth,
  fromPlainJson,
  JsonNumber,
  JsonTextError,
  JsonTooDeepError,
  MAX_JSON_DEPTH,
  parseJson,
  parseJsonChecked,
  serializeJson,
  toPlainJson,
  type JsonMap
} from '../../src/json/index.js'

const dumps = (text: string) => serializeJson(parseJson(text))

describe('parseJson + serializeJson', () => {
  it('serializeJson: numbers print as Python prints them after json.loads', () => {
    const cases: Array<[string, string]> = [
      ['1.0', '1.0'],
      ['1e16', '1e+16'],
      ['1e-5', '1e-05'],
      ['0.0001', '0.0001'],
      ['1e15', '1000000000000000.0'],
      ['-0.0', '-0.0'],
      ['1e21', '1e+21'],
      ['1000000000000000000000', '1000000000000000000000'],
      ['5e-324', '5e-324'],
      ['1.5e300', '1.5e+300'],
      ['0.1', '0.1'],
      ['123.456', '123.456'],
      ['1e-7', '1e-07'],
      ['2e3', '2000.0'],
      ['1E+2', '100.0'],
      ['-12.5e-3', '-0.0125'],
      ['9007199254740992', '9007199254740992'],
      ['1.7976931348623157e308', '1.7976931348623157e+308'],
      ['0.30000000000000004', '0.30000000000000004'],
      ['123456789012345.6', '123456789012345.6'],
      ['-0', '0'],
      ['100', '100']
    ]
    for (const [text, python] of cases) expect([text, dumps(text)]).toEqual([text, python])
    // a JavaScript integer beyond 2^53 is written with its exact digits, which read back exactly
    expect(serializeJson(2 ** 60)).toBe('1152921504606846976')
    expect(serializeJson(parseJson(serializeJson(-48478833825186170)))).toBe('-48478833825186168')
  })

  it('serializeJson: keys keep their order and names; ensure_ascii escaping as Python', () => {
    const text =
      '{"b":1,"10":"x","2":[],"__proto__":{"polluted":true},"constructor":{"prototype":{}},' +
      '"s":"\\u00e9\\ud83d\\ude00\\u007f\\u2028\\n\\t\\"\\\\/\\u0001 café","e":{}}'
    expect(dumps(text)).toBe(
      '{\n  "b": 1,\n  "10": "x",\n  "2": [],\n  "__proto__": {\n    "polluted": true\n  },\n' +
        '  "constructor": {\n    "prototype": {}\n  },\n' +
        '  "s": "\\u00e9\\ud83d\\ude00\\u007f\\u2028\\n\\t\\"\\\\/\\u0001 caf\\u00e9",\n  "e": {}\n}'
    )
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('parseJson: a duplicate key keeps its first position and its last value (a Python dict)', () => {
    expect(dumps('{"a":1,"b":2,"a":3}')).toBe('{\n  "a": 3,\n  "b": 2\n}')
  })

  it('parseJson: numbers a double cannot hold are refused, naming the path', () => {
    for (const [text, path] of [
      ['{"a":{"b":[0,1e309]}}', 'a.b[1]'],
      ['{"big":12345678901234567890}', 'big'],
      ['{"tiny":1e-400}', 'tiny'],
      ['{"x y":0.1000000000000000000001}', '["x y"]'],
      ['[1234567890123456.7]', '[0]'],
      ['-1e400', '']
    ]) {
      let caught: unknown
      try {
        parseJson(text)
      } catch (error) {
        caught = error
      }
      expect(caught).toBeInstanceOf(JsonTextError)
      expect([(caught as JsonTextError).problem, (caught as JsonTextError).path]).toEqual([
        'number',
        path
      ])
    }
    expect(() => parseJson('{"big":12345678901234567890}')).toThrow(
      'the number 12345678901234567890 cannot be held exactly (the nearest 64-bit float is 12345678901234567168)'
    )
  })

  it('parseJson: refuses what JSON.parse refuses, and nesting past maxDepth', () => {
    for (const bad of ['', '{', '{"a":1,}', '[1 2]', "{'a':1}", 'NaN', '01', '"\u0001"', '1 2'])
      expect(() => parseJson(bad)).toThrow(JsonTextError)
    expect(() => parseJson('['.repeat(5000) + ']'.repeat(5000), { maxDepth: 100 })).toThrow(
      'the JSON nests deeper than 100 levels'
    )
    expect(serializeJson(parseJson('[[[]]]', { maxDepth: 3 }))).toBe('[\n  [\n    []\n  ]\n]')
  })
})

describe('fromPlainJson + toPlainJson', () => {
  it('toPlainJson: __proto__, constructor and prototype become own keys; no prototype changes', () => {
    const value = parseJson(
      '{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":2}},"n":1.0}'
    )
    const plain = toPlainJson(value) as Record<string, unknown>
    expect(Object.keys(plain)).toEqual(['__proto__', 'constructor', 'n'])
    expect(Object.getPrototypeOf(plain)).toBe(Object.prototype)
    expect(JSON.stringify(plain)).toBe(
      '{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":2}},"n":1}'
    )
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(serializeJson(fromPlainJson(plain, 100))).toBe(
      serializeJson(
        parseJson('{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":2}},"n":1}')
      )
    )
  })

  it('fromPlainJson: refuses what JSON.stringify would silently change, naming the path', () => {
    expect(() => fromPlainJson({ a: [1, Number.NaN] }, 100)).toThrow(
      'a[1]: NaN is not a JSON number'
    )
    expect(() => fromPlainJson({ a: { b: Infinity } }, 100)).toThrow('a.b: Infinity')
    expect(() => fromPlainJson({ n: 10n }, 100)).toThrow('n: the bigint 10')
    const cycle: Record<string, unknown> = {}
    cycle.self = cycle
    expect(() => fromPlainJson(cycle, 100)).toThrow('nests deeper than 100 levels')
    const converted = fromPlainJson(
      {
        d: new Date(0),
        u: undefined,
        list: [undefined],
        m: new Map([['10', new JsonNumber(1, 'float')]])
      },
      100
    ) as JsonMap
    expect(serializeJson(converted)).toBe(
      '{\n  "d": "1970-01-01T00:00:00.000Z",\n  "list": [\n    null\n  ],\n  "m": {\n    "10": 1.0\n  }\n}'
    )
  })
})

describe('the nesting limit', () => {
  it('MAX_JSON_DEPTH: parseJson refuses 513 levels by default with JsonTooDeepError (limit, path), accepts 512', () => {
    expect(MAX_JSON_DEPTH).toBe(512)
    expect(() => parseJson('['.repeat(512) + ']'.repeat(512))).not.toThrow()
    let error: unknown
    try {
      parseJson('{"a": ' + '['.repeat(10_000) + ']'.repeat(10_000) + '}')
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(JsonTooDeepError)
    expect(error).toBeInstanceOf(JsonTextError)
    expect(error).toMatchObject({ code: 'JSON_TOO_DEEP', problem: 'depth', limit: 512 })
    expect((error as JsonTooDeepError).path).toBe('a' + '[0]'.repeat(511))
    expect((error as Error).message).toBe(
      `too deep: the JSON nests deeper than 512 levels, the limit (position 517) at a${'[0]'.repeat(16)}…${'[0]'.repeat(6)}`
    )
  })

  it('checkJsonDepth: a value JSON.parse read 10,000 deep is refused without recursion (no RangeError)', () => {
    const value: unknown = JSON.parse(
      '{"x": [{"y": ' + '['.repeat(10_000) + ']'.repeat(10_000) + '}]}'
    )
    expect(() => JSON.stringify(value)).toThrow(RangeError)
    expect(() => checkJsonDepth(value)).toThrow(
      'too deep: the JSON nests deeper than 512 levels, the limit at x[0].y'
    )
    expect(() => checkJsonDepth({ a: [1, { b: 2 }] }, 3)).not.toThrow()
    expect(() => checkJsonDepth({ a: [1, { b: {} }] }, 3)).toThrow('at a[1].b')
    expect(() => parseJsonChecked('[[[]]]', 2)).toThrow(JsonTooDeepError)
  })
})
