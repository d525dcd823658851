import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startEmulator, type Emulator } from '@hubstore/emulator'
import { runSequenceDemo } from '../src/demo/sequence.js'

let emulator: Emulator
beforeAll(async () => {
  emulator = await startEmulator()
})
afterAll(async () => emulator.close())

describe('hubstore demo: sequence step', () => {
  it('demo: 8 concurrent runs of the bundled action print 8 distinct, consecutive numbers', async () => {
    const lines: string[] = []
    const result = await runSequenceDemo(emulator, (l) => lines.push(l))
    expect(result.runs.map((r) => r.exitCode)).toEqual(Array(8).fill(0))
    expect([...result.numbers].sort((a, b) => a - b)).toEqual([
      302, 303, 304, 305, 306, 307, 308, 309
    ])
    expect(result.distinct && result.consecutive).toBe(true)
    expect(result.finalValue).toBe(309)
    expect(result.commits).toEqual(
      Array.from({ length: 8 }, (_, i) => `Increment akdchydnch_seq: ${301 + i} → ${302 + i}`)
    )
    expect(result.runs.map((r) => r.outputs.formatted).sort()).toEqual(
      result.numbers
        .sort((a, b) => a - b)
        .map((n) => expect.stringMatching(new RegExp(`^AKDC/\\d\\d-\\d\\d/0${n}$`)))
    )
    expect(lines.join('\n')).toContain('all distinct, consecutive')
  })
})
