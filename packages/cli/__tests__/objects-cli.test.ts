import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createGitHubClient } from '@hubstore/core'
import { startEmulator, type Emulator } from '@hubstore/emulator'
import { runCli } from './support/in-process.js'

const bin = fileURLToPath(new URL('../bin/hubstore.js', import.meta.url))
let emulator: Emulator
let dir: string

const cliEnv = (env: Record<string, string | undefined>) => ({
  GITHUB_API_URL: emulator.url,
  GITHUB_TOKEN: 'cli-owner',
  GITHUB_REPOSITORY: 'octocat/cli-store',
  ...env
})

/** Runs the CLI in-process (support/in-process.ts): the exit code and what it printed. */
const hubstore = (
  args: string[],
  env: Record<string, string | undefined> = {}
): Promise<{ code: number; stdout: string; stderr: string }> => runCli(args, { env: cliEnv(env) })

/**
 * Runs bin/hubstore.js as a child, asynchronously (the emulator lives in this process, so never
 * spawnSync): for what only a process shows, its exit status.
 */
function spawned(
  args: string[],
  env: Record<string, string | undefined> = {}
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { encoding: 'utf8', timeout: 60_000, env: { ...process.env, ...cliEnv(env) } },
      (error, stdout, stderr) =>
        resolve({
          code: error ? Number((error as { code?: number }).code ?? 1) : 0,
          stdout,
          stderr
        })
    )
  })
}
const json = async (args: string[]) => {
  const r = await hubstore([...args, '--json'])
  expect(r.stderr).toBe('')
  expect(r.code).toBe(0)
  return JSON.parse(r.stdout)
}

beforeAll(async () => {
  emulator = await startEmulator()
  await emulator.admin.createRepo({ full_name: 'octocat/cli-store' })
  await emulator.admin.createToken({ token: 'cli-owner', login: 'octocat', permission: 'admin' })
  dir = await mkdtemp(join(tmpdir(), 'hubstore-cli-'))
})
afterAll(async () => {
  await emulator.close()
  await rm(dir, { recursive: true, force: true })
})

describe('hubstore objects / process-updates / snapshot', () => {
  it('objects create / get: the data comes back exactly as given — key order, __proto__, 1.0, non-ASCII as gh-store writes it (docs/gh-store-format.md §1.8)', async () => {
    const given =
      '{"2024": {"p": 1.0}, "10": "x", "1": "y", "__proto__": {"a": 1}, "driver": "R\u00e4ikk\u00f6nen"}'
    await emulator.admin.createRepo({ full_name: 'octocat/cli-exact' })
    const env = { GITHUB_REPOSITORY: 'octocat/cli-exact' }
    expect((await hubstore(['objects', 'create', 'exact', given], env)).code).toBe(0)
    const got = await hubstore(['objects', 'get', 'exact', '--json'], env)
    expect(got.code).toBe(0)
    const data = got.stdout.slice(got.stdout.indexOf('"data": '))
    expect(data).toBe(
      '"data": {\n    "2024": {\n      "p": 1.0\n    },\n    "10": "x",\n    "1": "y",\n' +
        '    "__proto__": {\n      "a": 1\n    },\n    "driver": "R\\u00e4ikk\\u00f6nen"\n  }\n}\n'
    )
    const refused = await hubstore(['objects', 'update', 'exact', '{"n": 1e309}'], env)
    expect(refused.code).not.toBe(0)
    expect(refused.stderr).toContain('the number 1e309 is beyond the range of a 64-bit float')
  })

  it.each([
    'objects',
    'objects create',
    'objects get',
    'objects update',
    'objects delete',
    'objects history',
    'objects list',
    'process-updates',
    'snapshot',
    'update-snapshot'
  ])('--help: "hubstore %s --help" prints usage with --repo, --token, --json', async (cmd) => {
    const r = await hubstore([...cmd.split(' '), '--help'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^Usage: hubstore/)
    if (cmd !== 'objects') expect(r.stdout).toMatch(/--repo[\s\S]*--token[\s\S]*--json/)
  })

  it('objects: create → update → process-updates → get, get --version, history, list, snapshot, update-snapshot, delete', async () => {
    const created = await json([
      'objects',
      'create',
      'metrics',
      '{"visits": 1}',
      '--labels',
      'team-a'
    ])
    expect(created).toMatchObject({ objectId: 'metrics', version: 1, data: { visits: 1 } })
    const queued = await json(['objects', 'update', 'metrics', '{"visits": 2}'])
    expect(queued).toMatchObject({ issueNumber: created.issueNumber, reopened: true })
    const processed = await json(['process-updates', '--issue', String(created.issueNumber)])
    expect(processed[0]).toMatchObject({ applied: [expect.any(Object)], data: { visits: 2 } })

    expect(await json(['objects', 'get', 'metrics'])).toMatchObject({
      version: 2,
      data: { visits: 2 }
    })
    expect(await json(['objects', 'get', 'metrics', '--version', '1'])).toMatchObject({
      version: 1,
      data: { visits: 1 }
    })
    const history = await json(['objects', 'history', 'metrics'])
    expect(history.map((e: { type: string }) => e.type)).toEqual(['initial_state', 'update'])

    const snapshotPath = join(dir, 'snapshot.json')
    const full = await json(['snapshot', '--output', snapshotPath])
    expect(full).toMatchObject({ mode: 'full', written: true, objects: 1, changed: ['metrics'] })
    const file = JSON.parse(await readFile(snapshotPath, 'utf8'))
    expect(file.objects.metrics.meta).toMatchObject({ object_id: 'metrics', version: 2 })

    const idle = await hubstore(['update-snapshot', '--snapshot-path', snapshotPath])
    expect(idle.stdout).toContain('No updates found since last snapshot')

    await json(['objects', 'create', 'other', '{"n": 1}'])
    await emulator.admin.advanceClock(5_000)
    const deleted = await json(['objects', 'delete', 'metrics'])
    expect(deleted).toMatchObject({ labels: ['archived', 'gh-store', 'UID:metrics'] })
    const inc = await json(['update-snapshot', '--snapshot-path', snapshotPath])
    expect(inc).toMatchObject({
      mode: 'incremental',
      written: true,
      changed: ['other'],
      removed: ['metrics']
    })

    const list = await json(['objects', 'list'])
    expect(list.objects.map((o: { objectId: string }) => o.objectId)).toEqual(['other'])
    const committed = await json(['snapshot', '--commit', '--output', 'data/store-snapshot.json'])
    expect(committed).toMatchObject({
      written: true,
      commitSha: expect.stringMatching(/^[0-9a-f]{40}$/)
    })
  })

  it('process-updates: an update older than an applied one is printed as rejected OUT_OF_ORDER with its reason', async () => {
    const created = await json(['objects', 'create', 'ordered', '{"n": 0}'])
    const older = await json(['objects', 'update', 'ordered', '{"n": 1}'])
    const newer = await json(['objects', 'update', 'ordered', '{"n": 2}'])
    // As a gh-store run that skipped the older comment would leave it: the newer one applied.
    const octokit = createGitHubClient({ token: 'cli-owner', baseUrl: emulator.url })
    await octokit.rest.reactions.createForIssueComment({
      owner: 'octocat',
      repo: 'cli-store',
      comment_id: newer.commentId,
      content: '+1'
    })
    const r = await hubstore(['process-updates', '--issue', String(created.issueNumber)])
    expect([r.code, r.stderr]).toEqual([0, ''])
    expect(r.stdout).toContain(`#${created.issueNumber} ordered: 0 applied, 1 rejected,`)
    expect(r.stdout).toContain(
      `  comment ${older.commentId} by octocat: OUT_OF_ORDER comment ${newer.commentId} (created`
    )
  })

  it('errors: a missing token, a missing object and bad JSON are one line each, exit 2', async () => {
    // in a child process: the exit status itself
    const noToken = await spawned(['objects', 'get', 'x'], { GITHUB_TOKEN: '' })
    expect([noToken.code, noToken.stderr.trim()]).toEqual([
      2,
      'hubstore: No GitHub token. Set GITHUB_TOKEN (or pass --token) to a token for the repository (for the emulator, a token made with hubstore emulator --token).'
    ])
    const missing = await hubstore(['objects', 'get', 'nope'])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toMatch(
      /^hubstore: OBJECT_NOT_FOUND: No object "nope" in octocat\/cli-store/
    )
    const badJson = await hubstore(['objects', 'create', 'x', '{nope'])
    expect(badJson.code).toBe(2)
    expect(badJson.stderr).toMatch(/^hubstore: <json> must be JSON/)
    const noSnapshot = await hubstore([
      'update-snapshot',
      '--snapshot-path',
      join(dir, 'absent.json')
    ])
    expect(noSnapshot.code).toBe(2)
    expect(noSnapshot.stderr).toMatch(/Snapshot file not found: .*absent\.json/)
  })
})
