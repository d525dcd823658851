import { describe, expect, test } from '@jest/globals'
import { throttling } from '@octokit/plugin-throttling'
import type { Emulator } from '../../src/index.js'
import {
  client,
  failure,
  newRepo,
  startTestEmulator,
  T0,
  TestOctokit,
  TOKENS,
  useTestEmulator
} from '../support.js'

const emulator = useTestEmulator()

const T0_S = T0.getTime() / 1000

/** Registers a fresh token of a fresh user (so budgets never leak between tests). */
async function freshToken(name: string): Promise<{ token: string; id: number }> {
  const created = (await emulator.admin.createToken({
    token: `tok-${name}`,
    login: name,
    permission: 'write'
  })) as { id: number }
  return { token: `tok-${name}`, id: created.id }
}

/** Octokit with plugin-throttling: its own `throttle.id`, retry waits in ms instead of s. */
const ThrottledOctokit = TestOctokit.plugin(throttling)
interface LimitCall {
  retryAfter: number
  method: string
  url: string
  retryCount: number
}
function throttled(
  e: Emulator,
  token: string,
  handlers: {
    onRateLimit: (call: LimitCall) => boolean | Promise<boolean>
    onSecondaryRateLimit: (call: LimitCall) => boolean | Promise<boolean>
  }
) {
  const wrap =
    (fn: (call: LimitCall) => boolean | Promise<boolean>) =>
    (retryAfter: number, options: { method: string; url: string }, _o: unknown, n: number) =>
      fn({ retryAfter, method: options.method, url: options.url, retryCount: n })
  return new ThrottledOctokit({
    baseUrl: e.url,
    auth: token,
    throttle: {
      id: `rate-limits-${token}`,
      retryAfterBaseValue: 1,
      onRateLimit: wrap(handlers.onRateLimit),
      onSecondaryRateLimit: wrap(handlers.onSecondaryRateLimit)
    }
  })
}

describe('rate limits (admin API)', () => {
  test('setRateLimit: an exhausted token budget answers 403, remaining 0, reset in epoch seconds, GitHub message', async () => {
    const r = await newRepo(emulator, 'rl-token')
    const { token, id } = await freshToken('rl-token-user')
    const state = await emulator.admin.setRateLimit({
      token,
      limit: 10,
      remaining: 1,
      reset_in_s: 120
    })
    expect(state).toEqual({
      limit: 10,
      used: 9,
      remaining: 1,
      reset: T0_S + 120,
      resource: 'core'
    })
    const octokit = client(emulator, token)
    const last = await octokit.rest.repos.get(r)
    expect(last.headers['x-ratelimit-remaining']).toBe('0')
    const e = await failure(octokit.rest.repos.get(r))
    expect(e.status).toBe(403)
    expect(e.response.data.message).toBe(`API rate limit exceeded for user ID ${id}.`)
    expect(e.response.headers['x-ratelimit-remaining']).toBe('0')
    expect(e.response.headers['x-ratelimit-limit']).toBe('10')
    expect(e.response.headers['x-ratelimit-reset']).toBe(String(T0_S + 120))
    const reported = await octokit.rest.rateLimit.get()
    expect(reported.data.resources.core).toEqual({
      limit: 10,
      used: 10,
      remaining: 0,
      reset: T0_S + 120,
      resource: 'core'
    })
    const other = await client(emulator, TOKENS.owner).rest.repos.get(r)
    expect(other.status).toBe(200)
  })

  test('setRateLimit: status 429 answers 429 with the same headers and message', async () => {
    const r = await newRepo(emulator, 'rl-429')
    const { token, id } = await freshToken('rl-429-user')
    await emulator.admin.setRateLimit({ token, limit: 5, remaining: 0, status: 429 })
    const e = await failure(client(emulator, token).rest.issues.listForRepo(r))
    expect(e.status).toBe(429)
    expect(e.response.data.message).toBe(`API rate limit exceeded for user ID ${id}.`)
    expect(e.response.headers['x-ratelimit-remaining']).toBe('0')
    expect(e.response.headers['x-ratelimit-reset']).toBe(String(T0_S + 3600))
  })

  test('setRateLimit: the window resets after reset_in_s (emulated clock) with the full overridden limit', async () => {
    const e = await startTestEmulator()
    try {
      const r = await newRepo(e, 'rl-window')
      await e.admin.setRateLimit({ token: TOKENS.writer, limit: 3, remaining: 0, reset_in_s: 30 })
      const writer = client(e, TOKENS.writer)
      expect((await failure(writer.rest.repos.get(r))).status).toBe(403)
      await e.admin.advanceClock(30_000)
      const ok = await writer.rest.repos.get(r)
      expect([ok.headers['x-ratelimit-limit'], ok.headers['x-ratelimit-remaining']]).toEqual([
        '3',
        '2'
      ])
      expect(ok.headers['x-ratelimit-reset']).toBe(String(T0_S + 30 + 3600))
    } finally {
      await e.close()
    }
  })

  test('setRateLimit: without a token every caller, anonymous included, gets the budget; GET /rate_limit reflects it', async () => {
    const e = await startTestEmulator()
    try {
      const r = await newRepo(e, 'rl-all')
      const anonymousState = await e.admin.setRateLimit({ limit: 2, remaining: 0, reset_in_s: 60 })
      expect(anonymousState).toMatchObject({ limit: 2, remaining: 0, reset: T0_S + 60 })
      const anon = await failure(client(e).rest.repos.get(r))
      expect(anon.status).toBe(403)
      expect(anon.response.data.message).toMatch(/^API rate limit exceeded for 127\.0\.0\.1\./)
      const owner = client(e, TOKENS.owner)
      expect((await failure(owner.rest.repos.get(r))).status).toBe(403)
      expect((await owner.rest.rateLimit.get()).data.resources.core).toEqual({
        limit: 2,
        used: 2,
        remaining: 0,
        reset: T0_S + 60,
        resource: 'core'
      })
      await e.admin.reset()
      const fresh = await client(e).rest.rateLimit.get()
      expect(fresh.data.resources.core.limit).toBe(60)
    } finally {
      await e.close()
    }
  })

  test('setSecondaryLimit: the next N matching requests answer 403 with retry-after and the secondary-limit message', async () => {
    const r = await newRepo(emulator, 'rl-secondary')
    const { token } = await freshToken('rl-secondary-user')
    await emulator.admin.setSecondaryLimit({ token, count: 2, retry_after_s: 7, methods: ['GET'] })
    const octokit = client(emulator, token)
    for (let i = 0; i < 2; i++) {
      const e = await failure(octokit.rest.repos.get(r))
      expect(e.status).toBe(403)
      const id = e.response.headers['x-github-request-id']
      expect(e.response.data.message).toBe(
        'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. ' +
          `If you reach out to GitHub Support for help, please include the request ID ${id}.`
      )
      expect(e.response.headers['retry-after']).toBe('7')
    }
    const write = await octokit.rest.issues.create({ ...r, title: 'not a GET' })
    expect(write.status).toBe(201)
    expect((await octokit.rest.repos.get(r)).status).toBe(200)
    const others = await client(emulator, TOKENS.owner).rest.repos.get(r)
    expect(others.status).toBe(200)
  })

  test('setSecondaryLimit: status 429 and no token filter applies to anyone; clearSecondaryLimits drops the rest', async () => {
    const e = await startTestEmulator()
    try {
      const r = await newRepo(e, 'rl-secondary-429')
      await e.admin.setSecondaryLimit({ count: 3, retry_after_s: 1, status: 429 })
      const err = await failure(client(e).rest.repos.get(r))
      expect(err.status).toBe(429)
      expect(err.response.data.message).toMatch(/secondary rate limit/)
      await e.admin.clearSecondaryLimits()
      expect((await client(e, TOKENS.owner).rest.repos.get(r)).status).toBe(200)
    } finally {
      await e.close()
    }
  })

  test('plugin-throttling: onRateLimit is called on the emulated primary exhaustion, and its retry succeeds', async () => {
    const r = await newRepo(emulator, 'rl-throttle-primary')
    const { token } = await freshToken('rl-throttle-primary-user')
    await emulator.admin.setRateLimit({ token, limit: 50, remaining: 0 })
    const primary: LimitCall[] = []
    const secondary: LimitCall[] = []
    const octokit = throttled(emulator, token, {
      onRateLimit: async (call) => {
        primary.push(call)
        await emulator.admin.setRateLimit({ token, limit: 50 }) // budget restored before the retry
        return call.retryCount === 0
      },
      onSecondaryRateLimit: (call) => {
        secondary.push(call)
        return false
      }
    })
    const res = await octokit.rest.repos.get(r)
    expect(res.status).toBe(200)
    expect(primary).toHaveLength(1)
    expect(primary[0]).toMatchObject({ method: 'GET', url: '/repos/{owner}/{repo}', retryCount: 0 })
    expect(secondary).toHaveLength(0)

    await emulator.admin.setRateLimit({ token, limit: 50, remaining: 0, status: 429 })
    const given = await failure(
      throttled(emulator, token, {
        onRateLimit: (call) => {
          primary.push(call)
          return false
        },
        onSecondaryRateLimit: () => false
      }).rest.repos.get(r)
    )
    expect(given.status).toBe(429)
    expect(primary).toHaveLength(2)
  })

  test('plugin-throttling: onSecondaryRateLimit is called with retry-after, and its retry succeeds', async () => {
    const r = await newRepo(emulator, 'rl-throttle-secondary')
    const { token } = await freshToken('rl-throttle-secondary-user')
    await emulator.admin.setSecondaryLimit({ token, count: 1, retry_after_s: 7 })
    const secondary: LimitCall[] = []
    const primary: LimitCall[] = []
    const octokit = throttled(emulator, token, {
      onRateLimit: (call) => {
        primary.push(call)
        return false
      },
      onSecondaryRateLimit: (call) => {
        secondary.push(call)
        return true
      }
    })
    const res = await octokit.rest.issues.listForRepo(r)
    expect(res.status).toBe(200)
    expect(secondary).toEqual([
      { retryAfter: 7, method: 'GET', url: '/repos/{owner}/{repo}/issues', retryCount: 0 }
    ])
    expect(primary).toHaveLength(0)
  })

  test('admin rate-limits: malformed bodies answer 400 naming the field', async () => {
    for (const [body, message] of [
      [{ limit: -1 }, '"limit" must be an integer >= 0'],
      [{ limit: 1, status: 500 }, '"status" must be 403 or 429'],
      [{ limit: 1, resource: 'search' }, '"resource" must be "core" or "graphql"']
    ] as const) {
      const res = await fetch(`${emulator.url}/_emulator/rate-limits`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body)
      })
      expect(res.status).toBe(400)
      expect(((await res.json()) as { message: string }).message).toBe(message)
    }
    await expect(
      emulator.admin.setSecondaryLimit({ count: 0, retry_after_s: 1 })
    ).rejects.toMatchObject({ status: 400, message: expect.stringContaining('"count"') })
  })
})
