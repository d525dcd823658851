import { describe, expect, it } from '@jest/globals'
import {
  compareAndSwap,
  resolveRetryOptions,
  type CasEvent,
  type CasSpec,
  type CasWriteOutcome
} from '../../src/github/cas.js'

/** A loop over a counter whose writes are scripted; records reads, waits and events. */
function harness(script: Array<CasWriteOutcome<string>['kind'] | 'redo' | 'now'>, retry = {}) {
  const log: string[] = []
  const events: CasEvent[] = []
  let t = 0
  const options = resolveRetryOptions(retry, {
    random: () => 0.5,
    sleep: async (ms) => {
      log.push(`wait ${ms}`)
      t += ms
    },
    now: () => t,
    onEvent: (e) => events.push(e)
  })
  const spec: CasSpec<number, number, string> = {
    read: async (attempt) => {
      log.push(`read ${attempt}`)
      return attempt * 10
    },
    plan: (state) => ({ write: state + 1 }),
    write: async (_state, plan, attempt) => {
      log.push(`write ${plan}`)
      const step = script.shift() ?? 'written'
      if (step === 'written') return { kind: 'written', value: `landed ${plan} on ${attempt}` }
      if (step === 'ambiguous') return { kind: 'ambiguous', problem: 'lost' }
      if (step === 'redo' || step === 'now') return { kind: 'conflict', problem: step, then: step }
      return { kind: 'conflict', problem: 'moved' }
    }
  }
  return { spec, options, log, events }
}

describe('compareAndSwap', () => {
  it('a conflict is retried from a new read after a full-jitter wait; the outcome carries attempts', async () => {
    const { spec, options, log, events } = harness(['conflict', 'conflict'])
    const outcome = await compareAndSwap(spec, options)
    expect(outcome).toEqual({ kind: 'finished', value: 'landed 31 on 3', attempts: 3 })
    // 0.5 × min(3000, 100 × 2^0), then 0.5 × 200
    expect(log).toEqual([
      'read 1',
      'write 11',
      'wait 50',
      'read 2',
      'write 21',
      'wait 100',
      'read 3',
      'write 31'
    ])
    expect(events.map((e) => e.type)).toEqual(['conflict', 'backoff', 'conflict', 'backoff'])
  })

  it('exhausted: after maxAttempts, or when the next wait would pass maxElapsedMs', async () => {
    const a = harness(['conflict', 'conflict', 'conflict'], { maxAttempts: 2 })
    expect(await compareAndSwap(a.spec, a.options)).toEqual({
      kind: 'exhausted',
      attempts: 2,
      elapsedMs: 50,
      problem: 'moved'
    })
    const b = harness(['conflict', 'conflict', 'conflict'], { maxElapsedMs: 120 })
    expect(await compareAndSwap(b.spec, b.options)).toMatchObject({
      kind: 'exhausted',
      attempts: 2
    })
  })

  it('then: now skips the wait; redo repeats the attempt unspent, once', async () => {
    const { spec, options, log } = harness(['redo', 'redo', 'now'])
    const outcome = await compareAndSwap(spec, options)
    expect(outcome).toMatchObject({ kind: 'finished', attempts: 3 })
    expect(log).toEqual([
      'read 1',
      'write 11',
      'read 1',
      'write 11',
      'read 2',
      'write 21',
      'read 3',
      'write 31'
    ])
  })

  it('settle: finish ends the loop (a settled event names how); fresh state skips the next read', async () => {
    const { spec, options, log, events } = harness(['ambiguous', 'ambiguous'])
    let settles = 0
    spec.initial = 100
    spec.settle = async ({ state, attempt }) => {
      log.push(`settle ${attempt}`)
      return ++settles === 1
        ? { retry: { fresh: state + 5, problem: 'not ours', how: 'unchanged' } }
        : { finish: 'ours after all', how: 'trailer' }
    }
    const outcome = await compareAndSwap(spec, options)
    expect(outcome).toEqual({ kind: 'finished', value: 'ours after all', attempts: 2 })
    expect(log).toEqual(['write 101', 'settle 1', 'wait 50', 'write 106', 'settle 2'])
    expect(events.filter((e) => e.type === 'settled')).toEqual([
      { type: 'settled', attempt: 1, ours: false, how: 'unchanged' },
      { type: 'settled', attempt: 2, ours: true, how: 'trailer' }
    ])
  })

  it('resolveRetryOptions: bad numbers are INVALID_OPTIONS naming the field', () => {
    expect(() => resolveRetryOptions({ maxAttempts: 0 })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS', option: 'maxAttempts' })
    )
    expect(() => resolveRetryOptions({ baseMs: -1 })).toThrow(
      expect.objectContaining({ option: 'baseMs' })
    )
    expect(resolveRetryOptions({ maxAttempts: undefined }, { maxAttempts: 3 }).maxAttempts).toBe(3)
  })
})
