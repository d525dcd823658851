import { describe, expect, it } from '@jest/globals'
import {
  fromPlainJson,
  parseJson,
  serializeJson,
  toPlainJson,
  type JsonMap
} from '../../src/json/index.js'
import { buildEnvelope, parseComment as parseOrdered } from '../../src/objects/envelope.js'
import { CLIENT_VERSION, MAX_BODY_CHARS, MAX_NESTING_DEPTH } from '../../src/objects/constants.js'

const CREATED = '2025-04-10T08:00:00Z'
const envelope = (meta: Record<string, unknown>, data: unknown = { count: 1 }, extra = {}) =>
  JSON.stringify({ _data: data, _meta: meta, ...extra })
const META = {
  client_version: '0.11.2',
  timestamp: '2025-04-09T18:55:50.123456+00:00',
  update_mode: 'append'
}

// parseComment returns ordered JSON values (docs/gh-store-format.md §1.8); the cases compare
// their plain view.
const parseComment = (body: string | null, createdAt: string) => {
  const parsed = parseOrdered(body, createdAt)
  return parsed.kind === 'update' ? { ...parsed, data: toPlainJson(parsed.data) } : parsed
}
const ordered = (o: unknown) => fromPlainJson(o, 100) as JsonMap

describe('parseComment', () => {
  it('parseComment: reads a current gh-store envelope with a Python +00:00 timestamp', () => {
    expect(parseComment(envelope({ ...META, issue_number: 123 }), CREATED)).toEqual({
      kind: 'update',
      format: 'envelope',
      data: { count: 1 },
      meta: {
        clientVersion: '0.11.2',
        timestamp: '2025-04-09T18:55:50.123456+00:00',
        mode: 'append'
      }
    })
  })

  it('parseComment: reads a TypeScript-client envelope with a Z timestamp and replace mode', () => {
    const parsed = parseComment(
      envelope({ ...META, timestamp: '2025-04-09T18:55:50.123Z', update_mode: 'replace' }),
      CREATED
    )
    expect(parsed).toMatchObject({
      kind: 'update',
      meta: { timestamp: '2025-04-09T18:55:50.123Z', mode: 'replace' }
    })
  })

  it('parseComment: treats a bare JSON object as a legacy update with synthetic meta (§2.3)', () => {
    expect(parseComment('{"count": 5}', CREATED)).toEqual({
      kind: 'update',
      format: 'legacy',
      data: { count: 5 },
      meta: { clientVersion: 'legacy', timestamp: CREATED, mode: 'append' }
    })
  })

  it('parseComment: skips current and legacy initial-state comments', () => {
    expect(parseComment(envelope(META, { a: 1 }, { type: 'initial_state' }), CREATED)).toEqual({
      kind: 'initial_state'
    })
    expect(
      parseComment(
        '{"type":"initial_state","data":{"a":1},"timestamp":"2025-01-01T00:00:00"}',
        CREATED
      )
    ).toEqual({
      kind: 'initial_state'
    })
  })

  it.each([
    ['missing _meta', JSON.stringify({ _data: { a: 1 } }), /_meta is missing/],
    ['_meta not an object', JSON.stringify({ _data: { a: 1 }, _meta: 'x' }), /_meta is a string/],
    [
      'missing client_version',
      envelope({ ...META, client_version: undefined }),
      /_meta.client_version is missing/
    ],
    ['null timestamp', envelope({ ...META, timestamp: null }), /_meta.timestamp is missing/],
    [
      'missing update_mode',
      envelope({ ...META, update_mode: undefined }),
      /_meta.update_mode is missing/
    ],
    ['unknown update_mode', envelope({ ...META, update_mode: 'merge' }), /_meta.update_mode/],
    [
      'non-ISO timestamp',
      envelope({ ...META, timestamp: 'yesterday' }),
      /_meta.timestamp: expected an ISO 8601/
    ]
  ])('parseComment: rejects an envelope with %s as INVALID_ENVELOPE', (_name, body, reason) => {
    const parsed = parseComment(body, CREATED)
    expect(parsed).toMatchObject({ kind: 'rejected', code: 'INVALID_ENVELOPE' })
    expect(parsed.kind === 'rejected' && parsed.reason).toMatch(reason)
  })

  it.each([
    ['an array _data', envelope(META, [1, 2])],
    ['a string _data', envelope(META, 'x')],
    ['a null _data', envelope(META, null)],
    ['a bare array', '[1,2,3]'],
    ['a bare number', '42'],
    ['a bare null', 'null']
  ])('parseComment: rejects %s as DATA_NOT_OBJECT', (_name, body) => {
    expect(parseComment(body, CREATED)).toMatchObject({ kind: 'rejected', code: 'DATA_NOT_OBJECT' })
  })

  it('parseComment: rejects discussion text, empty bodies, oversize and over-deep JSON', () => {
    expect(parseComment('LGTM, thanks!', CREATED)).toMatchObject({ code: 'NOT_JSON' })
    expect(parseComment('', CREATED)).toMatchObject({ code: 'NOT_JSON' })
    expect(parseComment(null, CREATED)).toMatchObject({ code: 'NOT_JSON' })
    expect(parseComment(`{"a":"${'x'.repeat(MAX_BODY_CHARS)}"}`, CREATED)).toMatchObject({
      code: 'TOO_LARGE'
    })
    const deep = '{"a":'.repeat(MAX_NESTING_DEPTH + 1) + '1' + '}'.repeat(MAX_NESTING_DEPTH + 1)
    expect(parseComment(deep, CREATED)).toMatchObject({ code: 'TOO_DEEP' })
    const ok = '{"a":'.repeat(MAX_NESTING_DEPTH - 1) + '1' + '}'.repeat(MAX_NESTING_DEPTH - 1)
    expect(parseComment(ok, CREATED)).toMatchObject({ kind: 'update' })
  })

  it('parseComment: keys such as __proto__, constructor and prototype are data, in order, and never touch a prototype (behaviour change: they were FORBIDDEN_KEY)', () => {
    for (const body of [
      '{"__proto__":{"polluted":true},"10":1,"2":2}',
      envelope(META, JSON.parse('{"a":{"constructor":{"prototype":{"polluted":true}}}}')),
      '{"list":[{"prototype":1}]}'
    ]) {
      const parsed = parseOrdered(body, CREATED)
      expect(parsed.kind).toBe('update')
      if (parsed.kind === 'update')
        expect(serializeJson(parsed.data)).toBe(
          serializeJson((parseJson(body) as JsonMap).get('_data') ?? parseJson(body))
        )
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('parseComment: a number a double cannot hold is NUMBER_OUT_OF_RANGE, naming its path', () => {
    expect(parseComment(envelope(META, '@'), CREATED)).toMatchObject({ code: 'DATA_NOT_OBJECT' })
    expect(parseComment('{"_data":{"laps":{"best":1e309}},"_meta":{}}', CREATED)).toMatchObject({
      kind: 'rejected',
      code: 'NUMBER_OUT_OF_RANGE',
      reason: expect.stringContaining('at _data.laps.best')
    })
    expect(parseComment('{"id":12345678901234567890}', CREATED)).toMatchObject({
      code: 'NUMBER_OUT_OF_RANGE',
      reason: expect.stringContaining('12345678901234567890')
    })
  })
})

describe('buildEnvelope', () => {
  it('buildEnvelope: a replace update has client_version null, so gh-store’s processor (which would deep-merge it) skips it as invalid metadata (docs/gh-store-format.md §2.10)', () => {
    const body = buildEnvelope({
      data: ordered({ only: true }),
      timestamp: '2025-04-09T18:55:50.123Z',
      mode: 'replace',
      issueNumber: 7
    })
    const meta = (JSON.parse(body) as { _meta: Record<string, unknown> })._meta
    // gh-store's CommentHandler._validate_metadata: every key present and not None
    const ghStoreValid = ['client_version', 'timestamp', 'update_mode'].every(
      (k) => k in meta && meta[k] !== null
    )
    expect(ghStoreValid).toBe(false)
    expect(meta).toEqual({
      client_version: null,
      timestamp: '2025-04-09T18:55:50.123Z',
      update_mode: 'replace',
      issue_number: 7,
      hubstore_client_version: CLIENT_VERSION
    })
    // a replace written by anyone else (gh-store's fixtures allow it) still reads as replace;
    // a null client_version without hubstore's key is invalid, as in gh-store
    expect(parseComment(envelope({ ...META, update_mode: 'replace' }), CREATED)).toMatchObject({
      meta: { mode: 'replace', clientVersion: '0.11.2' }
    })
    expect(
      parseComment(envelope({ ...META, client_version: null, update_mode: 'replace' }), CREATED)
    ).toMatchObject({ code: 'INVALID_ENVELOPE' })
  })

  it('buildEnvelope: writes gh-store’s key order and 2-space JSON, byte for byte', () => {
    const body = buildEnvelope({
      data: ordered({ count: 1 }),
      timestamp: '2025-04-09T18:55:50.123Z',
      mode: 'append',
      issueNumber: 7
    })
    expect(body).toBe(
      [
        '{',
        '  "_data": {',
        '    "count": 1',
        '  },',
        '  "_meta": {',
        `    "client_version": "${CLIENT_VERSION}",`,
        '    "timestamp": "2025-04-09T18:55:50.123Z",',
        '    "update_mode": "append",',
        '    "issue_number": 7',
        '  }',
        '}'
      ].join('\n')
    )
  })

  it('buildEnvelope: puts type last for the initial-state comment, and parses back', () => {
    const body = buildEnvelope({
      data: ordered({ a: 1 }),
      timestamp: CREATED,
      mode: 'append',
      issueNumber: 1,
      type: 'initial_state'
    })
    expect(Object.keys(JSON.parse(body))).toEqual(['_data', '_meta', 'type'])
    expect(parseComment(body, CREATED)).toEqual({ kind: 'initial_state' })
    const update = buildEnvelope({
      data: ordered({ a: 1 }),
      timestamp: CREATED,
      mode: 'replace',
      issueNumber: 1
    })
    expect(parseComment(update, CREATED)).toMatchObject({
      kind: 'update',
      format: 'envelope',
      meta: { mode: 'replace', clientVersion: CLIENT_VERSION }
    })
  })
})
