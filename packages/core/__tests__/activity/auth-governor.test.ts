/**
 * The activity loops' clients and budget governor against the emulator over real HTTP: App
 * credentials through `@octokit/auth-app` (one installation token minted and reused, a new one
 * before expiry by the emulator clock), the reserve kept, 304s free, GraphQL points counted.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { startEmulator, type Emulator } from '@hubstore/emulator'
import { activityClients } from '../../src/activity/auth.js'
import { queryChanges } from '../../src/activity/changes.js'
import { BudgetGovernor } from '../../src/activity/governor.js'
import { meterOf } from '../../src/activity/spend.js'
import { FAST } from '../support/emulator.js'

let emulator: Emulator
/** The emulator clock's offset from the host's (auth-app signs JWTs by the host clock). */
let offsetMs = 0
const now = () => Date.now() + offsetMs
async function advance(ms: number): Promise<void> {
  offsetMs += ms
  await emulator.admin.advanceClock(ms)
}

beforeAll(async () => {
  emulator = await startEmulator()
  await emulator.admin.createToken({ token: 'tok-ada', login: 'ada', permission: 'admin' })
  for (const name of ['one', 'two']) await emulator.admin.createRepo({ full_name: `ada/${name}` })
})
afterAll(async () => {
  await emulator.close()
})

const mints = async () =>
  (await emulator.admin.ledger()).filter(
    (e) => e.route === '/app/installations/{installation_id}/access_tokens'
  ).length

describe('activityClients', () => {
  test('App: the installation token is minted once, reused, and replaced 10 minutes before it expires', async () => {
    const app = await emulator.admin.createApp({ slug: 'act-auth' })
    const installation = await emulator.admin.createInstallation('act-auth', { account: 'ada' })
    const clients = activityClients({
      appId: app.id,
      privateKey: app.private_key,
      baseUrl: emulator.url,
      now,
      client: { ...FAST, log: () => {} }
    })
    expect(clients.mode).toBe('app')
    const octokit = await clients.clientFor(installation.id)
    expect(await clients.clientFor(installation.id)).toBe(octokit)
    await emulator.admin.clearLedger()
    for (let i = 0; i < 3; i++) {
      const repos = await octokit.rest.apps.listReposAccessibleToInstallation()
      expect(repos.data.repositories.map((r) => r.full_name).sort()).toEqual(['ada/one', 'ada/two'])
    }
    expect(await mints()).toBe(1)
    expect(clients.tokensMinted()).toBe(1)
    const seen = (await emulator.admin.ledger()).map((e) => e.login)
    expect(new Set(seen)).toEqual(new Set(['act-auth[bot]']))

    // 49 minutes on: still the same token; 51 minutes on (9 left of 60): a new one
    await advance(49 * 60_000)
    await octokit.rest.apps.listReposAccessibleToInstallation()
    expect(await mints()).toBe(1)
    await advance(2 * 60_000)
    await octokit.rest.apps.listReposAccessibleToInstallation()
    expect(await mints()).toBe(2)
    expect(clients.tokensMinted()).toBe(2)

    // the App's own client signs JWTs for /app routes
    const self = await clients.appClient!.rest.apps.getAuthenticated()
    expect(self.data?.slug).toBe('act-auth')
    await expect(clients.clientFor(null)).rejects.toMatchObject({ code: 'ACTIVITY_AUTH_INVALID' })
  })

  test('bad credentials fail before any request, naming the variable to set', () => {
    expect(() => activityClients({ token: '' })).toThrow(/GITHUB_TOKEN/)
    expect(() => activityClients({ appId: 'x', privateKey: 'k' })).toThrow(/GITHUB_APP_ID/)
    expect(() => activityClients({ appId: 3, privateKey: 'not a key' })).toThrow(
      /GITHUB_APP_PRIVATE_KEY/
    )
  })
})

describe('BudgetGovernor', () => {
  test('sees each budget’s windows through the one spend counter; a 304 is free', async () => {
    const { clientFor, budgetKey } = activityClients({
      token: 'tok-ada',
      baseUrl: emulator.url,
      client: FAST
    })
    const octokit = await clientFor(null)
    const governor = new BudgetGovernor({ now })
    governor.attach(octokit, budgetKey(null))
    const meter = meterOf(octokit)
    const start = meter.snapshot()
    const first = await octokit.rest.repos.get({ owner: 'ada', repo: 'one' })
    const modified = first.headers['last-modified']!
    await expect(
      octokit.rest.repos.get({
        owner: 'ada',
        repo: 'one',
        headers: { 'if-modified-since': modified }
      })
    ).rejects.toMatchObject({ status: 304 })
    const answer = await queryChanges(octokit, [{ fullName: 'ada/one' }, { fullName: 'ada/two' }])
    expect(answer.found.size).toBe(2)
    // the 304 is free: one REST request counted
    expect(meter.since(start)).toEqual({ rest_requests: 1, graphql_points: answer.cost })
    const rest = (await octokit.rest.rateLimit.get()).data.resources
    expect(governor.window('token', 'core')?.remaining).toBe(rest.core.remaining)
    expect(governor.window('token', 'graphql')?.remaining).toBe(rest.graphql!.remaining)
  })

  test('stops before dipping into the reserve: the request is not sent', async () => {
    await emulator.admin.createToken({ token: 'tok-low', login: 'low', permission: 'admin' })
    await emulator.admin.setRateLimit({
      token: 'tok-low',
      resource: 'graphql',
      limit: 100,
      remaining: 11
    })
    const { clientFor } = activityClients({ token: 'tok-low', baseUrl: emulator.url, client: FAST })
    const octokit = await clientFor(null)
    const governor = new BudgetGovernor({ now, reservePercent: 10 })
    governor.attach(octokit, 'token')
    await queryChanges(octokit, [{ fullName: 'ada/one' }])
    expect(governor.window('token', 'graphql')?.remaining).toBe(10)
    await emulator.admin.clearLedger()
    await expect(queryChanges(octokit, [{ fullName: 'ada/one' }])).rejects.toMatchObject({
      code: 'BUDGET_RESERVE_REACHED',
      resource: 'graphql',
      remaining: 10,
      reserve: 10
    })
    expect(await emulator.admin.ledger()).toEqual([])
    // REST has its own window, not yet seen: not refused
    await octokit.rest.repos.get({ owner: 'ada', repo: 'one' })
  })
})
