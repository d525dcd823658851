import { describe, expect, test } from '@jest/globals'
import {
  client,
  failure,
  lazyClient,
  newRepo,
  startTestEmulator,
  T0,
  TOKENS,
  useTestEmulator
} from './support.js'

const emulator = useTestEmulator()
const owner = lazyClient(emulator, TOKENS.owner)

describe('server', () => {
  test('headers: every API response carries rate-limit, request id, API version and JSON content type', async () => {
    const r = await newRepo(emulator, 'server-headers')
    for (const path of [`/repos/octo/${r.repo}`, '/no/such/route']) {
      const res = await fetch(`${emulator.url}${path}`, {
        headers: { authorization: `token ${TOKENS.owner}` }
      })
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8')
      expect(res.headers.get('x-github-api-version-selected')).toBe('2022-11-28')
      expect(res.headers.get('x-github-request-id')).toMatch(/^[0-9A-F:]+$/)
      expect(res.headers.get('x-ratelimit-resource')).toBe('core')
      for (const h of ['limit', 'remaining', 'used', 'reset'])
        expect(res.headers.get(`x-ratelimit-${h}`)).toMatch(/^\d+$/)
    }
    const v = await fetch(`${emulator.url}/rate_limit`, {
      headers: { 'x-github-api-version': '2026-03-10' }
    })
    expect(v.headers.get('x-github-api-version-selected')).toBe('2026-03-10')
  })

  test('rate limits: each authenticated request spends one; reset is epoch seconds an hour ahead', async () => {
    const r = await newRepo(emulator, 'server-spend')
    await emulator.admin.createToken({ token: 'tok-spend', login: 'spender', permission: 'write' })
    const spender = client(emulator, 'tok-spend')
    const a = await spender.rest.repos.get(r)
    const b = await spender.rest.issues.listForRepo(r)
    expect(a.headers['x-ratelimit-limit']).toBe('5000')
    expect([a.headers['x-ratelimit-used'], b.headers['x-ratelimit-used']]).toEqual(['1', '2'])
    expect(b.headers['x-ratelimit-remaining']).toBe('4998')
    expect(Number(a.headers['x-ratelimit-reset'])).toBe(T0.getTime() / 1000 + 3600)
    const anon = await client(emulator).rest.repos.get(r)
    expect(anon.headers['x-ratelimit-limit']).toBe('60')
  })

  test('rate_limit: GET /rate_limit reports resources.core, graphql and rate, and spends nothing', async () => {
    await emulator.admin.createToken({ token: 'tok-rl', login: 'rl', permission: 'read' })
    const rl = client(emulator, 'tok-rl')
    await rl.rest.users.getAuthenticated()
    const one = await rl.rest.rateLimit.get()
    const two = await rl.rest.rateLimit.get()
    expect(two.data.resources.core).toEqual({
      limit: 5000,
      used: 1,
      remaining: 4999,
      reset: T0.getTime() / 1000 + 3600,
      resource: 'core'
    })
    expect(two.data.resources.graphql).toMatchObject({ limit: 5000, used: 0, resource: 'graphql' })
    expect(two.data.rate).toEqual(two.data.resources.core)
    expect(one.data).toEqual(two.data)
    expect(two.headers['x-ratelimit-used']).toBe('1')
  })

  test('rate limits: an exhausted budget answers 403 with remaining 0 until the hour has passed', async () => {
    const limited = await startTestEmulator()
    try {
      await limited.admin.createToken({
        token: 'tok-two',
        login: 'two',
        permission: 'read',
        rate_limit_per_hour: 2
      })
      const two = client(limited, 'tok-two')
      await two.rest.users.getAuthenticated()
      await two.rest.users.getAuthenticated()
      const e = await failure(two.rest.users.getAuthenticated())
      expect(e.status).toBe(403)
      const me = await client(limited, TOKENS.owner).rest.users.getAuthenticated()
      expect(me.data.login).toBe('octo')
      expect(e.response.data.message).toMatch(/^API rate limit exceeded for user ID \d+\.$/)
      expect(e.response.headers['x-ratelimit-remaining']).toBe('0')
      await limited.admin.advanceClock(3600 * 1000)
      const again = await two.rest.users.getAuthenticated()
      expect(again.headers['x-ratelimit-used']).toBe('1')
    } finally {
      await limited.close()
    }
  })

  test("errors: an unknown route answers 404 with GitHub's envelope", async () => {
    const res = await fetch(`${emulator.url}/repos/octo/x/nothing/here`)
    expect(res.status).toBe(404)
    expect(await res.json()).toEqual({
      message: 'Not Found',
      documentation_url: 'https://docs.github.com/rest',
      status: '404'
    })
  })

  test('errors: a body that is not JSON answers 400 Problems parsing JSON', async () => {
    const r = await newRepo(emulator, 'server-badjson')
    const res = await fetch(`${emulator.url}/repos/octo/${r.repo}/issues`, {
      method: 'POST',
      headers: { authorization: `token ${TOKENS.owner}`, 'content-type': 'application/json' },
      body: '{"title": '
    })
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({
      message: 'Problems parsing JSON',
      documentation_url: 'https://docs.github.com/rest',
      status: '400'
    })
  })

  test('ledger: records method, route template, path with query, status and login; admin calls are not recorded', async () => {
    const r = await newRepo(emulator, 'server-ledger')
    await owner.rest.issues.create({ ...r, title: 't' })
    await emulator.admin.clearLedger()
    await owner.rest.issues.createComment({ ...r, issue_number: 1, body: 'c' })
    await owner.rest.issues.listComments({ ...r, issue_number: 1, per_page: 5 })
    await failure(client(emulator).rest.issues.get({ ...r, issue_number: 9 }))
    await emulator.admin.putFile(`octo/${r.repo}`, 'a.txt', 'a')
    const entries = await emulator.admin.ledger()
    expect(entries.map(({ time: _t, ...e }) => e)).toEqual([
      {
        method: 'POST',
        route: '/repos/{owner}/{repo}/issues/{issue_number}/comments',
        path: `/repos/octo/${r.repo}/issues/1/comments`,
        status: 201,
        login: 'octo'
      },
      {
        method: 'GET',
        route: '/repos/{owner}/{repo}/issues/{issue_number}/comments',
        path: `/repos/octo/${r.repo}/issues/1/comments?per_page=5`,
        status: 200,
        login: 'octo'
      },
      {
        method: 'GET',
        route: '/repos/{owner}/{repo}/issues/{issue_number}',
        path: `/repos/octo/${r.repo}/issues/9`,
        status: 404,
        login: null
      }
    ])
    expect(entries[0].time).toBe(T0.toISOString())
    await emulator.admin.clearLedger()
    expect(await emulator.admin.ledger()).toEqual([])
  })
})
