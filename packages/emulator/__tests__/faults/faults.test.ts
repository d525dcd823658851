import { afterEach, describe, expect, test } from '@jest/globals'
import { retry } from '@octokit/plugin-retry'
import {
  failure,
  lazyClient,
  newRepo,
  startTestEmulator,
  TestOctokit,
  TOKENS,
  useTestEmulator
} from '../support.js'

const emulator = useTestEmulator()
const owner = lazyClient(emulator, TOKENS.owner)
afterEach(async () => {
  await emulator.admin.clearFaults()
  await emulator.admin.setLatency({ ms: 0 })
})

const ISSUES = '/repos/{owner}/{repo}/issues'
const COMMENTS = '/repos/{owner}/{repo}/issues/{issue_number}/comments'
const REPO = '/repos/{owner}/{repo}'

describe('faults (admin API)', () => {
  test('addFault before: the error is answered without running the handler; nothing changes', async () => {
    const r = await newRepo(emulator, 'fault-before')
    const rule = await emulator.admin.addFault({
      method: 'POST',
      route: ISSUES,
      status: 502,
      count: 1,
      when: 'before'
    })
    expect(rule).toMatchObject({ id: expect.any(String), count: 1, remaining: 1, fired: 0 })
    await emulator.admin.clearLedger()
    const e = await failure(owner.rest.issues.create({ ...r, title: 'lost?' }))
    expect(e.status).toBe(502)
    expect(e.response.data.message).toBe("We couldn't respond to your request in time")
    expect(e.response.data.status).toBe('502')
    const after = await owner.rest.issues.listForRepo({ ...r, state: 'all' })
    expect(after.data).toEqual([])
    const ledger = await emulator.admin.ledger()
    expect(ledger.map((l) => [l.method, l.route, l.status, l.fault])).toEqual([
      ['POST', ISSUES, 502, 'before'],
      ['GET', ISSUES, 200, undefined]
    ])
  })

  test('addFault after: the handler runs and its write is kept, but the client sees the error', async () => {
    const r = await newRepo(emulator, 'fault-after')
    const issue = await owner.rest.issues.create({ ...r, title: 'host' })
    const n = issue.data.number
    await emulator.admin.addFault({
      method: 'POST',
      route: COMMENTS,
      status: 500,
      count: 1,
      when: 'after'
    })
    await emulator.admin.clearLedger()
    const e = await failure(
      owner.rest.issues.createComment({ ...r, issue_number: n, body: 'did it land?' })
    )
    expect(e.status).toBe(500)
    expect(e.response.data.message).toBe('Server Error')
    const comments = await owner.rest.issues.listComments({ ...r, issue_number: n })
    expect(comments.data.map((c) => c.body)).toEqual(['did it land?'])
    const ledger = await emulator.admin.ledger()
    expect(ledger[0]).toMatchObject({
      method: 'POST',
      route: COMMENTS,
      status: 500,
      fault: 'after'
    })
  })

  test('addFault after: an ambiguous variable create really happened; re-creating answers 409', async () => {
    const r = await newRepo(emulator, 'fault-after-var')
    await emulator.admin.addFault({
      method: 'POST',
      route: '/repos/{owner}/{repo}/actions/variables',
      status: 504,
      count: 1,
      when: 'after'
    })
    const e = await failure(owner.rest.actions.createRepoVariable({ ...r, name: 'X', value: '1' }))
    expect(e.status).toBe(504)
    expect((await owner.rest.actions.getRepoVariable({ ...r, name: 'X' })).data.value).toBe('1')
    const again = await failure(
      owner.rest.actions.createRepoVariable({ ...r, name: 'X', value: '1' })
    )
    expect(again.status).toBe(409)
  })

  test('addFault after: plugin-retry resends a failed non-idempotent POST, so the write lands twice', async () => {
    const r = await newRepo(emulator, 'fault-retry')
    const n = (await owner.rest.issues.create({ ...r, title: 'host' })).data.number
    await emulator.admin.addFault({
      method: 'POST',
      route: COMMENTS,
      status: 502,
      count: 1,
      when: 'after'
    })
    const retrying = new (TestOctokit.plugin(retry))({
      baseUrl: emulator.url,
      auth: TOKENS.owner,
      retry: { retryAfterBaseValue: 1 }
    })
    const res = await retrying.rest.issues.createComment({ ...r, issue_number: n, body: 'once' })
    expect(res.status).toBe(201)
    const comments = await owner.rest.issues.listComments({ ...r, issue_number: n })
    expect(comments.data.map((c) => c.body)).toEqual(['once', 'once'])
  })

  test('addFault: count exhausts — the rule strikes count times, then requests pass and the rule lists 0 left', async () => {
    const r = await newRepo(emulator, 'fault-count')
    const rule = await emulator.admin.addFault({
      method: 'GET',
      route: REPO,
      status: 503,
      count: 2,
      when: 'before'
    })
    for (let i = 0; i < 2; i++) {
      const e = await failure(owner.rest.repos.get(r))
      expect([e.status, e.response.data.message]).toEqual([503, 'Service Unavailable'])
    }
    expect((await owner.rest.repos.get(r)).status).toBe(200)
    const { faults } = await emulator.admin.faults()
    expect(faults).toEqual([{ ...rule, remaining: 0, fired: 2 }])
  })

  test('addFault: probability with a seed strikes the same requests every time', async () => {
    const r = await newRepo(emulator, 'fault-seed')
    const run = async (): Promise<number[]> => {
      await emulator.admin.clearFaults()
      await emulator.admin.addFault({
        method: 'GET',
        route: REPO,
        status: 500,
        probability: 0.5,
        seed: 42,
        when: 'before'
      })
      const statuses: number[] = []
      for (let i = 0; i < 20; i++)
        statuses.push(
          await owner.rest.repos.get(r).then(
            (x) => x.status,
            (e: { status: number }) => e.status
          )
        )
      return statuses
    }
    const first = await run()
    expect(await run()).toEqual(first)
    expect(first).toContain(500)
    expect(first).toContain(200)
    const [{ fired }] = (await emulator.admin.faults()).faults
    expect(fired).toBe(first.filter((s) => s === 500).length)
  })

  test('addFault: method and route "*" match everything; a custom message; clearFaults(id) removes one rule', async () => {
    const r = await newRepo(emulator, 'fault-star')
    const any = await emulator.admin.addFault({
      method: '*',
      route: '*',
      status: 418,
      message: 'I am a teapot today'
    })
    for (const p of [owner.rest.repos.get(r), owner.rest.issues.create({ ...r, title: 't' })]) {
      const e = await failure(p)
      expect([e.status, e.response.data.message]).toEqual([418, 'I am a teapot today'])
    }
    await emulator.admin.clearFaults(any.id)
    expect((await owner.rest.repos.get(r)).status).toBe(200)
    await expect(emulator.admin.clearFaults(any.id)).rejects.toMatchObject({ status: 404 })
  })

  test('addFault: a route the emulator does not serve, or a bad status, is a 400 admin error', async () => {
    await expect(
      emulator.admin.addFault({ method: 'GET', route: '/repos/{o}/{r}/nope', status: 500 })
    ).rejects.toMatchObject({ status: 400, message: expect.stringContaining('"route"') })
    await expect(
      emulator.admin.addFault({ method: 'PUT', route: ISSUES, status: 500 })
    ).rejects.toMatchObject({ status: 400 })
    await expect(
      emulator.admin.addFault({ method: 'GET', route: REPO, status: 200 })
    ).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining('"status" must be an integer from 400 to 599')
    })
  })

  test('setLatency: requests to the route take at least ms longer; ms 0 removes the rule', async () => {
    const r = await newRepo(emulator, 'fault-latency')
    const rules = await emulator.admin.setLatency({ ms: 150, route: REPO, jitter_ms: 20, seed: 1 })
    expect(rules).toEqual([{ route: REPO, ms: 150, jitter_ms: 20 }])
    const start = performance.now()
    await owner.rest.repos.get(r)
    expect(performance.now() - start).toBeGreaterThanOrEqual(145) // timers may fire ~1 ms early
    await emulator.admin.setLatency({ ms: 0, route: REPO })
    expect((await emulator.admin.faults()).latency).toEqual([])
  })

  test('close() during an injected delay: the held request is dropped, nothing runs or logs after', async () => {
    const e = await startTestEmulator()
    // a repository without a git directory yet: its first contents read would create one
    await e.admin.createRepo({ full_name: 'octocat/held-at-close' })
    await e.admin.setLatency({ ms: 60 })
    let held!: () => void
    const waiting = new Promise<void>((resolve) => (held = resolve))
    e.onRequest({ pathIncludes: '/contents/' }, () => held())
    const errors: unknown[] = []
    const log = console.error
    console.error = (...args: unknown[]) => void errors.push(args)
    try {
      const read = fetch(`${e.url}/repos/octocat/held-at-close/contents/x.json`, {
        headers: { authorization: `token ${TOKENS.owner}` }
      }).then(
        (r) => r.status,
        () => 'dropped'
      )
      await waiting
      await e.close()
      expect(await read).toBe('dropped')
      // past the delay: before close() ended it, the handler then ran on the removed store
      await new Promise((resolve) => setTimeout(resolve, 120))
      expect(errors).toEqual([])
    } finally {
      console.error = log
    }
  })

  test('reset: faults and latency are wiped', async () => {
    const e = await startTestEmulator()
    try {
      await e.admin.addFault({ method: 'GET', route: '*', status: 500 })
      await e.admin.setLatency({ ms: 10 })
      await e.admin.reset()
      expect(await e.admin.faults()).toEqual({ faults: [], latency: [] })
    } finally {
      await e.close()
    }
  })
})
