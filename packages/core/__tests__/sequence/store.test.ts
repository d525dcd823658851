import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import type { Emulator } from '@hubstore/emulator'
import {
  SequenceStore,
  type SequenceEvent,
  type SequenceStoreOptions
} from '../../src/sequence/store.js'
import { parseMessage } from '../../src/sequence/message.js'
import { startWorld } from '../support/emulator.js'
import { EmulatedFile } from './support/emulated-file.js'

const LEGACY = `{
  "sequences": {
    "akdchydnch_seq": 301,
    "other_seq": 7
  },
  "last_updated": "2025-01-01T00:00:00.000Z",
  "version": "1.0",
  "notes": "kept by hand"
}
`

let emulator: Emulator
beforeAll(async () => {
  emulator = await startWorld()
})
afterAll(async () => emulator.close())
const open: EmulatedFile[] = []
afterEach(async () => {
  for (const file of open.splice(0)) await file.close()
})

/** A fresh repository on the emulator holding `initial`, and a store on it (user octocat). */
async function world(initial?: string, options: Partial<SequenceStoreOptions> = {}) {
  const github = await EmulatedFile.create(emulator, initial)
  open.push(github)
  const waits: number[] = []
  const events: SequenceEvent[] = []
  const store = new SequenceStore({
    ...github.ctx,
    now: () => new Date('2026-02-03T04:05:06.000Z'),
    ...options,
    retry: {
      random: () => 0.5,
      sleep: async (ms) => {
        waits.push(ms)
      },
      onEvent: (e) => events.push(e),
      ...options.retry
    }
  })
  return { github, store, waits, events }
}

/** Someone else increments `name` by one between our read and our write. */
const otherWriter =
  (name: string, nonce = 'other') =>
  (current: string | null) => {
    const json = JSON.parse(current ?? '{"sequences":{}}')
    const value = (json.sequences[name] ?? 0) + 1
    json.sequences[name] = value
    json.claims = { ...json.claims, [nonce]: { sequence: name, first: value, last: value, nonce } }
    return JSON.stringify(json, null, 2)
  }

describe('SequenceStore.increment', () => {
  it('increment: creates the file when it does not exist, for 3 requests (GET 404, GET of the repository, PUT)', async () => {
    const { github, store } = await world()
    const r = await store.increment({ name: 'inv' })
    expect(r).toMatchObject({
      name: 'inv',
      key: 'inv',
      first: 1,
      last: 1,
      previous: 0,
      attempts: 1,
      reused: false,
      requests: 3
    })
    expect(github.log).toEqual(['GET contents', 'PUT contents'])
    expect(await github.json()).toEqual({
      sequences: { inv: 1 },
      last_updated: '2026-02-03T04:05:06.000Z',
      version: '1.0',
      claims: {
        [r.nonce]: {
          sequence: 'inv',
          first: 1,
          last: 1,
          nonce: r.nonce,
          at: '2026-02-03T04:05:06.000Z'
        }
      }
    })
    expect((await github.commits()).at(-1)?.message).toBe(
      `Increment inv: 0 → 1\n\nHubstore-Claim: ${r.nonce}`
    )
    expect(r.commitSha).toBe((await github.commits()).at(-1)?.sha)
  })

  it('increment: continues an existing sequence_data.json, keeping unknown keys, order and 2-space JSON', async () => {
    const { github, store } = await world(LEGACY)
    const r = await store.increment({ name: 'akdchydnch_seq' })
    expect([r.previous, r.first, r.last]).toEqual([301, 302, 302])
    const text = (await github.text()) ?? ''
    expect(Object.keys(JSON.parse(text))).toEqual([
      'sequences',
      'last_updated',
      'version',
      'notes',
      'claims'
    ])
    expect(JSON.parse(text).sequences).toEqual({ akdchydnch_seq: 302, other_seq: 7 })
    expect(text).toBe(`${JSON.stringify(JSON.parse(text), null, 2)}\n`)
    expect(parseMessage((await github.commits()).at(-1)?.message ?? '')).toEqual({
      kind: 'increment',
      key: 'akdchydnch_seq',
      old: 301,
      new: 302,
      nonce: r.nonce
    })
  })

  it('increment: a warm store (cached blob SHA) costs one request', async () => {
    const { github, store } = await world(LEGACY)
    await store.increment({ name: 'other_seq' })
    github.log.length = 0
    const r = await store.increment({ name: 'other_seq' })
    expect(r).toMatchObject({ first: 9, requests: 1, attempts: 1 })
    expect(github.log).toEqual(['PUT contents'])
  })

  it('increment: count reserves a consecutive block in one commit', async () => {
    const { github, store } = await world(LEGACY)
    const r = await store.increment({ name: 'other_seq', count: 100 })
    expect(r).toMatchObject({ previous: 7, first: 8, last: 107, requests: 2 })
    expect(await github.commits()).toHaveLength(2)
    expect((await github.commits()).at(-1)?.message.split('\n')[0]).toBe(
      'Increment other_seq: 7 → 107'
    )
  })

  it('increment: initialValue applies only to a sequence that does not exist yet', async () => {
    const { store } = await world(LEGACY)
    expect((await store.increment({ name: 'fresh', initialValue: 1000 })).first).toBe(1001)
    expect((await store.increment({ name: 'fresh', initialValue: 5 })).first).toBe(1002)
    expect((await store.increment({ name: 'akdchydnch_seq', initialValue: 5 })).first).toBe(302)
  })

  it('conflict: another writer between read and write → re-read, full-jitter wait, retry', async () => {
    const { github, store, waits, events } = await world(LEGACY)
    github.putScript.push({ interleave: otherWriter('other_seq') })
    const r = await store.increment({ name: 'other_seq' })
    expect(r).toMatchObject({ first: 9, attempts: 2, requests: 4 })
    expect(github.log).toEqual(['GET contents', 'PUT contents', 'GET contents', 'PUT contents'])
    // random 0.5 × min(5000, 100 × 2^1)
    expect(waits).toEqual([100])
    expect(events[0]).toMatchObject({
      type: 'conflict',
      attempt: 1,
      problem: expect.stringContaining('409 sequence_data.json does not match')
    })
  })

  it('conflict: losing the race to create the file (422 "sha" wasn\'t supplied) is a conflict', async () => {
    const { github, store } = await world()
    github.putScript.push({ interleave: otherWriter('inv') })
    const r = await store.increment({ name: 'inv' })
    expect(r).toMatchObject({ first: 2, attempts: 2 })
  })

  it('contention: every attempt losing gives SEQUENCE_CONTENTION with attempts, time and the fix', async () => {
    let t = 0
    const { github, store, waits } = await world(LEGACY, {
      retry: { maxAttempts: 4 },
      now: () => new Date(Date.UTC(2026, 1, 3) + (t += 10))
    })
    for (let i = 0; i < 10; i++)
      github.putScript.push({ interleave: otherWriter('other_seq', `o${i}`) })
    const error = await store.increment({ name: 'other_seq' }).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'SEQUENCE_CONTENTION', attempts: 4 })
    expect((error as Error).message).toMatch(
      /4 attempt\(s\) over \d+ ms .*Nothing was committed.*max-attempts/
    )
    expect(waits).toEqual([100, 200, 400])
    // 4 other writers, none of ours
    expect((await github.commits()).filter((c) => c.message.startsWith('Increment'))).toHaveLength(
      0
    )
  })

  it('contention: no attempt starts later than maxElapsedMs, even with attempts left', async () => {
    let t = Date.UTC(2026, 1, 3)
    const { github, store } = await world(LEGACY, {
      retry: {
        maxElapsedMs: 1000,
        baseMs: 600,
        sleep: async (ms) => {
          t += ms
        }
      },
      now: () => new Date(t)
    })
    for (let i = 0; i < 10; i++)
      github.putScript.push({ interleave: otherWriter('other_seq', `o${i}`) })
    // waits 0.5 × 600 = 300 ms, 0.5 × 1200 = 600 ms; the third (1200 ms) would end past 1000 ms
    await expect(store.increment({ name: 'other_seq' })).rejects.toMatchObject({
      code: 'SEQUENCE_CONTENTION',
      attempts: 3,
      elapsedMs: 900
    })
  })

  it('ambiguous: a 502 after the write applied is settled by reading back: the number is ours, once', async () => {
    const { github, store, events } = await world(LEGACY)
    github.putScript.push('fail-after')
    const r = await store.increment({ name: 'other_seq' })
    expect(r).toMatchObject({ first: 8, attempts: 1 })
    expect(r.commitSha).toBe((await github.commits()).at(-1)?.sha)
    expect(await github.commits()).toHaveLength(2)
    expect(events.find((e) => e.type === 'settled')).toEqual({
      type: 'settled',
      attempt: 1,
      ours: true,
      how: 'claim'
    })
  })

  it('ambiguous: a lost answer (network error) after applying is settled the same way', async () => {
    const { github, store } = await world(LEGACY)
    github.putScript.push('lost-after')
    const r = await store.increment({ name: 'other_seq' })
    expect(r.first).toBe(8)
    expect(await github.commits()).toHaveLength(2)
  })

  it('ambiguous: a 500 before applying leaves the file unchanged, so the write is retried', async () => {
    const { github, store, events } = await world(LEGACY)
    github.putScript.push('fail-before')
    const r = await store.increment({ name: 'other_seq' })
    expect(r).toMatchObject({ first: 8, attempts: 2 })
    expect(await github.commits()).toHaveLength(2)
    expect(events.find((e) => e.type === 'settled')).toMatchObject({
      ours: false,
      how: 'unchanged'
    })
  })

  it('ambiguous: another claim covering our number proves ours did not land', async () => {
    const { github, store, events } = await world(LEGACY)
    github.putScript.push({ interleaveThenFail: otherWriter('other_seq'), when: 'before' })
    const r = await store.increment({ name: 'other_seq' })
    expect(r).toMatchObject({ first: 9, attempts: 2 })
    expect(events.find((e) => e.type === 'settled')).toMatchObject({
      ours: false,
      how: 'other-claim'
    })
  })

  it('ambiguous: a claim evicted from the file is found by its commit trailer', async () => {
    const { github, store, events } = await world(LEGACY, { claimsKept: 1 })
    github.putScript.push('fail-after')
    // After our write lands, another writer's claim evicts ours (claimsKept 1) before we read back.
    github.beforeReadBack(async () => {
      if ((await github.commits()).length === 2) {
        const json = (await github.json()) as {
          sequences: Record<string, number>
          claims: Record<string, unknown>
        }
        json.sequences.other_seq = 9
        json.claims = { x: { sequence: 'other_seq', first: 9, last: 9, nonce: 'x' } }
        await github.commit(JSON.stringify(json, null, 2), 'Increment other_seq: 8 → 9')
      }
    })
    const r = await store.increment({ name: 'other_seq' })
    expect(r).toMatchObject({ first: 8, attempts: 1 })
    expect(r.commitSha).toBe((await github.commits())[1]?.sha)
    expect(events.find((e) => e.type === 'settled')).toEqual({
      type: 'settled',
      attempt: 1,
      ours: true,
      how: 'history'
    })
  })

  it('ambiguous: when reading back fails, SEQUENCE_OUTCOME_UNKNOWN says which numbers and how to recover', async () => {
    const { github, store } = await world(LEGACY)
    github.putScript.push('fail-after')
    github.beforeReadBack(() => github.failReads(503))
    const error = await store
      .increment({ name: 'other_seq', idempotencyKey: 'run-1' })
      .catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'SEQUENCE_OUTCOME_UNKNOWN', first: 8, last: 8 })
    expect((error as Error).message).toContain('idempotency key "run-1"')
    // The same key recovers the committed number instead of drawing a new one.
    await github.heal()
    const again = await store.increment({ name: 'other_seq', idempotencyKey: 'run-1' })
    expect(again).toMatchObject({ first: 8, reused: true })
    expect(await github.commits()).toHaveLength(2)
  })

  it('idempotency: the same key returns the block it already got, without writing', async () => {
    const { github, store } = await world(LEGACY)
    const first = await store.increment({ name: 'akdchydnch_seq', idempotencyKey: '123-1-build' })
    const fresh = new SequenceStore({ ...github.newContext() })
    github.log.length = 0
    const again = await fresh.increment({ name: 'akdchydnch_seq', idempotencyKey: '123-1-build' })
    expect(again).toMatchObject({ first: 302, last: 302, reused: true, commitSha: first.commitSha })
    expect(github.log).toEqual(['GET contents', 'GET commits'])
    expect(await github.commits()).toHaveLength(2)
    expect((await github.commits()).at(-1)?.message).toContain(
      'Hubstore-Idempotency-Key: 123-1-build'
    )
  })

  it('idempotency: a key reused for another sequence or block size is refused', async () => {
    const { store } = await world(LEGACY)
    await store.increment({ name: 'akdchydnch_seq', idempotencyKey: 'k' })
    await expect(store.increment({ name: 'other_seq', idempotencyKey: 'k' })).rejects.toMatchObject(
      {
        code: 'IDEMPOTENCY_KEY_CONFLICT'
      }
    )
    await expect(
      store.increment({ name: 'akdchydnch_seq', idempotencyKey: 'k', count: 2 })
    ).rejects.toMatchObject({
      code: 'IDEMPOTENCY_KEY_CONFLICT'
    })
  })

  it('hand edits: a corrected value is continued from, and a bad value names the field', async () => {
    const { github, store } = await world(LEGACY)
    await store.increment({ name: 'akdchydnch_seq' })
    const json = (await github.json()) as { sequences: Record<string, unknown>; claims?: unknown }
    json.sequences.akdchydnch_seq = 500
    delete json.claims
    await github.commit(JSON.stringify(json, null, 4), 'fix by hand')
    expect((await store.increment({ name: 'akdchydnch_seq' })).first).toBe(501)
    json.sequences.akdchydnch_seq = '502'
    await github.commit(JSON.stringify(json), 'broken by hand')
    store.invalidate()
    await expect(store.increment({ name: 'akdchydnch_seq' })).rejects.toMatchObject({
      code: 'INVALID_SEQUENCE_FILE',
      field: 'sequences.akdchydnch_seq'
    })
  })

  it('format: fiscal-year series key, template, and a too-long number fails before committing', async () => {
    const { github, store } = await world(LEGACY)
    const r = await store.increment({
      name: 'dc',
      series: 'fiscal-year',
      format: 'DC/{fy}/{value:04}',
      at: new Date('2026-03-31T20:00:00Z'),
      timeZone: 'Asia/Kolkata'
    })
    expect(r).toMatchObject({
      key: 'dc/FY2026-27',
      first: 1,
      formatted: { first: 'DC/2026-27/0001', last: 'DC/2026-27/0001' }
    })
    await expect(
      store.increment({
        name: 'dc',
        series: 'fiscal-year',
        format: 'AKDC/{fy}/{value:06}',
        at: new Date('2026-03-31T20:00:00Z')
      })
    ).rejects.toMatchObject({
      code: 'SEQUENCE_FORMAT_TOO_LONG',
      formatted: 'AKDC/2025-26/000001',
      maxLength: 16
    })
    expect(await github.commits()).toHaveLength(2)
    expect(
      (await store.increment({ name: 'dc', format: 'AKDC/{fy}/{value:06}', maxLength: 19 }))
        .formatted?.first
    ).toBe('AKDC/2025-26/000001')
  })

  it('format: the length limit is checked on the last number of the block', async () => {
    const { store } = await world('{"sequences":{"n":9990}}')
    await expect(
      store.increment({ name: 'n', count: 20, format: 'N{value:04}', maxLength: 5 })
    ).rejects.toMatchObject({
      code: 'SEQUENCE_FORMAT_TOO_LONG',
      formatted: 'N10010'
    })
  })

  it('options: bad names, counts and templates fail before any request', async () => {
    const { github, store } = await world(LEGACY)
    for (const bad of [
      { name: 'a/b' },
      { name: '' },
      { name: 'x', count: 0 },
      { name: 'x', count: 1.5 },
      { name: 'x', initialValue: -1 },
      { name: 'x', format: 'INV-{n}' },
      { name: 'x', format: 'INV' },
      { name: 'x', idempotencyKey: 'a\nb' }
    ])
      await expect(store.increment(bad)).rejects.toMatchObject({ code: 'INVALID_OPTIONS' })
    expect(github.log).toEqual([])
  })

  it('branch: a missing branch is a GitHubRequestError naming the file', async () => {
    const { store } = await world(LEGACY, { branch: 'nope' })
    await expect(store.increment({ name: 'x' })).rejects.toMatchObject({
      code: 'GITHUB_REQUEST_FAILED',
      status: 404,
      githubMessage: 'No commit found for the ref nope'
    })
  })
})

describe('SequenceStore.peek, list, set', () => {
  it('peek: reads without writing; a repeated peek is a conditional GET answered 304', async () => {
    const { github, store } = await world(LEGACY)
    const p = await store.peek({ name: 'akdchydnch_seq' })
    expect(p).toMatchObject({ key: 'akdchydnch_seq', value: 301, next: 302, requests: 1 })
    expect(
      await store.peek({ name: 'missing', initialValue: 10, format: 'M{value:03}' })
    ).toMatchObject({
      value: null,
      next: 11,
      formattedNext: 'M011'
    })
    expect(await github.commits()).toHaveLength(1)
    expect(github.log).toEqual(['GET contents', 'GET contents'])
  })

  it('list: every sequence, the claim count and last_updated', async () => {
    const { store } = await world(LEGACY)
    await store.increment({ name: 'other_seq' })
    expect(await store.list()).toMatchObject({
      sequences: { akdchydnch_seq: 301, other_seq: 8 },
      lastUpdated: '2026-02-03T04:05:06.000Z',
      claims: 1
    })
  })

  it('set: writes a correction commit; setting the same value writes nothing', async () => {
    const { github, store } = await world(LEGACY)
    const r = await store.set({ name: 'other_seq', value: 40 })
    expect(r).toMatchObject({ previous: 7, value: 40, attempts: 1 })
    expect((await github.commits()).at(-1)?.message.split('\n')[0]).toBe('Set other_seq: 7 → 40')
    expect((await store.increment({ name: 'other_seq' })).first).toBe(41)
    const same = await store.set({ name: 'other_seq', value: 41 })
    expect(same.commitSha).toBeNull()
  })

  it('set: a lost answer is settled by reading the value back', async () => {
    const { github, store } = await world(LEGACY)
    github.putScript.push('fail-after')
    const r = await store.set({ name: 'new_seq', value: 5 })
    expect(r).toMatchObject({ previous: null, value: 5, commitSha: null, attempts: 1 })
    expect(await github.commits()).toHaveLength(2)
  })
})
