import { describe, expect, it } from '@jest/globals'
import { checkHistory, type CommittedBlock } from './support/checker.js'
import type { TortureOp } from './support/torture-worker.js'

const op = (
  worker: number,
  invoke: number,
  response: number,
  first: number,
  last = first
): TortureOp => ({
  worker,
  invoke,
  response,
  first,
  last,
  nonce: `n${first}`
})
const commit = (old: number, next: number, nonce = `n${old + 1}`): CommittedBlock => ({
  sha: `c${old}`,
  old,
  new: next,
  nonce
})

describe('checkHistory (the torture test checker, checked)', () => {
  it('checker: a clean concurrent history passes', () => {
    const ops = [op(0, 0, 10, 1), op(1, 5, 20, 2), op(0, 11, 30, 3, 4)]
    const r = checkHistory(ops, [commit(0, 1), commit(1, 2), commit(2, 4)], 4, 0)
    expect(r).toMatchObject({
      duplicates: [],
      notInHistory: [],
      chainBreaks: [],
      linearizabilityViolations: [],
      gaps: []
    })
    expect(r.maxHandedOut).toBe(4)
  })
  it('checker: catches duplicates, numbers missing from history, lost updates and real-time inversions', () => {
    const dup = checkHistory(
      [op(0, 0, 1, 1), { ...op(1, 0, 1, 1), nonce: 'x' }],
      [commit(0, 1)],
      1,
      0
    )
    expect(dup.duplicates).toEqual([1])
    expect(dup.notInHistory).toHaveLength(1)
    const lost = checkHistory(
      [op(0, 0, 1, 1), op(1, 0, 1, 2)],
      [commit(0, 1), commit(0, 2, 'n2')],
      2,
      0
    )
    expect(lost.chainBreaks).toEqual([{ sha: 'c0', expectedOld: 1, old: 0 }])
    const inverted = checkHistory(
      [op(0, 0, 1, 2), op(1, 5, 6, 1)],
      [commit(0, 1), commit(1, 2)],
      2,
      0
    )
    expect(inverted.linearizabilityViolations).toHaveLength(1)
  })
  it('checker: a gap is explained only by an operation that failed with its nonce', () => {
    const failed: TortureOp = {
      worker: 3,
      invoke: 0,
      response: 2,
      error: { code: 'SEQUENCE_OUTCOME_UNKNOWN', nonce: 'n1', first: 1, last: 1, message: '' }
    }
    const r = checkHistory([failed, op(0, 3, 4, 2)], [commit(0, 1), commit(1, 2)], 2, 0)
    expect(r.gaps).toEqual([
      { first: 1, last: 1, nonce: 'n1', explanation: expect.stringContaining('worker 3') }
    ])
    expect(r.unexplainedGaps).toBe(0)
    expect(checkHistory([op(0, 3, 4, 2)], [commit(0, 1), commit(1, 2)], 2, 0).unexplainedGaps).toBe(
      1
    )
  })
})
