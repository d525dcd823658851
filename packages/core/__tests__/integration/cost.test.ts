import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Emulator } from '@hubstore/emulator'
import { createObject, processUpdates, updateObject, type RepoContext } from '../../src/index.js'
import { client, freshRepo, startWorld, type UserName } from '../support/emulator.js'

let emulator: Emulator
beforeAll(async () => {
  emulator = await startWorld()
})
afterAll(async () => emulator.close())

async function queued(
  k: number,
  author: UserName,
  repoOptions: { org?: boolean; codeowners?: string; codeownersPath?: string } = {}
) {
  const { as } = await freshRepo(emulator, repoOptions)
  const processor = as(repoOptions.org ? 'adam' : 'octocat')
  const id = `cost-${k}`
  const created = await createObject(processor, id, { n: 0 })
  for (let i = 1; i <= k; i++) await updateObject(as(author), id, { n: i, [`k${i}`]: true })
  return { processor, issueNumber: created.meta.issueNumber }
}

async function measure(run: () => Promise<{ requests: number }>) {
  await emulator.admin.clearLedger()
  const result = await run()
  const ledger = await emulator.admin.ledger()
  expect(result.requests).toBe(ledger.length)
  return ledger.map((e) => `${e.method} ${e.route}`)
}

describe('processUpdates: request cost', () => {
  it.each<[number, UserName, number]>([
    [1, 'octocat', 9],
    [10, 'octocat', 9],
    [50, 'octocat', 9],
    [1, 'wendy', 10],
    [10, 'wendy', 10],
    [50, 'wendy', 10]
  ])(
    'processUpdates: K = %i queued updates by %s cost a constant %i requests (lease read, commit, ref; comments, issue, [permission], PATCH, GraphQL batch; release commit, ref)',
    async (k, author, expected) => {
      const { processor, issueNumber } = await queued(k, author)
      let result!: Awaited<ReturnType<typeof processUpdates>>
      const routes = await measure(async () => {
        result = await processUpdates(processor, issueNumber)
        return result
      })
      expect(result.applied).toHaveLength(k)
      expect(result.data.n).toBe(k)
      expect(result.marking).toBe('graphql')
      expect(routes.length).toBe(expected)
      // the lease read and the marking batch
      expect(routes.filter((r) => r === 'POST /graphql')).toHaveLength(2)
    }
  )

  it.each<
    [number, UserName, string, { org?: boolean; codeowners?: string; codeownersPath?: string }]
  >([
    [
      10,
      'carol',
      'a CODEOWNERS user (docs/CODEOWNERS)',
      { codeowners: '* @carol\n', codeownersPath: 'docs/CODEOWNERS' }
    ],
    [
      50,
      'tina',
      'a CODEOWNERS team member (root CODEOWNERS, org repo)',
      { org: true, codeowners: '* @acme/data\n', codeownersPath: 'CODEOWNERS' }
    ]
  ])(
    'processUpdates: K = %i queued updates by %s (%s) cost at most 14 requests (9, plus 5 for the lease), independent of K',
    async (k, author, _who, repoOptions) => {
      const { processor, issueNumber } = await queued(k, author, repoOptions)
      let applied = 0
      const routes = await measure(async () => {
        const result = await processUpdates(processor, issueNumber)
        applied = result.applied.length
        return result
      })
      expect(applied).toBe(k)
      expect(routes.length).toBeLessThanOrEqual(14)
    }
  )

  it('processUpdates: marking rest costs one request per marked comment (K + 3 for the owner, + 5 for the lease)', async () => {
    const { processor, issueNumber } = await queued(10, 'octocat')
    const routes = await measure(() => processUpdates(processor, issueNumber, { marking: 'rest' }))
    expect(routes).toHaveLength(18)
    // only the lease read goes to GraphQL
    expect(routes.filter((r) => r === 'POST /graphql')).toHaveLength(1)
  })

  it('processUpdates: where GraphQL is unavailable (404), it falls back to REST by itself and still converges', async () => {
    const { processor, issueNumber } = await queued(3, 'octocat')
    const octokit = client(emulator, 'octocat')
    // Send GraphQL to a path the server does not serve: a real 404 from the emulator.
    octokit.hook.before('request', (options) => {
      if (String(options.url).endsWith('/graphql')) options.url = '/graphql-not-here'
    })
    const ctx: RepoContext = { ...processor, octokit }
    const result = await processUpdates(ctx, issueNumber)
    expect(result.marking).toBe('rest')
    expect(result.applied).toHaveLength(3)
    const again = await processUpdates(processor, issueNumber)
    expect([again.applied, again.rejected]).toEqual([[], []])
  })
})
