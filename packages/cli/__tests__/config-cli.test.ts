import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createGitHubClient } from '@hubstore/core'
import { startEmulator, type Emulator } from '@hubstore/emulator'
import { runCli } from './support/in-process.js'

let emulator: Emulator
let dir: string

/** Runs the CLI in-process (support/in-process.ts): exit code and output. */
function hubstore(
  args: string[],
  env: Record<string, string | undefined> = {}
): Promise<{ code: number; stdout: string; stderr: string }> {
  return runCli(args, {
    env: {
      HOME: dir,
      GITHUB_API_URL: emulator.url,
      GITHUB_TOKEN: 'cfg-owner',
      GITHUB_REPOSITORY: 'octocat/cfg-store',
      ...env
    }
  })
}

beforeAll(async () => {
  emulator = await startEmulator()
  await emulator.admin.createToken({ token: 'cfg-owner', login: 'octocat', permission: 'admin' })
  dir = await mkdtemp(join(tmpdir(), 'hubstore-config-'))
})
afterAll(async () => {
  await emulator.close()
  await rm(dir, { recursive: true, force: true })
})

const CUSTOM = 'store:\n  base_label: my-store\n  uid_prefix: "ID:"\n  processed_reaction: rocket\n'

describe('hubstore --config: gh-store’s config.yml on the objects commands', () => {
  it('a store with base_label my-store, uid_prefix ID:, processed_reaction rocket: created, updated, processed (marked rocket) and snapshotted through the CLI with the configured labels and reactions', async () => {
    await emulator.admin.createRepo({ full_name: 'octocat/cfg-store' })
    const config = join(dir, 'custom.yml')
    await writeFile(config, CUSTOM)
    const run = async (args: string[]) => {
      const r = await hubstore([...args, '--config', config])
      expect({ args, stderr: r.stderr, code: r.code }).toEqual({ args, stderr: '', code: 0 })
      return r.stdout
    }
    await run(['objects', 'create', 'metrics', '{"count": 1}'])
    await run(['objects', 'update', 'metrics', '{"count": 2}'])
    const processed = JSON.parse(await run(['process-updates', '--json']))
    expect(processed).toHaveLength(1)
    const snapshotFile = join(dir, 'snapshot.json')
    await run(['snapshot', '--output', snapshotFile])

    const octokit = createGitHubClient({ token: 'cfg-owner', baseUrl: emulator.url })
    const at = { owner: 'octocat', repo: 'cfg-store' }
    const { data: issues } = await octokit.rest.issues.listForRepo({ ...at, state: 'all' })
    expect(issues).toHaveLength(1)
    expect(issues[0].labels.map((l) => (typeof l === 'string' ? l : l.name)).sort()).toEqual([
      'ID:metrics',
      'gh-store',
      'my-store'
    ])
    expect(issues[0].state).toBe('closed')
    expect(JSON.parse(issues[0].body ?? '')).toEqual({ count: 2 })
    const { data: comments } = await octokit.rest.issues.listComments({
      ...at,
      issue_number: issues[0].number
    })
    const reactions = async (id: number) =>
      (await octokit.rest.reactions.listForIssueComment({ ...at, comment_id: id })).data
        .map((r) => r.content)
        .sort()
    expect(await reactions(Number(comments[0].id))).toEqual(['rocket']) // initial state
    expect(await reactions(Number(comments[1].id))).toEqual(['rocket']) // the processed update: 🚀, no +1

    const snapshot = JSON.parse(await readFile(snapshotFile, 'utf8'))
    expect(Object.keys(snapshot.objects)).toEqual(['metrics'])
    expect(snapshot.objects.metrics.data).toEqual({ count: 2 })

    // without the config, gh-store's labels: this store's object is not seen
    const plain = await hubstore(['objects', 'get', 'metrics'])
    expect(plain.code).toBe(2)
    expect(plain.stderr).toContain('OBJECT_NOT_FOUND')
  })

  it('gh-store’s default location ~/.config/gh-store/config.yml is read when --config is absent', async () => {
    await emulator.admin.createRepo({ full_name: 'octocat/cfg-default' })
    const home = join(dir, 'home')
    await mkdir(join(home, '.config', 'gh-store'), { recursive: true })
    await writeFile(join(home, '.config', 'gh-store', 'config.yml'), CUSTOM)
    const env = { HOME: home, GITHUB_REPOSITORY: 'octocat/cfg-default' }
    expect((await hubstore(['objects', 'create', 'x', '{"a": 1}'], env)).code).toBe(0)
    const got = await hubstore(['objects', 'get', 'x', '--json'], env)
    expect(got.code).toBe(0)
    expect(JSON.parse(got.stdout)).toMatchObject({ objectId: 'x', data: { a: 1 } })
    const octokit = createGitHubClient({ token: 'cfg-owner', baseUrl: emulator.url })
    const { data: issues } = await octokit.rest.issues.listForRepo({
      owner: 'octocat',
      repo: 'cfg-default',
      labels: 'my-store,ID:x',
      state: 'all'
    })
    expect(issues).toHaveLength(1)
  })

  it('an invalid config.yml fails with the key and the fix (exit 2, one line); a missing --config file too', async () => {
    const bad = join(dir, 'bad.yml')
    await writeFile(bad, 'store:\n  reactions:\n    processed: thumbs\n')
    const r = await hubstore(['objects', 'get', 'x', '--config', bad])
    expect(r.code).toBe(2)
    expect(r.stderr).toBe(
      `hubstore: INVALID_STORE_CONFIG: ${bad}: key store.reactions.processed is invalid: ` +
        "expected one of GitHub's reactions: +1 -1 laugh confused heart hooray rocket eyes; " +
        'got string "thumbs".\n'
    )
    const missing = await hubstore(['objects', 'get', 'x', '--config', join(dir, 'nope.yml')])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain(`--config: cannot read ${join(dir, 'nope.yml')} (ENOENT)`)
  })

  it('store.rate_limit.max_requests_per_hour stops the command before the request over budget', async () => {
    await emulator.admin.createRepo({ full_name: 'octocat/cfg-budget' })
    const config = join(dir, 'budget.yml')
    await writeFile(config, 'store:\n  rate_limit:\n    max_requests_per_hour: 2\n')
    await emulator.admin.clearLedger()
    // create costs 5 requests: lookup, issue, comment, 2 reactions (then the close)
    const r = await hubstore(['objects', 'create', 'x', '{"a": 1}', '--config', config], {
      GITHUB_REPOSITORY: 'octocat/cfg-budget'
    })
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('hubstore: REQUEST_BUDGET_EXCEEDED: Stopped before POST ')
    expect(await emulator.admin.ledger()).toHaveLength(2)
  })
})
