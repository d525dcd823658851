import { describe, expect, it } from '@jest/globals'
import { formatDuration, oneLine, sweepProgressLine } from '../../src/objects/progress.js'
import type { ProcessResult } from '../../src/objects/process.js'

const result = (over: Partial<ProcessResult>): ProcessResult => ({
  issueNumber: 7,
  objectId: 'cart',
  applied: [],
  rejected: [],
  data: {},
  json: '{}',
  requests: 9,
  marking: 'none',
  ...over
})

describe('sweep progress lines', () => {
  it('oneLine: no user string can start a line of its own (a workflow command)', () => {
    const hostile = 'x\n::add-mask::secret\r\n::set-output name=a::b\r::error::c\u2028::d::\u2029e'
    const flat = oneLine(hostile)
    expect(flat.split(/\r\n|[\r\n\u2028\u2029]/)).toEqual([flat])
    expect(flat).toBe('x\\n::add-mask::secret\\n::set-output name=a::b\\n::error::c\\n::d::\\ne')
  })

  it('formatDuration: seconds, minutes, hours', () => {
    expect([0, 44_600, 60_000, 200_000, 3_600_000, 7_500_000].map(formatDuration)).toEqual([
      '0 s',
      '45 s',
      '1 min',
      '3 min 20 s',
      '1 h',
      '2 h 5 min'
    ])
  })

  it('sweepProgressLine: the start, an object with the totals and the time left, a failure on one line', () => {
    const base = { total: 3, applied: 0, rejected: 0, failed: 0, elapsedMs: 0 }
    expect(sweepProgressLine({ ...base, done: 0 })).toBe('Sweeping 3 open object(s).')
    expect(
      sweepProgressLine({
        ...base,
        done: 1,
        applied: 2,
        elapsedMs: 4000,
        remainingMs: 8000,
        result: result({
          applied: [
            { commentId: 1, author: 'a', createdAt: '' },
            { commentId: 2, author: 'a', createdAt: '' }
          ]
        })
      })
    ).toBe(
      '[1/3] #7 cart: 2 applied, 0 rejected (so far 2 applied, 0 rejected, 0 failed, 4 s; about 8 s left)'
    )
    expect(
      sweepProgressLine({
        ...base,
        done: 3,
        failed: 1,
        elapsedMs: 12_000,
        remainingMs: 0,
        result: result({ error: { code: 'INVALID_OBJECT_BODY', message: 'bad\n::add-mask::x' } })
      })
    ).toBe(
      '[3/3] #7 cart: failed: INVALID_OBJECT_BODY: bad\\n::add-mask::x (so far 0 applied, 0 rejected, 1 failed, 12 s)'
    )
  })
})
