import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import { readFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { CLIENT_DEFAULTS, createGitHubClient } from '../../src/github/client.js'
import { callGitHub } from '../../src/github/request.js'
import { isHubstoreError } from '../../src/errors.js'
import { HUBSTORE_VERSION } from '../../src/version.js'

/** A scripted HTTP server: each request takes the next answer (the last one repeats). */
interface Answer {
  status: number
  body?: unknown
  headers?: Record<string, string>
}
let server: Server
let url: string
let answers: Answer[] = []
let seen: Array<{ method: string; path: string; headers: IncomingHttpHeaders; at: number }> = []

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({
      method: req.method ?? '',
      path: req.url ?? '',
      headers: req.headers,
      at: Date.now()
    })
    const answer = answers.length > 1 ? answers.shift()! : (answers[0] ?? { status: 200, body: {} })
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers })
    res.end(JSON.stringify(answer.body ?? {}))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => new Promise<void>((resolve) => server.close(() => resolve())))
beforeEach(() => {
  answers = []
  seen = []
})

const fast = {
  retry: { retryAfterBaseMs: 1 },
  throttle: { writeSpacingMs: 0, retryAfterBaseMs: 1 }
}

describe('CLIENT_DEFAULTS', () => {
  it('CLIENT_DEFAULTS: version matches package.json and the user agent carries it', () => {
    const pkg = JSON.parse(
      readFileSync(new URL('../../package.json', import.meta.url), 'utf8')
    ) as { version: string }
    expect(HUBSTORE_VERSION).toBe(pkg.version)
    expect(CLIENT_DEFAULTS.userAgent).toBe(`hubstore/${pkg.version}`)
  })

  it('CLIENT_DEFAULTS: baseUrl is read from GITHUB_API_URL when a client is built, else github.com', () => {
    const saved = process.env.GITHUB_API_URL
    try {
      delete process.env.GITHUB_API_URL
      expect(CLIENT_DEFAULTS.baseUrl).toBe('https://api.github.com')
      process.env.GITHUB_API_URL = 'https://ghe.example.com/api/v3'
      expect(CLIENT_DEFAULTS.baseUrl).toBe('https://ghe.example.com/api/v3')
    } finally {
      if (saved === undefined) delete process.env.GITHUB_API_URL
      else process.env.GITHUB_API_URL = saved
    }
  })

  it('CLIENT_DEFAULTS: every client gets its own throttle id', () => {
    expect(CLIENT_DEFAULTS.throttle.id).not.toBe(CLIENT_DEFAULTS.throttle.id)
  })
})

describe('createGitHubClient', () => {
  it('createGitHubClient: sends the token, the hubstore user agent, to GITHUB_API_URL by default', async () => {
    const saved = process.env.GITHUB_API_URL
    process.env.GITHUB_API_URL = url
    try {
      const octokit = createGitHubClient({ token: 'secret-token', ...fast })
      await octokit.rest.issues.get({ owner: 'o', repo: 'r', issue_number: 1 })
    } finally {
      if (saved === undefined) delete process.env.GITHUB_API_URL
      else process.env.GITHUB_API_URL = saved
    }
    expect(seen).toHaveLength(1)
    expect(seen[0].path).toBe('/repos/o/r/issues/1')
    expect(seen[0].headers.authorization).toBe('token secret-token')
    expect(seen[0].headers['user-agent']).toMatch(new RegExp(`^hubstore/${HUBSTORE_VERSION} `))
  })

  it('createGitHubClient: without a token no authorization header is sent', async () => {
    await createGitHubClient({ baseUrl: `${url}/`, ...fast }).request('GET /rate_limit')
    expect(seen[0].headers.authorization).toBeUndefined()
  })

  it('createGitHubClient: retries 5xx and counts every attempt in client.hubstore', async () => {
    answers = [{ status: 502 }, { status: 500 }, { status: 200, body: { number: 1 } }]
    const octokit = createGitHubClient({ baseUrl: url, ...fast })
    const { data } = await octokit.rest.issues.get({ owner: 'o', repo: 'r', issue_number: 1 })
    expect(data).toEqual({ number: 1 })
    expect(octokit.hubstore).toEqual({ requests: 3, writes: 0 })
  })

  it('createGitHubClient: retry.enabled false fails on the first 5xx with GITHUB_REQUEST_FAILED, token-free', async () => {
    answers = [{ status: 503, body: { message: 'Service Unavailable' } }]
    const octokit = createGitHubClient({
      baseUrl: url,
      token: 'ghp_supersecret',
      retry: { enabled: false }
    })
    const error = await callGitHub('get issue #1', () =>
      octokit.rest.issues.get({ owner: 'o', repo: 'r', issue_number: 1 })
    ).catch((e: unknown) => e)
    expect(isHubstoreError(error) && error.code).toBe('GITHUB_REQUEST_FAILED')
    expect((error as Error).message).toBe(
      'GitHub request failed while trying to get issue #1: GET /repos/o/r/issues/1 answered 503 (Service Unavailable). GitHub may be unavailable; retry later.'
    )
    expect(JSON.stringify(error)).not.toContain('supersecret')
    expect(String((error as Error).stack)).not.toContain('supersecret')
    expect(seen).toHaveLength(1)
  })

  it('createGitHubClient: spaces one client’s writes by writeSpacingMs, but not another client’s', async () => {
    const a = createGitHubClient({ baseUrl: url, ...fast, throttle: { writeSpacingMs: 500 } })
    const b = createGitHubClient({ baseUrl: url, ...fast, throttle: { writeSpacingMs: 500 } })
    const post = (o: typeof a, n: number) =>
      o.request('POST /repos/{owner}/{repo}/issues/{n}/labels', {
        owner: 'o',
        repo: 'r',
        n,
        labels: []
      })
    const t0 = Date.now()
    await Promise.all([post(a, 1), post(b, 2)])
    expect(Date.now() - t0).toBeLessThan(450)
    await Promise.all([post(a, 3), post(a, 4)])
    // the client measures the 500 ms between the actual sends; arrival here may differ by the
    // few ms each request takes to reach the server
    const [third, fourth] = seen.slice(2)
    expect(fourth.at - third.at).toBeGreaterThanOrEqual(480)
    expect(a.hubstore.writes).toBe(3)
  })

  it('createGitHubClient: waits out a primary rate limit and retries, up to throttle.retries', async () => {
    const reset = String(Math.floor(Date.now() / 1000))
    const limited = {
      status: 403,
      body: { message: 'API rate limit exceeded for user ID 1.' },
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }
    }
    answers = [limited, { status: 200, body: { ok: true } }]
    const calls: number[] = []
    const octokit = createGitHubClient({
      baseUrl: url,
      ...fast,
      throttle: {
        retryAfterBaseMs: 1,
        onRateLimit: (_after, _request, count) => (calls.push(count), true)
      }
    })
    expect((await octokit.request('GET /rate_limit')).data).toEqual({ ok: true })
    expect(calls).toEqual([0])

    answers = [limited]
    const strict = createGitHubClient({
      baseUrl: url,
      ...fast,
      throttle: { retries: 0, retryAfterBaseMs: 1 }
    })
    await expect(strict.request('GET /rate_limit')).rejects.toMatchObject({ status: 403 })
  })

  it('createGitHubClient: retries a secondary rate limit after retry-after', async () => {
    answers = [
      {
        status: 403,
        body: {
          message:
            'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.'
        },
        headers: { 'retry-after': '2' }
      },
      { status: 201, body: { id: 1 } }
    ]
    const octokit = createGitHubClient({ baseUrl: url, ...fast })
    const t0 = Date.now()
    await octokit.request('POST /repos/{owner}/{repo}/issues', {
      owner: 'o',
      repo: 'r',
      title: 't'
    })
    expect(Date.now() - t0).toBeLessThan(1000)
    expect(octokit.hubstore.requests).toBe(2)
  })

  it.each([
    [{ retry: { retries: -1 } }, /^Option retry.retries must be an integer ≥ 0; received -1\.$/],
    [{ throttle: { writeSpacingMs: 1.5 } }, /throttle.writeSpacingMs/],
    [{ throttle: { maxConcurrent: 0 } }, /throttle.maxConcurrent must be an integer ≥ 1/]
  ])('createGitHubClient: rejects bad option %j with INVALID_OPTIONS', (options, message) => {
    expect(() => createGitHubClient(options)).toThrow(message)
  })

  it('createGitHubClient: a 403 names the permissions of x-accepted-github-permissions', async () => {
    answers = [
      {
        status: 403,
        body: { message: 'Resource not accessible by personal access token' },
        headers: {
          'x-accepted-github-permissions': 'contents=write; pull_requests=write,issues=read'
        }
      }
    ]
    const octokit = createGitHubClient({ baseUrl: url, ...fast })
    const error = await callGitHub('write a.json', () =>
      octokit.request('PUT /repos/o/r/contents/a.json', { message: 'm', content: '' })
    ).then(
      () => new Error('no error'),
      (e: unknown) => e as Error
    )
    expect(error.message).toBe(
      "GitHub request failed while trying to write a.json: PUT /repos/o/r/contents/a.json answered 403 (Resource not accessible by personal access token). The token lacks a permission this request needs (contents: write, or pull_requests: write and issues: read): grant it (a workflow's permissions: block, the token's settings) or use a token that has it."
    )
  })

  it('createGitHubClient: throttle.enabled false sends requests immediately', async () => {
    const octokit = createGitHubClient({ baseUrl: url, throttle: { enabled: false } })
    await Promise.all([1, 2, 3].map((n) => octokit.request('POST /x/{n}', { n })))
    expect(seen).toHaveLength(3)
  })
})
