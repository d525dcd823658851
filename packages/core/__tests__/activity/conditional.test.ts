/**
 * Repair loop (c), REST conditional change detection, against the emulator over real HTTP:
 * unchanged repositories answer 304 and spend nothing (the emulator's ledger and rate limit say
 * so, not the sweep's own counters), a push and an issue edit are found and delta-fetched, the
 * validators survive a new token (If-Modified-Since), the ETag catches what If-Modified-Since
 * cannot (a push of a back-dated commit, same credential), and `detect: 'auto'` falls back to
 * REST when GraphQL cannot serve. The steady-state scenario runs on SQLite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { startEmulator, type Emulator } from '@hubstore/emulator'
import { activityClients } from '../../src/activity/auth.js'
import { credentialTag } from '../../src/activity/conditional.js'
import { BudgetGovernor } from '../../src/activity/governor.js'
import { sweep, type SweepOptions, type SweepProgress } from '../../src/activity/sweep.js'
import type { ActivityDb, ActivityEngine } from '../../src/activity/types.js'
import { FAST } from '../support/emulator.js'
import { ENGINES, useDatabases, useOpen } from './support.js'

const OWNER = 'condo'
const TOKEN = 'tok-condo'
const SECOND_TOKEN = 'tok-condo-next'
let emulator: Emulator
let offsetMs = 0
const now = () => Date.now() + offsetMs
/** 2 s: past the sweeps' 1 s minimum interval, and a later second for `Last-Modified`. */
async function advance(ms = 2_000): Promise<void> {
  offsetMs += ms
  await emulator.admin.advanceClock(ms)
}
const databases = useDatabases()
const open = useOpen()
// a rate limit is not waited out: the GraphQL RATE_LIMITED case below falls back at once
const clientsOf = (token: string) =>
  activityClients({
    token,
    baseUrl: emulator.url,
    client: { ...FAST, throttle: { ...FAST.throttle, maxRateLimitWaitMs: 0 } }
  })

beforeAll(async () => {
  emulator = await startEmulator()
  await emulator.admin.createToken({ token: TOKEN, login: OWNER, permission: 'admin' })
  await emulator.admin.createToken({ token: SECOND_TOKEN, login: OWNER, permission: 'admin' })
})
afterAll(async () => {
  await emulator.close()
})

let made = 0
/** `n` repositories with a commit and an issue each. */
async function repos(n: number): Promise<string[]> {
  const prefix = `r${++made}`
  const octokit = await clientsOf(TOKEN).clientFor(null)
  const names: string[] = []
  for (let i = 0; i < n; i++) {
    const full_name = `${OWNER}/${prefix}-${i}`
    await emulator.admin.createRepo({ full_name, auto_init: true })
    await octokit.rest.issues.create({ owner: OWNER, repo: `${prefix}-${i}`, title: 'first' })
    names.push(full_name)
  }
  return names
}

/** A sweep over `names` with `token`, after the minimum interval. */
async function sweepNow(
  db: ActivityDb,
  names: string[],
  extra: Partial<SweepOptions> & { token?: string } = {}
) {
  await advance()
  const { token = TOKEN, ...rest } = extra
  return sweep(db, { ...clientsOf(token), repositories: names, now, minIntervalMs: 1_000, ...rest })
}

/** Imports `names` and runs the first REST check, which records the validators. */
async function synced(engine: ActivityEngine, names: string[]): Promise<ActivityDb> {
  const db = await open(await databases.fresh(engine))
  expect((await sweepNow(db, names, { detect: 'rest' })).status).toBe('succeeded')
  const first = await sweepNow(db, names, { detect: 'rest' })
  // the first check of a repository without validators is a plain GET: 3 that count
  expect(first).toMatchObject({ status: 'succeeded', rest_requests: 3 * names.length })
  const stored = await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM repository_validators')
  expect(Number(stored!.n)).toBe(3 * names.length)
  return db
}

async function coreRemaining(token = TOKEN): Promise<number> {
  const octokit = await clientsOf(token).clientFor(null)
  return (await octokit.rest.rateLimit.get()).data.resources.core.remaining
}

describe.each(ENGINES)('REST conditional detection (%s)', (engine) => {
  test("detect 'rest': unchanged repositories answer 304 for free; a push and an issue edit are found and delta-fetched", async () => {
    const names = await repos(6)
    const db = await synced(engine, names)

    const before = await coreRemaining()
    await emulator.admin.clearLedger()
    const steady = await sweepNow(db, names, { detect: 'rest' })
    const ledger = await emulator.admin.ledger()
    expect(await coreRemaining()).toBe(before)
    expect(ledger).toHaveLength(3 * names.length)
    expect(ledger.every((e) => e.status === 304 && e.notModified === true)).toBe(true)
    expect(ledger.some((e) => e.route === '/graphql')).toBe(false)
    expect(steady).toMatchObject({
      status: 'succeeded',
      repositories_processed: names.length,
      rest_requests: 0,
      graphql_points: 0
    })
    expect(JSON.parse(steady.counts)).toMatchObject({ commits: 0, issues: 0, pull_requests: 0 })

    // a push to one repository, an issue edit in another, both after the last sync
    await advance()
    const pushed = (await emulator.admin.putFile(names[1]!, 'new.txt', 'missed push')) as {
      commit: string
    }
    const octokit = await clientsOf(TOKEN).clientFor(null)
    const [, repo3] = names[3]!.split('/') as [string, string]
    await octokit.rest.issues.update({
      owner: OWNER,
      repo: repo3,
      issue_number: 1,
      title: 'edited while the webhook was down'
    })
    await emulator.admin.clearLedger()
    const found = await sweepNow(db, names, { detect: 'rest' })
    expect(found.status).toBe('succeeded')
    expect(JSON.parse(found.counts)).toMatchObject({ commits: 1, issues: 1 })
    const commit = await db.get<{ sha: string }>('SELECT sha FROM commits WHERE sha = ?', [
      pushed.commit
    ])
    expect(commit?.sha).toBe(pushed.commit)
    const head = await db.get<{ head_sha: string }>(
      'SELECT head_sha FROM repositories WHERE full_name = ?',
      [names[1]!]
    )
    expect(head?.head_sha).toBe(pushed.commit)
    const issue = await db.get<{ title: string }>(
      'SELECT i.title FROM issues i JOIN repositories r ON r.id = i.repository_id WHERE r.full_name = ? AND i.number = 1',
      [names[3]!]
    )
    expect(issue?.title).toBe('edited while the webhook was down')
    // only the two changed repositories were answered anything but 304
    const paid = (await emulator.admin.ledger()).filter((e) => e.status !== 304)
    const touched = new Set(paid.map((e) => /^\/repos\/[^/]+\/([^/?]+)/.exec(e.path)?.[1]))
    expect([...touched].sort()).toEqual([names[1]!, names[3]!].map((n) => n.split('/')[1]))
    expect(found.rest_requests).toBe(paid.length)

    // the validators of the fetch were saved: the next sweep is all 304 again
    await emulator.admin.clearLedger()
    const after = await sweepNow(db, names, { detect: 'rest' })
    expect(after).toMatchObject({ status: 'succeeded', rest_requests: 0 })
    expect((await emulator.admin.ledger()).every((e) => e.status === 304)).toBe(true)
  }, 120_000)
})

describe('REST conditional detection (sqlite)', () => {
  test('the validators survive a new token (If-Modified-Since): still 304, nothing counted', async () => {
    const names = await repos(3)
    const db = await synced('sqlite', names)
    const before = await coreRemaining(SECOND_TOKEN)
    await emulator.admin.clearLedger()
    const job = await sweepNow(db, names, { detect: 'rest', token: SECOND_TOKEN })
    expect(job).toMatchObject({ status: 'succeeded', rest_requests: 0 })
    const ledger = await emulator.admin.ledger()
    expect(ledger).toHaveLength(9)
    expect(ledger.every((e) => e.notModified === true)).toBe(true)
    expect(await coreRemaining(SECOND_TOKEN)).toBe(before)
  }, 60_000)

  test("an App's installation token replaced after 50 minutes: the If-Modified-Since validators still answer 304", async () => {
    const names = await repos(2)
    const app = await emulator.admin.createApp({ slug: 'condo-sync' })
    const installation = await emulator.admin.createInstallation('condo-sync', { account: OWNER })
    const clients = activityClients({
      appId: app.id,
      privateKey: app.private_key,
      baseUrl: emulator.url,
      now,
      client: { ...FAST, log: () => {} }
    })
    const octokit = await clients.clientFor(installation.id)
    const viaApp = { clientFor: async () => octokit, budgetKey: () => 'installation' }
    const db = await open(await databases.fresh('sqlite'))
    await sweepNow(db, names, { ...viaApp, detect: 'rest' })
    expect(await sweepNow(db, names, { ...viaApp, detect: 'rest' })).toMatchObject({
      rest_requests: 6
    })
    const firstTag = await credentialTag(octokit)
    const stored = await db.all<{ etag_credential: string }>(
      'SELECT DISTINCT etag_credential FROM repository_validators'
    )
    expect(stored).toEqual([{ etag_credential: firstTag }])
    expect(firstTag).toMatch(/^[0-9a-f]{32}$/)
    expect(await sweepNow(db, names, { ...viaApp, detect: 'rest' })).toMatchObject({
      rest_requests: 0
    })

    await advance(51 * 60_000)
    await emulator.admin.clearLedger()
    const rotated = await sweepNow(db, names, { ...viaApp, detect: 'rest' })
    expect(clients.tokensMinted()).toBe(2)
    expect(await credentialTag(octokit)).not.toBe(firstTag)
    // what counted is the new token's mint (the App's JWT budget; auth-app retries it once
    // when the emulated clock is ahead of the JWT's), never a check
    expect(rotated.status).toBe('succeeded')
    const ledger = await emulator.admin.ledger()
    const paid = ledger.filter((e) => !e.notModified)
    expect(paid.length).toBeGreaterThan(0)
    expect(paid.every((e) => /^\/app\/installations\/\d+\/access_tokens$/.test(e.path))).toBe(true)
    expect(rotated.rest_requests).toBeLessThanOrEqual(paid.length)
    const checks = ledger.filter((e) => e.route.startsWith('/repos/'))
    expect(checks).toHaveLength(6)
    expect(checks.every((e) => e.notModified === true && e.login === 'condo-sync[bot]')).toBe(true)
  }, 60_000)

  test('the ETag (same credential, same process) finds a push of a back-dated commit that If-Modified-Since cannot see', async () => {
    const names = await repos(1)
    const db = await synced('sqlite', names)
    const octokit = await clientsOf(TOKEN).clientFor(null)
    const [owner, repo] = names[0]!.split('/') as [string, string]
    const head = (await octokit.rest.git.getRef({ owner, repo, ref: 'heads/main' })).data.object.sha
    const tree = (await octokit.rest.git.getCommit({ owner, repo, commit_sha: head })).data.tree.sha
    const date = new Date(now() - 86_400_000).toISOString()
    const old = await octokit.rest.git.createCommit({
      owner,
      repo,
      message: 'made yesterday, pushed today',
      tree,
      parents: [head],
      author: { name: 'Ada', email: 'ada@example.com', date },
      committer: { name: 'Ada', email: 'ada@example.com', date }
    })
    await octokit.rest.git.updateRef({ owner, repo, ref: 'heads/main', sha: old.data.sha })
    const job = await sweepNow(db, names, { detect: 'rest' })
    expect(JSON.parse(job.counts)).toMatchObject({ commits: 1 })
    expect(await db.get('SELECT sha FROM commits WHERE sha = ?', [old.data.sha])).toEqual({
      sha: old.data.sha
    })
  }, 60_000)

  test("detect 'auto' falls back to REST when /graphql answers 403, when GraphQL is rate limited, and when its budget is at the reserve", async () => {
    const names = await repos(2)
    const db = await synced('sqlite', names)
    const lines: string[] = []
    const onProgress = (p: SweepProgress) => {
      if (p.phase === 'fallback') lines.push(p.reason)
    }
    const push = async (i: number) =>
      ((await emulator.admin.putFile(names[i]!, `f${lines.length}.txt`, 'x')) as { commit: string })
        .commit
    const headOf = async (i: number) =>
      (
        await db.get<{ head_sha: string }>(
          'SELECT head_sha FROM repositories WHERE full_name = ?',
          [names[i]!]
        )
      )?.head_sha

    // HTTP 403 on /graphql: with detect 'graphql' the sweep fails, with 'auto' it falls back
    await emulator.admin.addFault({ method: 'POST', route: '/graphql', status: 403 })
    const pushed = await push(0)
    const strict = await sweepNow(db, names, { detect: 'graphql', onProgress })
    expect(strict.status).toBe('failed')
    expect(lines).toEqual([])
    const auto = await sweepNow(db, names, { onProgress })
    await emulator.admin.clearFaults()
    expect(auto.status).toBe('succeeded')
    expect(lines).toEqual(['POST /graphql answered HTTP 403'])
    expect(await headOf(0)).toBe(pushed)

    // GraphQL's own RATE_LIMITED (HTTP 200 with an error)
    await emulator.admin.setRateLimit({
      token: TOKEN,
      resource: 'graphql',
      limit: 100,
      remaining: 0
    })
    const second = await push(1)
    const limited = await sweepNow(db, names, { onProgress })
    expect(limited.status).toBe('succeeded')
    expect(lines.at(-1)).toBe('GraphQL answered RATE_LIMITED')
    expect(await headOf(1)).toBe(second)

    // the governor has seen the GraphQL budget at its reserve (5 of 100 left, reserve 10)
    await emulator.admin.setRateLimit({
      token: TOKEN,
      resource: 'graphql',
      limit: 100,
      remaining: 6
    })
    const clients = clientsOf(TOKEN)
    const octokit = await clients.clientFor(null)
    const governor = new BudgetGovernor({ now })
    governor.attach(octokit, 'token')
    await octokit.graphql('{ viewer { login } }')
    expect(governor.atReserve('token', 'graphql')).toBe(true)
    const third = await push(0)
    await emulator.admin.clearLedger()
    await advance()
    const reserved = await sweep(db, {
      ...clients,
      repositories: names,
      now,
      minIntervalMs: 1_000,
      governor,
      onProgress
    })
    expect(reserved.status).toBe('succeeded')
    expect(lines.at(-1)).toMatch(/GraphQL budget of token is at the governor's reserve/)
    expect((await emulator.admin.ledger()).some((e) => e.route === '/graphql')).toBe(false)
    expect(await headOf(0)).toBe(third)
    await emulator.admin.setRateLimit({ token: TOKEN, resource: 'graphql', limit: 5000 })
  }, 120_000)
})
