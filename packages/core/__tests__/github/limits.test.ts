/**
 * The client under rate limits, slow answers and failures, against the emulator over real HTTP:
 * rate-limit waits are logged and bounded (RATE_LIMITED), every attempt has a timeout and every
 * retry a log line, a refused connection fails at once, GraphQL queries are not spaced as writes,
 * and 401/403/404/rate limits each have their own message.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Emulator } from '@hubstore/emulator'
import { createServer, type AddressInfo } from 'node:net'
import { createGitHubClient, type ClientOptions } from '../../src/github/client.js'
import { callGitHub } from '../../src/github/request.js'
import { isMutation, isSpacedWrite } from '../../src/github/transport.js'
import { isHubstoreError } from '../../src/errors.js'
import { FAST, freshRepo, startWorld, USERS, type UserName } from '../support/emulator.js'

let emulator: Emulator
let owner: string
let repo: string
let issue: number

beforeAll(async () => {
  emulator = await startWorld()
  ;({ owner, repo } = await freshRepo(emulator))
  issue = (await emulator.admin.seedIssues(`${owner}/${repo}`, 1)).first
})
afterAll(async () => emulator.close())

/** A client of `user` whose log lines land in `lines`. */
function logged(user: UserName, extra: ClientOptions = {}) {
  const lines: string[] = []
  const octokit = createGitHubClient({
    ...FAST,
    ...extra,
    token: USERS[user].token,
    baseUrl: emulator.url,
    log: (line) => lines.push(line)
  })
  return { octokit, lines }
}

/** Reads the seeded issue through `callGitHub`; answers the error (or `undefined`) and the time. */
async function readIssue(octokit: ReturnType<typeof createGitHubClient>) {
  const t0 = Date.now()
  const error = await callGitHub(`get issue #${issue}`, () =>
    octokit.rest.issues.get({ owner, repo, issue_number: issue })
  ).then(
    () => undefined,
    (e: unknown) => e
  )
  return { error: error as (Error & Record<string, unknown>) | undefined, ms: Date.now() - t0 }
}

/** A loopback port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

const iso = (epochSeconds: number) =>
  new Date(epochSeconds * 1000).toISOString().replace('.000Z', 'Z')

describe('rate limits', () => {
  it('a primary limit resetting in an hour fails within the bound with RATE_LIMITED, the reset time and a fix', async () => {
    const bucket = await emulator.admin.setRateLimit({
      token: USERS.wendy.token,
      limit: 5000,
      remaining: 0,
      reset_in_s: 3600
    })
    const { octokit, lines } = logged('wendy', {
      throttle: { retryAfterBaseMs: 1000, maxRateLimitWaitMs: 2000 }
    })
    const { error, ms } = await readIssue(octokit)
    expect(ms).toBeLessThan(2000)
    expect(isHubstoreError(error) && error.code).toBe('RATE_LIMITED')
    const reset = iso(bucket.reset)
    expect(error?.message).toBe(
      `GitHub's primary rate limit (core, 5000 an hour) is used up: GET /repos/${owner}/${repo}/issues/${issue} answered 403 (${(error?.details as { githubMessage: string }).githubMessage}). It lifts at ${reset}, later than the 2 s hubstore waits at most (max-rate-limit-wait input, --max-rate-limit-wait flag, throttle.maxRateLimitWaitMs). Run again after that time (e.g. schedule the workflow later), use a GitHub App installation token (its budget grows with the repositories and users, up to 12,500 an hour, where GITHUB_TOKEN has 1,000 per repository), or allow a longer wait.`
    )
    expect(error?.details).toMatchObject({
      reason: 'primary',
      status: 403,
      gaveUp: 'bound',
      githubMessage: expect.stringMatching(/^API rate limit exceeded/)
    })
    // one line for the wait it refused, with the reason and the reset
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(
      new RegExp(
        `^hubstore: primary rate limit on GET /repos/\\S+, lifting at ${reset}: not waiting \\d+ ms \\(over the 2000 ms bound\\)$`
      )
    )
    expect(octokit.hubstore.requests).toBe(1)
  })

  it('a secondary limit within the bound is waited out, with one log line per wait', async () => {
    await emulator.admin.setSecondaryLimit({ token: USERS.carol.token, count: 2, retry_after_s: 3 })
    const { octokit, lines } = logged('carol')
    const { error } = await readIssue(octokit)
    expect(error).toBeUndefined()
    expect(octokit.hubstore.requests).toBe(3)
    expect(lines).toHaveLength(2)
    for (const [n, line] of lines.entries())
      expect(line).toMatch(
        new RegExp(
          `^hubstore: secondary rate limit on GET /repos/\\S+, lifting at \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ: waiting 15 ms \\(retry ${n + 1} of 3\\)$`
        )
      )
  })

  it('a secondary limit longer than the bound fails with RATE_LIMITED naming the secondary limit', async () => {
    await emulator.admin.setSecondaryLimit({
      token: USERS.tina.token,
      count: 1,
      retry_after_s: 600,
      status: 429
    })
    const { octokit, lines } = logged('tina', {
      throttle: { retryAfterBaseMs: 1000, maxRateLimitWaitMs: 60_000 }
    })
    const before = Date.now()
    const { error, ms } = await readIssue(octokit)
    expect(ms).toBeLessThan(2000)
    expect(isHubstoreError(error) && error.code).toBe('RATE_LIMITED')
    expect(error?.details).toMatchObject({ reason: 'secondary', status: 429, gaveUp: 'bound' })
    const resetAt = Date.parse(String((error?.details as { resetAt: string }).resetAt))
    expect(resetAt).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 599_000)
    expect(error?.message).toMatch(
      /^GitHub's secondary rate limit was hit: GET \S+ answered 429 \(.*secondary rate limit.*\)\. It lifts at \S+Z, later than the 60 s hubstore waits at most .*Make fewer requests at once/
    )
    expect(lines).toHaveLength(1)
  })
})

describe('timeouts and unreachable APIs', () => {
  it('an unanswered request fails within its timeout per attempt, with one log line per retry', async () => {
    await emulator.admin.setLatency({
      route: '/repos/{owner}/{repo}/issues/{issue_number}',
      ms: 3000
    })
    try {
      const { octokit, lines } = logged('octocat', {
        requestTimeoutMs: 200,
        retry: { retries: 2, retryAfterBaseMs: 1 }
      })
      const { error, ms } = await readIssue(octokit)
      // 3 attempts of 200 ms and waits of 4 + 9 ms, far from the 3 s the emulator holds each one
      expect(ms).toBeGreaterThanOrEqual(600)
      expect(ms).toBeLessThan(2500)
      expect(isHubstoreError(error) && error.code).toBe('GITHUB_REQUEST_FAILED')
      expect(error?.network).toEqual({
        kind: 'timeout',
        apiUrl: emulator.url,
        timeoutMs: 200,
        attempts: 3
      })
      expect(error?.message).toBe(
        `GitHub did not answer GET /repos/${owner}/${repo}/issues/${issue} within 200 ms while trying to get issue #${issue} (3 attempts). GitHub may be slow or unavailable: retry later, or allow more time (--request-timeout flag, request-timeout input, requestTimeoutMs).`
      )
      expect(lines).toEqual([
        `hubstore: retrying GET /repos/${owner}/${repo}/issues/${issue} (attempt 2) after no answer within 200 ms`,
        `hubstore: retrying GET /repos/${owner}/${repo}/issues/${issue} (attempt 3) after no answer within 200 ms`
      ])
    } finally {
      await emulator.admin.setLatency({
        route: '/repos/{owner}/{repo}/issues/{issue_number}',
        ms: 0
      })
    }
  })

  it('a request answered within the timeout is not cut off', async () => {
    await emulator.admin.setLatency({
      route: '/repos/{owner}/{repo}/issues/{issue_number}',
      ms: 100
    })
    try {
      const { octokit, lines } = logged('octocat', { requestTimeoutMs: 2000 })
      expect((await readIssue(octokit)).error).toBeUndefined()
      expect(lines).toEqual([])
    } finally {
      await emulator.admin.setLatency({
        route: '/repos/{owner}/{repo}/issues/{issue_number}',
        ms: 0
      })
    }
  })

  it.each([
    ['a port fetch blocks', async () => 1, 'bad port'],
    ['a closed port', closedPort, 'ECONNREFUSED']
  ])(
    'a refused connection (%s) is reported as "Could not connect to <url>" at once, without retries',
    async (_name, port, code) => {
      const lines: string[] = []
      const apiUrl = `http://127.0.0.1:${await port()}`
      const octokit = createGitHubClient({ token: 'x', baseUrl: apiUrl, log: (l) => lines.push(l) })
      const { error, ms } = await readIssue(octokit)
      expect(ms).toBeLessThan(5000)
      expect(error?.message).toBe(
        `Could not connect to ${apiUrl} while trying to get issue #${issue} (GET /repos/${owner}/${repo}/issues/${issue}: ${code}). Check the API URL (--api-url, the api-url input or GITHUB_API_URL) and the network.`
      )
      expect(octokit.hubstore.requests).toBe(1)
      expect(lines).toEqual([])
    }
  )

  it.each([
    ['notaurl', { baseUrl: 'notaurl' }, /^Option baseUrl must be an http\(s\) URL/],
    ['ftp', { baseUrl: 'ftp://example.com' }, /^Option baseUrl must be an http\(s\) URL/],
    [
      'negative timeout',
      { requestTimeoutMs: -1 },
      /^Option requestTimeoutMs must be an integer ≥ 0/
    ],
    ['bound', { throttle: { maxRateLimitWaitMs: 1.5 } }, /throttle.maxRateLimitWaitMs/]
  ])('rejects %s with INVALID_OPTIONS', (_name, options, message) => {
    expect(() => createGitHubClient(options)).toThrow(message)
  })

  it('a GITHUB_API_URL that is not a URL is named as such', () => {
    const saved = process.env.GITHUB_API_URL
    process.env.GITHUB_API_URL = 'notaurl'
    try {
      expect(() => createGitHubClient()).toThrow(/^Option GITHUB_API_URL must be an http\(s\) URL/)
    } finally {
      if (saved === undefined) delete process.env.GITHUB_API_URL
      else process.env.GITHUB_API_URL = saved
    }
  })
})

describe('GraphQL and write spacing', () => {
  it('isMutation / isSpacedWrite: only mutations and REST writes are spaced', () => {
    expect(isMutation('mutation M($a: ID!) { addReaction { x } }')).toBe(true)
    expect(isMutation('  # a comment\n mutation { x }')).toBe(true)
    expect(isMutation('query { viewer { login } }')).toBe(false)
    expect(isMutation('{ viewer { login } }')).toBe(false)
    expect(isMutation('# mutation\nquery { a(s: "mutation x") }')).toBe(false)
    expect(isSpacedWrite('POST', 'https://api.github.com/graphql', { query: '{ a }' })).toBe(false)
    expect(
      isSpacedWrite('POST', 'https://api.github.com/graphql', { query: 'mutation { a }' })
    ).toBe(true)
    expect(isSpacedWrite('POST', 'https://api.github.com/repos/o/r/issues', {})).toBe(true)
    expect(isSpacedWrite('GET', 'https://api.github.com/repos/o/r/issues', undefined)).toBe(false)
  })

  it('a query followed by a mutation is not spaced; two mutations are', async () => {
    const { octokit } = logged('octocat', { throttle: { writeSpacingMs: 400 } })
    const post = (query: string) => octokit.request('POST /graphql', { query })
    await post('query { viewer { login } }') // the emulator builds its schema on the first query
    const t0 = performance.now()
    await post('query { viewer { login } }')
    await post('mutation { __typename }')
    await post('query { viewer { login } }')
    const unspaced = performance.now() - t0
    expect(unspaced).toBeLessThan(400)
    await post('mutation { __typename }')
    const spaced = performance.now() - t0
    expect(spaced).toBeGreaterThanOrEqual(400)
  })
})

describe('messages by status', () => {
  it('401, 403 (naming the permission), 404 and a rate limit each say their own thing', async () => {
    const { octokit: stranger } = logged('octocat')
    const bad = createGitHubClient({ ...FAST, token: 'not-a-token', baseUrl: emulator.url })
    const unauthorised = (await readIssue(bad)).error
    expect(unauthorised?.message).toMatch(
      /answered 401 \(Bad credentials\)\. Check that the token is valid and not expired\.$/
    )

    const { octokit: reader } = logged('mallory')
    const forbidden = await callGitHub('write a.json', () =>
      reader.rest.repos.createOrUpdateFileContents({
        owner,
        repo,
        path: 'a.json',
        message: 'm',
        content: Buffer.from('{}').toString('base64')
      })
    ).then(
      () => new Error('no error'),
      (e: unknown) => e as Error
    )
    expect(forbidden.message).toMatch(
      /answered 403 \(.*\)\. The token lacks a permission this request needs \(contents: write\): grant it/
    )

    const missing = await callGitHub('get issue #999', () =>
      stranger.rest.issues.get({ owner, repo, issue_number: 999 })
    ).then(
      () => new Error('no error'),
      (e: unknown) => e as Error
    )
    expect(missing.message).toMatch(/answered 404 \(Not Found\)\. GitHub found no such thing/)

    const messages = [unauthorised?.message, forbidden.message, missing.message]
    expect(new Set(messages.map((m) => m?.split('. ').at(-2))).size).toBe(3)
  })
})
