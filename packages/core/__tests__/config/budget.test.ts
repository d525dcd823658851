import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Emulator } from '@hubstore/emulator'
import { createGitHubClient, listObjects } from '../../src/index.js'
import { parseStoreConfig, requestBudgetOf } from '@hubstore/core/objects'
import { seedObjectsInEmulator } from '../fixtures/seed.js'
import { FAST, USERS, comment, freshRepo, startWorld } from '../support/emulator.js'

let emulator: Emulator
beforeAll(async () => {
  emulator = await startWorld()
})
afterAll(async () => emulator.close())

const config = parseStoreConfig('store:\n  rate_limit:\n    max_requests_per_hour: 20\n')

describe('store.rate_limit.max_requests_per_hour: a client-side budget', () => {
  it('max_requests_per_hour: 20 stops a 100-object listing before its 21st request, with a clear message', async () => {
    const { owner, repo, as } = await freshRepo(emulator)
    const numbers = await seedObjectsInEmulator(emulator, `${owner}/${repo}`, 100)
    // Each object gets two comments and is reopened: listing reads each open object's comments
    // (settleOpenVersions), 1 request per object after the 1 page of issues.
    const seeder = as('octocat')
    for (const n of numbers) {
      await comment(seeder, n, '{"_data": {"a": 1}}')
      await comment(seeder, n, '{"_data": {"a": 2}}')
      await seeder.octokit.rest.issues.update({ owner, repo, issue_number: n, state: 'open' })
    }
    await emulator.admin.clearLedger()

    const octokit = createGitHubClient({
      ...FAST,
      token: USERS.octocat.token,
      baseUrl: emulator.url,
      budget: requestBudgetOf(config)
    })
    const error = await listObjects({ octokit, owner, repo, storeConfig: config }).then(
      () => undefined,
      (e: { code?: string; message: string }) => e
    )
    expect(error).toMatchObject({ code: 'REQUEST_BUDGET_EXCEEDED', maxRequestsPerHour: 20 })
    expect(error?.message).toBe(
      `Stopped before GET /repos/${owner}/${repo}/issues/${numbers[19]}/comments: this client ` +
        'already sent 20 requests in the last hour, the budget ' +
        'store.rate_limit.max_requests_per_hour sets. Nothing more was sent; rerun later, or ' +
        'raise the budget in config.yml.'
    )
    const ledger = await emulator.admin.ledger()
    expect(ledger).toHaveLength(20)
    expect(octokit.hubstore.requests).toBe(20)
    expect(ledger[0]).toMatchObject({ method: 'GET', route: '/repos/{owner}/{repo}/issues' })
  })

  it('the window rolls: an hour after the first request, one more may be sent', async () => {
    const { owner, repo } = await freshRepo(emulator)
    let now = Date.parse('2026-01-01T00:00:00Z')
    const octokit = createGitHubClient({
      ...FAST,
      token: USERS.octocat.token,
      baseUrl: emulator.url,
      budget: { maxRequestsPerHour: 2, now: () => now }
    })
    const get = () =>
      octokit.rest.repos.get({ owner, repo }).then(
        () => 'sent',
        (e: { code?: string }) => e.code
      )
    expect(await get()).toBe('sent')
    now += 1_000
    expect(await get()).toBe('sent')
    expect(await get()).toBe('REQUEST_BUDGET_EXCEEDED')
    now += 3_600_000 - 1_000 // the first request is now an hour old
    expect(await get()).toBe('sent')
    expect(await get()).toBe('REQUEST_BUDGET_EXCEEDED')
    expect(octokit.hubstore.requests).toBe(3)
  })

  it('a budget below 1 or not an integer is INVALID_OPTIONS', () => {
    for (const bad of [0, 1.5])
      expect(() => createGitHubClient({ budget: { maxRequestsPerHour: bad } })).toThrow(
        expect.objectContaining({ code: 'INVALID_OPTIONS' })
      )
  })
})
