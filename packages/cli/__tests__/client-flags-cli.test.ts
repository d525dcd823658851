import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createGitHubClient, createObject } from '@hubstore/core'
import { startEmulator, type Emulator } from '@hubstore/emulator'
import { runCli } from './support/in-process.js'

// The client flags of every store command (--api-url, --request-timeout, --max-rate-limit-wait),
// and core's option errors in flag terms, through the CLI's `run` in-process (what the
// `hubstore` binary runs) against the emulator.
let emulator: Emulator
const REPO = 'octocat/cli-client-flags'

beforeAll(async () => {
  emulator = await startEmulator()
  await emulator.admin.createRepo({ full_name: REPO })
  await emulator.admin.createToken({ token: 'cli-flags', login: 'octocat', permission: 'admin' })
  await emulator.admin.createToken({ token: 'cli-limited', login: 'hubot', permission: 'admin' })
  await emulator.admin.putFile(REPO, 'sequence_data.json', '{"sequences": {"n": 4}}\n')
})
afterAll(async () => emulator.close())

/** Runs `hubstore args…` in-process (support/in-process.ts); `ms` is the whole run. */
async function hubstore(
  args: string[],
  env: Record<string, string> = {}
): Promise<{ status: number | null; stdout: string; stderr: string; ms: number }> {
  const started = Date.now()
  const r = await runCli(args, {
    env: {
      GITHUB_API_URL: emulator.url,
      GITHUB_TOKEN: 'cli-flags',
      GITHUB_REPOSITORY: REPO,
      ...env
    }
  })
  return { status: r.code, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - started }
}

describe('hubstore client flags', () => {
  it('--api-url http://127.0.0.1:1: "Could not connect" within 5 s, no retries, exit 1', async () => {
    const r = await hubstore(['sequence', 'peek', 'n', '--api-url', 'http://127.0.0.1:1'])
    expect(r.ms).toBeLessThan(5000)
    expect(r).toMatchObject({ status: 1, stdout: '' })
    expect(r.stderr).toBe(
      `hubstore: GITHUB_REQUEST_FAILED: Could not connect to http://127.0.0.1:1 while trying to read ${REPO}:sequence_data.json (default branch) (GET /repos/${REPO}/contents/sequence_data.json: bad port). Check the API URL (--api-url, the api-url input or GITHUB_API_URL) and the network.\n`
    )
  })

  it('--api-url notaurl: a usage error naming the flag and the value, exit 2, no request', async () => {
    const before = (await emulator.admin.ledger()).length
    const r = await hubstore(['sequence', 'peek', 'n', '--api-url', 'notaurl'])
    expect(r).toMatchObject({ status: 2, stdout: '' })
    expect(r.stderr).toBe(
      'hubstore: --api-url "notaurl" is not a URL: give the REST API root as an http(s) URL, e.g. https://api.github.com or https://HOST/api/v3.\n'
    )

    expect((await emulator.admin.ledger()).length).toBe(before)
  })

  it('--request-timeout 200ms against a held answer: fails within the bound, one line per retry, exit 1', async () => {
    await emulator.admin.setLatency({ route: '*', ms: 10_000 })
    try {
      const r = await hubstore(['sequence', 'peek', 'n', '--request-timeout', '200ms'], {
        // retry waits of (n+1)² ms instead of seconds: time is a parameter
        HUBSTORE_RETRY_AFTER_BASE_MS: '1'
      })
      // 4 attempts of 200 ms (plus start-up), where one held answer alone takes 10 s
      expect(r.ms).toBeLessThan(8000)
      expect(r).toMatchObject({ status: 1, stdout: '' })
      const request = `GET /repos/${REPO}/contents/sequence_data.json`
      expect(r.stderr.split('\n')).toEqual([
        `hubstore: retrying ${request} (attempt 2) after no answer within 200 ms`,
        `hubstore: retrying ${request} (attempt 3) after no answer within 200 ms`,
        `hubstore: retrying ${request} (attempt 4) after no answer within 200 ms`,
        expect.stringMatching(
          /^hubstore: GITHUB_REQUEST_FAILED: GitHub did not answer GET \S+ within 200 ms while trying to .* \(4 attempts\)\. .*--request-timeout/
        ),
        ''
      ])
    } finally {
      await emulator.admin.setLatency({ route: '*', ms: 0 })
    }
  })

  it('--max-rate-limit-wait 1s against a rate limit resetting in 1 hour: RATE_LIMITED with the reset time, exit 1', async () => {
    await emulator.admin.setRateLimit({
      token: 'cli-limited',
      limit: 5000,
      remaining: 0,
      reset_in_s: 3600
    })
    const started = Date.now()
    const r = await hubstore(['sequence', 'peek', 'n', '--max-rate-limit-wait', '1s'], {
      GITHUB_TOKEN: 'cli-limited'
    })
    expect(r.ms).toBeLessThan(5000)
    expect(r).toMatchObject({ status: 1, stdout: '' })
    const lines = r.stderr.split('\n')
    expect(lines[0]).toMatch(
      /^hubstore: primary rate limit on GET \S+, lifting at \S+Z: not waiting \d+ ms \(over the 1000 ms bound\)$/
    )
    expect(lines[1]).toMatch(
      /^hubstore: RATE_LIMITED: GitHub's primary rate limit \(core, 5000 an hour\) is used up: GET \S+ answered 403 \(API rate limit exceeded .*\)\. It lifts at (\S+Z), later than the 1 s hubstore waits at most .*use a GitHub App installation token/
    )
    const resetAt = Date.parse(/It lifts at (\S+Z)/.exec(lines[1] ?? '')?.[1] ?? '')
    expect(Math.abs(resetAt - (started + 3600_000))).toBeLessThan(60_000)
    expect(lines.slice(2)).toEqual([''])
  })
})

describe('core option errors in flag terms', () => {
  it('a flag value with a newline is echoed escaped on one line, a long one cut at 80 characters', async () => {
    const r = await hubstore(['sequence', 'peek', 'n', '--request-timeout', '5\nhubstore: fake'])
    expect(r).toMatchObject({ status: 2, stdout: '' })
    expect(r.stderr).toMatch(/^[^\n]*, got "5\\nhubstore: fake"\.\n/)
    const long = await hubstore(['sequence', 'peek', 'n', '--repo', `a/${'b'.repeat(200)}!`])
    expect(long.stderr).toContain(`--repo takes owner/name, got "a/${'b'.repeat(78)}…".`)
  })

  it('objects get --at and objects list --since with a bad date name the flag and echo the value, exit 2', async () => {
    const octokit = createGitHubClient({
      token: 'cli-flags',
      baseUrl: emulator.url,
      throttle: { writeSpacingMs: 0 }
    })
    await createObject({ octokit, owner: 'octocat', repo: 'cli-client-flags' }, 'dated', { n: 1 })
    const at = await hubstore(['objects', 'get', 'dated', '--at', 'yesterday\u0007'])
    expect(at).toMatchObject({ status: 2, stdout: '' })
    expect(at.stderr).toBe(
      'hubstore: INVALID_OPTIONS: --at must be a Date or an ISO 8601 timestamp; got "yesterday\\u0007".\n'
    )
    const since = await hubstore(['objects', 'list', '--since', 'last week'])
    expect(since).toMatchObject({ status: 2, stdout: '' })
    expect(since.stderr).toBe(
      'hubstore: INVALID_OPTIONS: --since must be a Date or an ISO 8601 timestamp; got "last week".\n'
    )
  })
})
