import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Emulator, LedgerEntry } from '@hubstore/emulator'
import { incrementSequence, peekSequence, SequenceStore } from '../../src/sequence/store.js'
import { freshRepo, startWorld } from '../support/emulator.js'

const CONTENTS = '/repos/{owner}/{repo}/contents/{path}'
const LEGACY =
  '{\n  "sequences": {\n    "akdchydnch_seq": 301\n  },\n  "last_updated": "2025-01-01T00:00:00Z",\n  "version": "1.0"\n}\n'

let emulator: Emulator
beforeAll(async () => {
  emulator = await startWorld()
})
afterAll(async () => emulator.close())

const calls = (ledger: LedgerEntry[]) => ledger.map((e) => `${e.method} ${e.route} ${e.status}`)

async function measured<T>(fn: () => Promise<T>): Promise<{ result: T; ledger: LedgerEntry[] }> {
  await emulator.admin.clearLedger()
  const result = await fn()
  return { result, ledger: await emulator.admin.ledger() }
}

describe('increment: request cost (emulator ledger)', () => {
  it('cost: a cold uncontended increment is 2 requests (GET contents?ref + PUT with sha)', async () => {
    const { owner, repo, as } = await freshRepo(emulator)
    await emulator.admin.putFile(`${owner}/${repo}`, 'sequence_data.json', LEGACY)
    const ctx = as('octocat')
    const { result, ledger } = await measured(() =>
      incrementSequence(ctx, { name: 'akdchydnch_seq', branch: 'main' })
    )
    expect(result).toMatchObject({ first: 302, requests: 2 })
    expect(calls(ledger)).toEqual([`GET ${CONTENTS} 200`, `PUT ${CONTENTS} 200`])
    expect(ledger[0]?.path).toContain('ref=main')
  })

  it('cost: without a branch, the default branch is used and never looked up (still 2)', async () => {
    const { owner, repo, as } = await freshRepo(emulator)
    await emulator.admin.putFile(`${owner}/${repo}`, 'sequence_data.json', LEGACY)
    const { ledger } = await measured(() =>
      incrementSequence(as('octocat'), { name: 'akdchydnch_seq' })
    )
    expect(calls(ledger)).toEqual([`GET ${CONTENTS} 200`, `PUT ${CONTENTS} 200`])
  })

  it('cost: creating the file is 3 requests (GET 404, the repository GET that tells "no file" from "no repository", PUT 201)', async () => {
    const { as } = await freshRepo(emulator)
    const { result, ledger } = await measured(() =>
      incrementSequence(as('octocat'), { name: 'new' })
    )
    expect(result.first).toBe(1)
    expect(calls(ledger)).toEqual([
      `GET ${CONTENTS} 404`,
      'GET /repos/{owner}/{repo} 200',
      `PUT ${CONTENTS} 201`
    ])
  })

  it('cost: a warm increment in a long-running process is 1 request', async () => {
    const { owner, repo, as } = await freshRepo(emulator)
    await emulator.admin.putFile(`${owner}/${repo}`, 'sequence_data.json', LEGACY)
    const store = new SequenceStore({ ...as('octocat') })
    await store.increment({ name: 'akdchydnch_seq' })
    for (let i = 0; i < 3; i++) {
      const { result, ledger } = await measured(() => store.increment({ name: 'akdchydnch_seq' }))
      expect(result.first).toBe(303 + i)
      expect(calls(ledger)).toEqual([`PUT ${CONTENTS} 200`])
    }
  })

  it('cost: a block of 100 numbers is 2 requests and one commit', async () => {
    const { owner, repo, as } = await freshRepo(emulator)
    await emulator.admin.putFile(`${owner}/${repo}`, 'sequence_data.json', LEGACY)
    const { result, ledger } = await measured(() =>
      incrementSequence(as('octocat'), { name: 'akdchydnch_seq', count: 100 })
    )
    expect(result).toMatchObject({ first: 302, last: 401 })
    expect(ledger).toHaveLength(2)
  })

  it('cost: a conflict costs one PUT (plugin-retry off for the write), then a read and a write', async () => {
    const { owner, repo, as } = await freshRepo(emulator)
    await emulator.admin.putFile(`${owner}/${repo}`, 'sequence_data.json', LEGACY)
    const store = new SequenceStore({ ...as('octocat'), retry: { sleep: async () => {} } })
    await store.increment({ name: 'akdchydnch_seq' })
    await incrementSequence(as('wendy'), { name: 'akdchydnch_seq' }) // the cache is now stale
    const { result, ledger } = await measured(() => store.increment({ name: 'akdchydnch_seq' }))
    expect(result).toMatchObject({ first: 304, attempts: 2 })
    expect(calls(ledger)).toEqual([
      `PUT ${CONTENTS} 409`,
      `GET ${CONTENTS} 200`,
      `PUT ${CONTENTS} 200`
    ])
  })

  it('cost: an answer lost after the write applied costs one PUT and a read-back, never a second commit', async () => {
    const { owner, repo, as } = await freshRepo(emulator)
    await emulator.admin.putFile(`${owner}/${repo}`, 'sequence_data.json', LEGACY)
    await emulator.admin.addFault({
      method: 'PUT',
      route: CONTENTS,
      status: 502,
      when: 'after',
      count: 1
    })
    try {
      const { result, ledger } = await measured(() =>
        incrementSequence(as('octocat'), { name: 'akdchydnch_seq' })
      )
      expect(result).toMatchObject({ first: 302, attempts: 1 })
      expect(calls(ledger)).toEqual([
        `GET ${CONTENTS} 200`,
        `PUT ${CONTENTS} 502`,
        `GET ${CONTENTS} 200`,
        'GET /repos/{owner}/{repo}/commits 200'
      ])
      const ctx = as('octocat')
      const commits = await ctx.octokit.rest.repos.listCommits({
        owner,
        repo,
        path: 'sequence_data.json'
      })
      expect(commits.data.map((c) => c.commit.message.split('\n')[0])).toEqual([
        'Increment akdchydnch_seq: 301 → 302',
        expect.any(String)
      ])
      expect(result.commitSha).toBe(commits.data[0]?.sha)
    } finally {
      await emulator.admin.clearFaults()
    }
  })

  it('cost: peek is one GET and never writes; a repeated peek is answered 304', async () => {
    const { owner, repo, as } = await freshRepo(emulator)
    await emulator.admin.putFile(`${owner}/${repo}`, 'sequence_data.json', LEGACY)
    const store = new SequenceStore({ ...as('octocat') })
    const { result, ledger } = await measured(async () => [
      await store.peek({ name: 'akdchydnch_seq' }),
      await store.peek({ name: 'akdchydnch_seq' })
    ])
    expect(result.map((p) => p.value)).toEqual([301, 301])
    expect(calls(ledger)).toEqual([`GET ${CONTENTS} 200`, `GET ${CONTENTS} 304`])
    const one = await measured(() => peekSequence(as('octocat'), { name: 'akdchydnch_seq' }))
    expect(one.ledger).toHaveLength(1)
  })

  it('cost: a re-run with the same idempotency key reads once and writes nothing', async () => {
    const { owner, repo, as } = await freshRepo(emulator)
    await emulator.admin.putFile(`${owner}/${repo}`, 'sequence_data.json', LEGACY)
    const key = '4242-1-build-number'
    const first = await incrementSequence(as('octocat'), {
      name: 'akdchydnch_seq',
      idempotencyKey: key
    })
    await incrementSequence(as('octocat'), { name: 'akdchydnch_seq' })
    const { result, ledger } = await measured(() =>
      incrementSequence(as('octocat'), { name: 'akdchydnch_seq', idempotencyKey: key })
    )
    expect(result).toMatchObject({ first: 302, reused: true, commitSha: first.commitSha })
    expect(ledger.filter((e) => e.method !== 'GET')).toEqual([])
    // The read that decides, plus one commit listing for the commit SHA of the earlier claim.
    expect(ledger).toHaveLength(2)
  })
})
