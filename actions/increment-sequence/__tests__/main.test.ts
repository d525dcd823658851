import { describe, expect, it } from '@jest/globals'
import { describeSequenceEvent as describeEvent, idempotencyKeyOf } from '@hubstore/action-kit'
import { sequenceInputSpecs as specs } from '../src/constants.js'

describe('idempotencyKeyOf', () => {
  const env = {
    GITHUB_RUN_ID: '9876',
    GITHUB_RUN_ATTEMPT: '2',
    GITHUB_JOB: 'invoice',
    GITHUB_ACTION: 'number'
  }
  it('default: run id, run attempt, job and step', () => {
    expect(idempotencyKeyOf(undefined, env)).toBe('9876-2-invoice-number')
  })
  it('input: an explicit key wins; "none" turns idempotency off', () => {
    expect(idempotencyKeyOf('order-17', env)).toBe('order-17')
    expect(idempotencyKeyOf('none', env)).toBeUndefined()
  })
  it('outside Actions: no run id, no key', () => {
    expect(idempotencyKeyOf(undefined, {})).toBeUndefined()
  })
})

describe('input specs', () => {
  it('inputs: numbers are whole and in range; max-length may be empty', () => {
    expect(specs.count.schema.safeParse('100').data).toBe(100)
    expect(specs.count.schema.safeParse('0').success).toBe(false)
    expect(specs.count.schema.safeParse('1.5').success).toBe(false)
    expect(specs.initialValue.schema.safeParse('0').data).toBe(0)
    expect(specs.month.schema.safeParse('13').success).toBe(false)
    expect(specs.optionalLength.schema.safeParse('').data).toBeUndefined()
    expect(specs.optionalLength.schema.safeParse('19').data).toBe(19)
    expect(specs.series.schema.safeParse('fiscal-year').data).toBe('fiscal-year')
    expect(specs.series.schema.safeParse('weekly').success).toBe(false)
  })
})

describe('describeEvent', () => {
  it('log: conflicts and lost answers are explained in one line', () => {
    expect(describeEvent({ type: 'conflict', attempt: 1, problem: '409 x does not match y' })).toBe(
      'attempt 1: another writer got in first (409 x does not match y); reading again'
    )
    expect(describeEvent({ type: 'settled', attempt: 2, ours: true, how: 'claim' })).toContain(
      'had been committed'
    )
  })
})
