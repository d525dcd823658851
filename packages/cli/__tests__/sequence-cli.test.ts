import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startEmulator, type Emulator } from '@hubstore/emulator'
import { runCli } from './support/in-process.js'

let emulator: Emulator
const REPO = 'octocat/cli-sequences'

beforeAll(async () => {
  emulator = await startEmulator()
  await emulator.admin.createRepo({ full_name: REPO })
  await emulator.admin.createToken({ token: 'cli-seq', login: 'octocat', permission: 'admin' })
  await emulator.admin.putFile(
    REPO,
    'sequence_data.json',
    '{\n  "sequences": {\n    "akdchydnch_seq": 301\n  },\n  "last_updated": "2025-01-01T00:00:00Z",\n  "version": "1.0"\n}\n'
  )
})
afterAll(async () => emulator.close())

/** Runs `hubstore args…` in-process (support/in-process.ts): exit status and output. */
async function hubstore(
  args: string[],
  env: Record<string, string> = {}
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const r = await runCli(args, {
    env: { GITHUB_API_URL: emulator.url, GITHUB_TOKEN: 'cli-seq', GITHUB_REPOSITORY: '', ...env }
  })
  return { status: r.code, stdout: r.stdout, stderr: r.stderr }
}

describe('hubstore sequence', () => {
  it('sequence increment --repo with a typo: REPOSITORY_NOT_FOUND at the read, exit 2, nothing written', async () => {
    const r = await hubstore(['sequence', 'increment', 'invoice', '--repo', 'octocat/cli-sequnces'])
    expect(r.status).toBe(2)
    expect(r.stderr).toBe(
      'hubstore: REPOSITORY_NOT_FOUND: Repository octocat/cli-sequnces not found, or the token cannot see it (GET /repos/octocat/cli-sequnces answered 404). Check the owner and the name for typos; for a private repository use a token that can read it (a fine-grained token must list it, a GitHub App must be installed on it).\n'
    )
    expect(r.stdout).toBe('')
  })

  it('sequence: increment, peek, set and list against the emulator', async () => {
    const inc = await hubstore(['sequence', 'increment', 'akdchydnch_seq', '--repo', REPO])
    expect(inc.status).toBe(0)
    expect(inc.stdout).toMatch(
      /^akdchydnch_seq 302: commit [0-9a-f]{40}, 1 attempt\(s\), 2 request\(s\)\n$/
    )

    const block = await hubstore(
      ['sequence', 'increment', 'akdchydnch_seq', '-n', '3', '--format', 'AK{value:05}', '--json'],
      {
        GITHUB_REPOSITORY: REPO
      }
    )
    expect(JSON.parse(block.stdout)).toMatchObject({
      first: 303,
      last: 305,
      formatted: { first: 'AK00303', last: 'AK00305' }
    })

    const peek = await hubstore(['sequence', 'peek', 'akdchydnch_seq', '--repo', REPO])
    expect(peek.stdout).toBe('akdchydnch_seq = 305; next 306\n')

    const set = await hubstore(['sequence', 'set', 'akdchydnch_seq', '300', '--repo', REPO])
    expect(set.status).toBe(0)
    expect(set.stdout).toMatch(/^set akdchydnch_seq: 305 → 300 \(commit [0-9a-f]{40}\)\n$/)
    expect(set.stderr).toContain('numbers 301–305 will be handed out again')

    const list = await hubstore(['sequence', 'list', '--repo', REPO, '--token', 'cli-seq'], {
      GITHUB_TOKEN: ''
    })
    expect(list.stdout).toMatch(
      /^octocat\/cli-sequences:sequence_data\.json \(default branch\): 1 sequence\(s\), last updated \S+\n {2}akdchydnch_seq {2}300\n$/
    )
  })

  it('sequence: fiscal-year series with a time zone', async () => {
    const r = await hubstore([
      'sequence',
      'increment',
      'dc',
      '--repo',
      REPO,
      '--series',
      'fiscal-year',
      '--time-zone',
      'Asia/Kolkata',
      '--format',
      'DC/{fy_short}/{value:04}',
      '--json'
    ])
    expect(JSON.parse(r.stdout)).toMatchObject({
      key: expect.stringMatching(/^dc\/FY\d{4}-\d\d$/),
      first: 1
    })
  })

  it('errors: a time zone core refuses names --time-zone and echoes the value, exit 2', async () => {
    const r = await hubstore([
      'sequence',
      'increment',
      'dc',
      '--repo',
      REPO,
      '--series',
      'fiscal-year',
      '--time-zone',
      'Mars/"Olympus"'
    ])
    expect(r).toMatchObject({ status: 2, stdout: '' })
    expect(r.stderr).toBe(
      'hubstore: INVALID_OPTIONS: --time-zone must be an IANA time zone such as Asia/Kolkata; got "Mars/\\"Olympus\\"".\n'
    )
  })

  it('errors: a missing token, a bad flag and a broken file are one line each, exit 2', async () => {
    const noToken = await hubstore(['sequence', 'peek', 'x', '--repo', REPO], { GITHUB_TOKEN: '' })
    expect(noToken).toMatchObject({ status: 2, stdout: '' })
    expect(noToken.stderr).toBe(
      'hubstore: No GitHub token. Set GITHUB_TOKEN (or pass --token) to a token for the repository (for the emulator, a token made with hubstore emulator --token).\n'
    )
    const badCount = await hubstore(['sequence', 'increment', 'x', '--repo', REPO, '--count', '0'])
    expect(badCount.status).not.toBe(0)
    expect(badCount.stderr).toContain('--count takes a whole number ≥ 1, got "0".')
    await emulator.admin.putFile(REPO, 'broken.json', '{"sequences": {"x": "7"}}')
    const broken = await hubstore([
      'sequence',
      'increment',
      'x',
      '--repo',
      REPO,
      '--path',
      'broken.json'
    ])
    expect(broken.status).toBe(2)
    expect(broken.stderr).toMatch(
      /^hubstore: INVALID_SEQUENCE_FILE: .*field "sequences\.x" must be a whole number ≥ 0/
    )
    expect(broken.stderr.split('\n')).toHaveLength(2)
  })

  it.each(['../../x.json', '.git/config', 'a/.git/x.json', 'a//b.json'])(
    'usage: --path %j is refused before any request, naming --path',
    async (path) => {
      const bad = await hubstore(['sequence', 'increment', 'x', '--repo', REPO, '--path', path])
      expect(bad.status).toBe(2)
      expect(bad.stderr).toMatch(
        /^hubstore: INVALID_PATH: --path ".*" is not a safe repository path/
      )
    }
  )

  it('help: lists the four subcommands', async () => {
    const help = await hubstore(['sequence', '--help'])
    for (const sub of ['increment', 'peek', 'set', 'list'])
      expect(help.stdout).toContain(`  ${sub} `)
  })
})
