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

    const jobs = await hubstore(['jobs', '--limit', '5', '--json'])
    expect(jobs.status).toBe(0)
    expect((JSON.parse(jobs.stdout) as Array<{ type: string }>).map((j) => j.type)).toEqual([
      'periodic',
      'initial_import'
    ])
    const failed = await hubstore(['jobs', '--status', 'failed'])
    expect(failed.stdout.trim()).toBe('no jobs')

    const health = await hubstore(['health', '--json'])
    expect(health.status).toBe(0)
    expect(JSON.parse(health.stdout)).toMatchObject({
      totalRepositories: 2,
      syncedRecently: 2,
      coveragePercent: 100,
      lastPeriodicSync: { id: 2, status: 'succeeded', repositoriesProcessed: 2 }
    })
    for (const out of [imported, synced, jobs, health])
      expect(out.stdout + out.stderr).not.toContain(TOKEN)
  }, 60_000)

  it('--help lists the subcommands and their flags', async () => {
    const help = await hubstore(['--help'])
    expect(help.status).toBe(0)
    for (const name of ['import', 'sync', 'jobs', 'health']) expect(help.stdout).toContain(name)
    const sync = await hubstore(['sync', '--help'])
    for (const flag of [
      '--database',
      '--repo',
      '--min-interval',
      '--reserve',
      '--api-url',
      '--json'
    ])
      expect(sync.stdout).toContain(flag)
  })

  it('a bad --database, a bad --status, and no credentials are usage errors with the fix', async () => {
    const bad = await hubstore(['jobs', '--database', 'mysql://localhost/x'])
    expect(bad.status).toBe(2)
    expect(bad.stderr).toMatch(/^hubstore: INVALID_ACTIVITY_DATABASE: .*mysql:\/\/localhost\/x/)
    const status = await hubstore(['jobs', '--status', 'broken'])
    expect(status.status).toBe(2)
    expect(status.stderr).toContain('--status takes one of running, succeeded, failed, interrupted')
    const none = await hubstore(['sync'], { GITHUB_TOKEN: '' })
    expect(none.status).toBe(2)
    expect(none.stderr).toContain('GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY')
  })
})
