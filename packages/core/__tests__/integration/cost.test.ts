import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Emulator } from '@hubstore/emulator'
import { createObject, processUpdates, updateObject } from '../../src/index.js'
import { freshRepo, startWorld, type UserName } from '../support/emulator.js'

let emulator: Emulator
beforeAll(async () => {
  emulator = await startWorld()
})
afterAll(async () => emulator.close())

describe('processUpdates: request cost', () => {
  it.each<
    [number, UserName, string, { org?: boolean; codeowners?: string; codeownersPath?: string }]
  >([
    [1, 'octocat', 'the owner', {}],
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
    'processUpdates: K = %i queued updates by %s (%s) cost at most K + 8 requests',
    async (k, author, _who, repoOptions) => {
      const { as } = await freshRepo(emulator, repoOptions)
      const processor = as(repoOptions.org ? 'adam' : 'octocat')
      const created = await createObject(processor, `cost-${k}`, { n: 0 })
      for (let i = 1; i <= k; i++)
        await updateObject(as(author), `cost-${k}`, { n: i, [`k${i}`]: true })

      await emulator.admin.clearLedger()
      const result = await processUpdates(processor, created.meta.issueNumber)
      const ledger = await emulator.admin.ledger()
      expect(result.applied).toHaveLength(k)
      expect(result.data.n).toBe(k)
      expect(ledger.length).toBeLessThanOrEqual(k + 8)
      expect(result.requests).toBe(ledger.length)
    }
  )
})
