/**
 * Issue 10 items 6 and 7 for sequences: names that are also prototype members behave like any
 * other name (as sequence names and idempotency keys), and a sequence file over the contents
 * API's 1 MB JSON limit (docs/github-behaviour.md §1.1) is read with the raw media type.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import type { Emulator } from '@hubstore/emulator'
import { SequenceStore } from '../../src/sequence/store.js'
import { startWorld } from '../support/emulator.js'
import { EmulatedFile } from './support/emulated-file.js'

const PROTOTYPE_NAMES = ['constructor', 'toString', 'hasOwnProperty', '__proto__']

let emulator: Emulator
beforeAll(async () => {
  emulator = await startWorld()
})
afterAll(async () => emulator.close())
const open: EmulatedFile[] = []
afterEach(async () => {
  for (const file of open.splice(0)) await file.close()
})

async function world(initial?: string) {
  const file = await EmulatedFile.create(emulator, initial)
  open.push(file)
  return { file, store: new SequenceStore({ ...file.ctx, requestTimeoutMs: 60_000 }) }
}

describe('prototype-member names', () => {
  it.each(PROTOTYPE_NAMES)('%j as a sequence name counts from 1 and is read back', async (name) => {
    const { file, store } = await world()
    expect((await store.increment({ name })).first).toBe(1)
    expect(await store.increment({ name, count: 2 })).toMatchObject({ first: 2, last: 3 })
    expect((await store.peek({ name })).value).toBe(3)
    const doc = JSON.parse((await file.text()) ?? '{}') as { sequences: Record<string, number> }
    expect(Object.entries(doc.sequences)).toEqual([[name, 3]])
  })

  it.each(PROTOTYPE_NAMES)(
    '%j as an idempotency key returns the same numbers again',
    async (key) => {
      const { store } = await world()
      const first = await store.increment({ name: 'n', idempotencyKey: key, count: 2 })
      const again = await store.increment({ name: 'n', idempotencyKey: key, count: 2 })
      expect(first).toMatchObject({ first: 1, last: 2, reused: false })
      expect(again).toMatchObject({ first: 1, last: 2, reused: true })
      expect((await store.increment({ name: 'n' })).first).toBe(3)
    }
  )
})

describe('a sequence file over 1 MB', () => {
  it('a 5 MB file increments (raw media type read) and keeps every other sequence', async () => {
    const sequences: Record<string, number> = {}
    for (let i = 0; sequences.target === undefined; i++) {
      sequences[`padding_sequence_${String(i).padStart(7, '0')}`] = i
      if (i === 200_000) sequences.target = 41
    }
    const text = `${JSON.stringify({ sequences, last_updated: '2025-01-01T00:00:00.000Z', version: '1.0' }, null, 2)}\n`
    expect(text.length).toBeGreaterThan(5_000_000)
    const { file, store } = await world(text)
    const result = await store.increment({ name: 'target' })
    expect(result.first).toBe(42)
    const doc = JSON.parse((await file.text()) ?? '{}') as { sequences: Record<string, number> }
    expect(doc.sequences.target).toBe(42)
    expect(doc.sequences.padding_sequence_0123456).toBe(123456)
    expect(Object.keys(doc.sequences)).toHaveLength(200_002)
  }, 30_000)
})
