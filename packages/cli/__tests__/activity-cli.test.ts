/**
 * `hubstore activity import | sync | jobs | health` spawned as a user runs it, against the
 * emulator over real HTTP and a SQLite file: --json shapes, --help, progress on stderr, exit
 * codes, and a bad --database value refused with a clear message.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startEmulator, type Emulator } from '@hubstore/emulator'
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { run } from '../src/main.js'

const bin = fileURLToPath(new URL('../bin/hubstore.js', import.meta.url))
const TOKEN = 'ghp_activityCliDistinctiveToken42'
let emulator: Emulator
const work = mkdtempSync(join(tmpdir(), 'hubstore-activity-cli-'))
const database = `sqlite:${join(work, 'activity.db')}`

beforeAll(async () => {
  emulator = await startEmulator()
  await emulator.admin.createToken({ token: TOKEN, login: 'octocat', permission: 'admin' })
  await emulator.admin.createRepo({ full_name: 'octocat/one' })
  await emulator.admin.createRepo({ full_name: 'octocat/two' })
})
afterAll(async () => {
  await emulator.close()
  rmSync(work, { recursive: true, force: true })
})

function hubstore(
  args: string[],
  extra: NodeJS.ProcessEnv = {}
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [bin, 'activity', ...args], {
    env: {
      ...process.env,
      GITHUB_API_URL: emulator.url,
      GITHUB_TOKEN: TOKEN,
      GH_TOKEN: '',
      GITHUB_APP_ID: '',
      GITHUB_APP_PRIVATE_KEY: '',
      HUBSTORE_DATABASE_URL: database,
      ...extra
    },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  return new Promise((resolve) => child.on('exit', (status) => resolve({ status, stdout, stderr })))
}

const repos = ['--repo', 'octocat/one', '--repo', 'octocat/two']

/**
 * The CLI in-process (no child process): the exit code, and what it wrote to standard output
 * (commander's and the commands' own) and to standard error.
 */
async function inProcess(args: string[]): Promise<{ status: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const write = process.stdout.write.bind(process.stdout)
  process.stdout.write = ((chunk: string | Uint8Array) => {
    out += String(chunk)
    return true
  }) as typeof process.stdout.write
  try {
    const status = await run(['node', 'hubstore', 'activity', ...args], {
      stdout: (s) => void (out += s),
      stderr: (s) => void (err += s)
    })
    return { status, out, err }
  } finally {
    process.stdout.write = write
  }
}

describe('hubstore activity', () => {
  it('import → sync → jobs → health, with --json', async () => {
    const imported = await hubstore(['import', ...repos, '--json'])
    expect(imported.status).toBe(0)
    const job = JSON.parse(imported.stdout) as Record<string, unknown>
    expect(job).toMatchObject({
      type: 'initial_import',
      status: 'succeeded',
      repositoriesProcessed: 2
    })
    expect((job.counts as Record<string, number>).commits).toBe(2)
    expect(job.restRequests as number).toBeGreaterThan(0)

    const synced = await hubstore(['sync', ...repos, '--min-interval', '0s'])
    expect(synced.status).toBe(0)
    expect(synced.stdout).toMatch(
      /^#2 periodic succeeded: 2 repositories, 0 REST requests, 1 GraphQL points/
    )
    expect(synced.stderr).toContain('hubstore: checked 2/2, 0 changed')

    const jobs = await inProcess(['jobs', '--limit', '5', '--json', '--database', database])
    expect(jobs.status).toBe(0)
    expect((JSON.parse(jobs.out) as Array<{ type: string }>).map((j) => j.type)).toEqual([
      'periodic',
      'initial_import'
    ])
    const failed = await inProcess(['jobs', '--status', 'failed', '--database', database])
    expect(failed.out.trim()).toBe('no jobs')

    const health = await inProcess(['health', '--json', '--database', database])
    expect(health.status).toBe(0)
    expect(JSON.parse(health.out)).toMatchObject({
      totalRepositories: 2,
      syncedRecently: 2,
      coveragePercent: 100,
      lastPeriodicSync: { id: 2, status: 'succeeded', repositoriesProcessed: 2 }
    })
    for (const out of [imported, synced]) expect(out.stdout + out.stderr).not.toContain(TOKEN)
  }, 60_000)

  it('sync --detect rest: the first check records the validators, the next is answered 304 for free', async () => {
    const first = await hubstore(['sync', ...repos, '--min-interval', '0s', '--detect', 'rest'])
    expect(first.status).toBe(0)
    expect(first.stdout).toMatch(/periodic succeeded: 2 repositories, 6 REST requests, 0 GraphQL/)
    const again = await hubstore(['sync', ...repos, '--min-interval', '0s', '--detect', 'rest'])
    expect(again.status).toBe(0)
    expect(again.stdout).toMatch(/periodic succeeded: 2 repositories, 0 REST requests, 0 GraphQL/)
    expect(again.stderr).toContain('(6 REST checks, 6 answered 304)')
    const bad = await inProcess(['sync', '--detect', 'sometimes', '--database', database])
    expect(bad.status).toBe(2)
    expect(bad.err).toContain('--detect takes one of auto, graphql, rest')
  })

  it('--help lists the subcommands and their flags', async () => {
    const help = await inProcess(['--help'])
    expect(help.status).toBe(0)
    for (const name of ['import', 'sync', 'jobs', 'health']) expect(help.out).toContain(name)
    const sync = await inProcess(['sync', '--help'])
    for (const flag of [
      '--database',
      '--repo',
      '--min-interval',
      '--reserve',
      '--detect',
      '--api-url',
      '--json'
    ])
      expect(sync.out).toContain(flag)
  })

  it('a bad --database, a bad --status, and no credentials are usage errors with the fix', async () => {
    const bad = await inProcess(['jobs', '--database', 'mysql://localhost/x'])
    expect(bad.status).toBe(2)
    expect(bad.err).toMatch(/^hubstore: INVALID_ACTIVITY_DATABASE: .*mysql:\/\/localhost\/x/)
    const status = await inProcess(['jobs', '--status', 'broken'])
    expect(status.status).toBe(2)
    expect(status.err).toContain(
      '--status takes one of running, succeeded, failed, stopped, interrupted'
    )
    const saved = {
      token: process.env.GITHUB_TOKEN,
      gh: process.env.GH_TOKEN,
      app: process.env.GITHUB_APP_ID
    }
    delete process.env.GITHUB_TOKEN
    delete process.env.GH_TOKEN
    delete process.env.GITHUB_APP_ID
    try {
      const none = await inProcess(['sync', '--database', database])
      expect(none.status).toBe(2)
      expect(none.err).toContain('GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY')
    } finally {
      if (saved.token !== undefined) process.env.GITHUB_TOKEN = saved.token
      if (saved.gh !== undefined) process.env.GH_TOKEN = saved.gh
      if (saved.app !== undefined) process.env.GITHUB_APP_ID = saved.app
    }
  })
})
