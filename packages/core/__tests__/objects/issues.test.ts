import { toPlainJson } from '../../src/json/index.js'
import { describe, expect, it } from '@jest/globals'
import {
  objectIdOf,
  objectLabels,
  parseObjectBody,
  validateObjectId
} from '../../src/objects/issues.js'

describe('validateObjectId', () => {
  it('validateObjectId: accepts ids whose UID: label fits in 50 characters', () => {
    expect(() => validateObjectId('metrics')).not.toThrow()
    expect(() => validateObjectId('x'.repeat(46))).not.toThrow()
    expect(() => validateObjectId('papers/2401.00001 ünï')).not.toThrow()
  })

  it.each([
    ['', /it is empty/],
    ['x'.repeat(47), /label UID:x+ has 51 characters; GitHub allows 50/],
    ['a,b', /comma/],
    [' a', /whitespace/],
    ['a\nb', /control character/]
  ])('validateObjectId: rejects %j with INVALID_OBJECT_ID', (id, message) => {
    expect(() => validateObjectId(id)).toThrow(message)
    try {
      validateObjectId(id)
    } catch (error) {
      expect((error as { code: string }).code).toBe('INVALID_OBJECT_ID')
    }
  })
})

describe('labels', () => {
  it('objectLabels: gh-store, stored-object, UID:<id>, then extra labels without repeats', () => {
    expect(objectLabels('m', ['team-a', 'gh-store'])).toEqual([
      'gh-store',
      'stored-object',
      'UID:m',
      'team-a'
    ])
  })

  it('objectIdOf: takes the first UID: label (gh-store §1.2)', () => {
    expect(objectIdOf(['gh-store', 'UID:first', 'UID:second'])).toBe('first')
    expect(objectIdOf(['stored-object'])).toBeUndefined()
  })
})

describe('parseObjectBody', () => {
  it('parseObjectBody: parses a JSON object body, keeping __proto__ and the key order (behaviour change: forbidden keys were dropped)', () => {
    expect(toPlainJson(parseObjectBody(1, '{\n  "a": 1\n}'))).toEqual({ a: 1 })
    const body = parseObjectBody(1, '{"a":1,"__proto__":{"polluted":1},"10":2}')
    expect([...body.keys()]).toEqual(['a', '__proto__', '10'])
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('parseObjectBody: a number a double cannot hold is refused, naming its path', () => {
    expect(() => parseObjectBody(3, '{"laps":[1, 1e309]}')).toThrow(
      /issue #3.*the number 1e309 is beyond the range of a 64-bit float.* at laps\[1\]/
    )
  })

  it.each([
    ['Hello', /not JSON/],
    ['[1]', /it is an array/],
    ['', /not JSON/],
    ['{"a":'.repeat(150) + '1' + '}'.repeat(150), /deeper than 100/]
  ])('parseObjectBody: refuses body %#  with INVALID_OBJECT_BODY', (body, message) => {
    expect(() => parseObjectBody(9, body)).toThrow(message)
    expect(() => parseObjectBody(9, body)).toThrow(/issue #9/)
  })
})
