import { describe, expect, it } from '@jest/globals'
import {
  claimsOf,
  EMPTY_DOCUMENT,
  parseSequenceFile,
  serialiseSequenceFile,
  withIncrement,
  type Claim
} from '../../src/sequence/file.js'
import { incrementMessage, parseMessage, setMessage } from '../../src/sequence/message.js'

const FILE = 'o/r:sequence_data.json (default branch)'
const now = new Date('2026-02-03T00:00:00.000Z')

describe('parseSequenceFile', () => {
  it('parse: the existing sequence_data.json shape, empty text, and unknown keys', () => {
    const doc = parseSequenceFile(
      '{"sequences": {"akdchydnch_seq": 301}, "last_updated": "x", "version": "1.0", "extra": [1]}',
      FILE
    )
    expect(doc.json.extra).toEqual([1])
    expect(doc.finalNewline).toBe(false)
    expect(parseSequenceFile('  \n', FILE)).toBe(EMPTY_DOCUMENT)
    expect(parseSequenceFile('{}', FILE).json).toEqual({})
  })
  it('parse: errors name the field, the problem and the fix', () => {
    const cases: Array<[string, string, RegExp]> = [
      ['{"sequences": {"a": "301"}}', 'sequences.a', /must be a whole number ≥ 0/],
      ['{"sequences": {"a": -1}}', 'sequences.a', /must be a whole number ≥ 0/],
      ['{"sequences": {"a": 1.5}}', 'sequences.a', /must be a whole number ≥ 0/],
      ['{"sequences": []}', 'sequences', /expected record/],
      ['{"claims": {"k": {"sequence": "a"}}}', 'claims.k.first', /expected number/],
      ['[1]', '', /is not a JSON object/],
      ['{"sequences": ', '', /is not JSON/]
    ]
    for (const [text, field, problem] of cases) {
      let error: unknown
      try {
        parseSequenceFile(text, FILE)
      } catch (e) {
        error = e
      }
      expect(error).toMatchObject({ code: 'INVALID_SEQUENCE_FILE', field })
      expect((error as Error).message).toMatch(problem)
      expect((error as Error).message).toContain('Fix it by hand')
    }
  })
})

describe('withIncrement', () => {
  const claim = (n: number): Claim => ({
    sequence: 's',
    first: n,
    last: n,
    nonce: `n${n}`,
    at: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString()
  })
  it('claims: kept newest first up to the bound; hand-written claims without a time go first', () => {
    let doc = parseSequenceFile(
      '{"claims": {"hand": {"sequence":"s","first":0,"last":0,"nonce":"h"}}}',
      FILE
    )
    for (let n = 1; n <= 5; n++)
      doc = withIncrement(doc, { key: 's', value: n, claimKey: `n${n}`, claim: claim(n), now }, 3)
    expect(Object.keys(claimsOf(doc))).toEqual(['n3', 'n4', 'n5'])
    expect(doc.json.sequences).toEqual({ s: 5 })
  })
  it('serialise: a new file gets sequences, last_updated, version, claims, 2-space JSON and a newline', () => {
    const doc = withIncrement(EMPTY_DOCUMENT, {
      key: 's',
      value: 1,
      claimKey: 'k',
      claim: claim(1),
      now
    })
    const text = serialiseSequenceFile(doc)
    expect(Object.keys(JSON.parse(text))).toEqual([
      'sequences',
      'last_updated',
      'version',
      'claims'
    ])
    expect(text.endsWith('}\n')).toBe(true)
    expect(text).toContain('\n  "sequences": {\n    "s": 1\n  },')
  })
})

describe('commit messages', () => {
  it('messages: increment and set round-trip with their trailers', () => {
    expect(parseMessage(incrementMessage('dc/FY2025-26', 0, 100, 'abc', 'run-1'))).toEqual({
      kind: 'increment',
      key: 'dc/FY2025-26',
      old: 0,
      new: 100,
      nonce: 'abc',
      idempotencyKey: 'run-1'
    })
    expect(parseMessage(setMessage('a: b', null, 5, 'n'))).toEqual({
      kind: 'set',
      key: 'a: b',
      old: null,
      new: 5,
      nonce: 'n'
    })
    expect(parseMessage('Update README')).toBeNull()
  })
})
