import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startEmulator, type Emulator } from '@hubstore/emulator'
import { runCli } from './support/in-process.js'

let emulator: Emulator
const REPO = 'octocat/cli-state'

beforeAll(async () => {
  emulator = await startEmulator()
  await emulator.admin.createRepo({ full_name: REPO })
  await emulator.admin.createToken({ token: 'cli-pat', login: 'octocat', permission: 'admin' })
})
afterAll(async () => emulator.close())

/** Runs `hubstore args…` in-process (support/in-process.ts): exit status and output. */
async function hubstore(
  args: string[],
  env: Record<string, string> = {}
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const r = await runCli(args, {
    env: { GITHUB_API_URL: emulator.url, GITHUB_TOKEN: 'cli-pat', GITHUB_REPOSITORY: REPO, ...env }
  })
  return { status: r.code, stdout: r.stdout, stderr: r.stderr }
}

describe('hubstore state', () => {
  it('state: set, merge, get, delete against the emulator', async () => {
    const set = await hubstore([
      'state',
      'set',
      'jobs/nightly.json',
      '{"cursor": 1, "seen": ["a"]}'
    ])
    expect(set).toMatchObject({ status: 0 })
    expect(set.stdout).toMatch(
      /^set jobs\/nightly\.json on octocat\/cli-state@automation-state: committed [0-9a-f]{40}\n$/
    )
    const merge = await hubstore([
      'state',
      'merge',
      'jobs/nightly.json',
      '{"seen": null, "cursor": 2}'
    ])
    expect(JSON.parse(merge.stdout.split('\n').slice(1).join('\n'))).toEqual({ cursor: 2 })
    const get = await hubstore(['state', 'get', 'jobs/nightly.json'])
    expect(JSON.parse(get.stdout)).toEqual({ cursor: 2 })
    expect((await hubstore(['state', 'delete', 'jobs/nightly.json'])).stdout).toMatch(/committed/)
    const missing = await hubstore([
      'state',
      'get',
      'jobs/nightly.json',
      '--default',
      '{"cursor": 0}'
    ])
    expect(JSON.parse(missing.stdout)).toEqual({ cursor: 0 })
  }, 60_000)

  it('state: bad JSON and a missing token are one line with the fix, exit 2', async () => {
    const bad = await hubstore(['state', 'set', 'x.json', '{nope'])
    expect(bad.status).toBe(2)
    expect(bad.stderr).toMatch(/^hubstore: VALUE must be JSON/)
    const noToken = await hubstore(['state', 'get', 'x.json'], { GITHUB_TOKEN: '' })
    expect(noToken.status).toBe(2)
    expect(noToken.stderr).toContain('Set GITHUB_TOKEN')
    const badPath = await hubstore(['state', 'set', '../x.json', '1'])
    expect(badPath.status).toBe(2)
    expect(badPath.stderr).toMatch(
      /^hubstore: INVALID_PATH: path "..\/x.json" is not a safe repository path: it has a ".." segment/
    )
  }, 60_000)
})

describe('hubstore state / migrate repository options', () => {
  it('state: --token and --api-url are taken like in every store command', async () => {
    const r = await hubstore(
      [
        'state',
        'get',
        'absent.json',
        '--default',
        'null',
        '--token',
        'cli-pat',
        '--api-url',
        emulator.url
      ],
      { GITHUB_TOKEN: '', GITHUB_API_URL: 'http://127.0.0.1:9' }
    )
    expect(r).toMatchObject({ status: 0, stdout: 'null\n', stderr: '' })
  }, 60_000)

  it('migrate: --json prints the report as JSON', async () => {
    const r = await hubstore(['migrate', 'analyze', '--json'])
    expect(r.status).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({ command: 'analyze' })
  }, 60_000)
})

describe('hubstore migrate', () => {
  it('migrate: analyze, migrate --no-dry-run, validate --json', async () => {
    for (const [name, value] of Object.entries({
      PRIMARY_ALBUM_5_POSTS:
        '[{"position":1,"photo_id":"p","instagram_post_id":"i","posted_at":null}]',
      PRIMARY_ALBUM_5_FAILED: '[3]'
    }))
      await fetch(`${emulator.url}/repos/${REPO}/actions/variables`, {
        method: 'POST',
        headers: { authorization: 'token cli-pat', 'content-type': 'application/json' },
        body: JSON.stringify({ name, value })
      })
    const analyze = await hubstore(['migrate', 'analyze'])
    expect(analyze.status).toBe(0)
    expect(analyze.stdout).toMatch(/^analyze octocat\/cli-state@automation-state: 2 variable\(s\)/)
    expect(analyze.stdout).toContain('PRIMARY_ALBUM_5_POSTS')
    const dry = await hubstore(['migrate', 'migrate'])
    expect(dry.stdout).toMatch(/^migrate \(dry run\)/)
    const real = await hubstore(['migrate', 'migrate', '--no-dry-run'])
    expect(real.stdout).toMatch(/\ncommit [0-9a-f]{40}\n/)
    const validate = await hubstore(['migrate', 'validate', '--json'])
    expect(validate.status).toBe(0)
    expect(JSON.parse(validate.stdout).totals).toMatchObject({ mismatches: 0, migrated: 2 })
  }, 60_000)

  it('migrate: rollback without a backup is one line, exit 2', async () => {
    const r = await hubstore(['migrate', 'rollback', '--branch', 'nothing-here'])
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(/^hubstore: BACKUP_NOT_FOUND: No variables backup/)
  }, 60_000)
})
