/**
 * The sync-activity bundle (dist/sync-activity/index.js, built by `node
 * scripts/build-actions.mjs sync-activity`) run as the runner starts a step, against the
 * emulator over real HTTP: a real push payload (@octokit/webhooks-examples, rewritten to an
 * emulator repository) stores its commits and a rerun stores nothing twice; a sweep on a fresh
 * workspace restores the database from the data branch and completes the rows; outputs, the
 * job summary and the database are read back.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { runAction, type ActionRun } from '@hubstore/cli'
import { createGitHubClient } from '@hubstore/core'
import { openActivityDb, type ActivityDb } from '@hubstore/core/activity'
import { startEmulator, type Emulator } from '@hubstore/emulator'
import { mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const TOKEN = 'ghs_syncActivityDistinctToken7d2'
const OWNER_TOKEN = 'tok-sync-owner'
const REPO = 'octocat/activity-app'
let emulator: Emulator
const workspace = mkdtempSync(join(tmpdir(), 'hubstore-sync-activity-'))
const dbFile = join(workspace, 'hubstore-activity', 'activity.db')

beforeAll(async () => {
  emulator = await startEmulator()
  await emulator.admin.createRepo({ full_name: REPO })
  await emulator.admin.createToken({ token: OWNER_TOKEN, login: 'octocat', permission: 'admin' })
  await emulator.admin.createToken({
    token: TOKEN,
    login: 'github-actions[bot]',
    type: 'Bot',
    permission: 'write'
  })
})
afterAll(async () => {
  await emulator.close()
  rmSync(workspace, { recursive: true, force: true })
})

const owner = () =>
  createGitHubClient({ token: OWNER_TOKEN, baseUrl: emulator.url, throttle: { writeSpacingMs: 0 } })

function step(eventName: string, inputs: Record<string, string>, payload: unknown = {}) {
  return runAction({
    name: 'sync-activity',
    eventName,
    payload,
    inputs,
    repository: REPO,
    token: TOKEN,
    apiUrl: emulator.url,
    env: { GITHUB_WORKSPACE: workspace, XDG_CACHE_HOME: join(workspace, '.cache') },
    timeoutMs: 60_000
  })
}

async function withDb<T>(body: (db: ActivityDb) => Promise<T>): Promise<T> {
  const db = await openActivityDb(`sqlite:${dbFile}`)
  try {
    return await body(db)
  } finally {
    await db.close()
  }
}

/**
 * The `push` example of @octokit/webhooks-examples with its repository, commits, head commit
 * and refs replaced by the emulator's (`commits` oldest first, as a push payload lists them).
 */
async function pushPayload(before: string, shas: string[]): Promise<Record<string, unknown>> {
  // @hubstore/cli's test dependency (this package has none of its own)
  const require = createRequire(new URL('../../../packages/cli/package.json', import.meta.url))
  const defs = require('@octokit/webhooks-examples') as Array<{
    name: string
    examples: Array<Record<string, unknown>>
  }>
  const example = defs.find((d) => d.name === 'push')!.examples[0]!
  const { installation: _installation, ...shape } = example
  const octokit = owner()
  const [o, r] = REPO.split('/') as [string, string]
  const repository = (await octokit.rest.repos.get({ owner: o, repo: r })).data
  const template = ((shape.commits as Array<Record<string, unknown>>)[0] ?? {}) as Record<
    string,
    unknown
  >
  const commits = []
  for (const sha of shas) {
    const c = (await octokit.rest.repos.getCommit({ owner: o, repo: r, ref: sha })).data
    commits.push({
      ...template,
      id: c.sha,
      tree_id: c.commit.tree.sha,
      message: c.commit.message,
      timestamp: c.commit.committer?.date,
      url: c.html_url,
      author: { name: c.commit.author?.name, email: c.commit.author?.email, username: 'octocat' },
      committer: { name: c.commit.committer?.name, email: c.commit.committer?.email },
      added: [],
      removed: [],
      modified: c.files?.map((f) => f.filename) ?? []
    })
  }
  return JSON.parse(
    JSON.stringify({
      ...shape,
      ref: `refs/heads/${repository.default_branch}`,
      before,
      after: shas.at(-1),
      compare: `${emulator.url}/${REPO}/compare/${before.slice(0, 12)}...${shas.at(-1)!.slice(0, 12)}`,
      repository: { ...(shape.repository as object), ...repository },
      commits,
      head_commit: commits.at(-1)
    })
      .replaceAll('https://api.github.com', emulator.url)
      .replaceAll('https://github.com', emulator.url)
  ) as Record<string, unknown>
}

async function commitFile(path: string, text: string): Promise<string> {
  const [o, r] = REPO.split('/') as [string, string]
  const res = await owner().rest.repos.createOrUpdateFileContents({
    owner: o,
    repo: r,
    path,
    message: `write ${path}`,
    content: Buffer.from(text).toString('base64')
  })
  return res.data.commit.sha!
}

const counts = (run: ActionRun) => JSON.parse(run.outputs.counts ?? '{}') as Record<string, number>

describe('sync-activity action (bundle)', () => {
  let pushed: string[] = []
  let payload: Record<string, unknown> = {}

  it('mode event: a real push payload stores its commits; outputs and the summary say so', async () => {
    const [o, r] = REPO.split('/') as [string, string]
    const before = (await owner().rest.repos.getBranch({ owner: o, repo: r, branch: 'main' })).data
      .commit.sha
    pushed = [await commitFile('a.txt', 'one\n'), await commitFile('b.txt', 'two\n')]
    payload = await pushPayload(before, pushed)
    const run = await step('push', { mode: 'event' }, payload)
    expect(run.exitCode).toBe(0)
    expect(run.outputs).toMatchObject({ 'job-id': '1', status: 'succeeded' })
    expect(counts(run).commits).toBe(2)
    expect(run.outputs['rest-requests']).toBe('0')
    expect(run.summary).toContain('<h2>hubstore: sync-activity</h2>')
    expect(run.summary).toContain('Job #1 (webhook) succeeded')
    expect(run.summary).toContain(
      'started empty (no backup on `octocat/activity-app@hubstore-activity` yet)'
    )
    const rows = await withDb((db) =>
      db.all<{ sha: string }>('SELECT sha FROM commits ORDER BY sha')
    )
    expect(rows.map((c) => c.sha)).toEqual([...pushed].sort())
  })

  it('mode event: a rerun of the same payload is a duplicate and stores nothing new', async () => {
    const run = await step('push', { mode: 'event' }, payload)
    expect(run.exitCode).toBe(0)
    expect(run.outputs).toMatchObject({ 'job-id': '', status: 'duplicate', counts: '{}' })
    expect(run.summary).toContain('ingested before: no new job')
    const state = await withDb(async (db) => ({
      commits: (await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM commits'))!.n,
      deliveries: await db.all<{ receipts: number; status: string }>(
        'SELECT receipts, status FROM deliveries'
      ),
      jobs: (await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM sync_jobs'))!.n
    }))
    expect(Number(state.commits)).toBe(2)
    expect(state.deliveries).toEqual([{ receipts: 2, status: 'processed' }])
    expect(Number(state.jobs)).toBe(1)
  })

  it('mode sweep on a fresh workspace: the database comes back from the data branch and the rows are completed', async () => {
    const [o, r] = REPO.split('/') as [string, string]
    await owner().rest.issues.create({ owner: o, repo: r, title: 'Sweep <me> | please' })
    rmSync(join(workspace, 'hubstore-activity'), { recursive: true, force: true })
    const run = await step('schedule', { mode: 'sweep', 'min-interval': '0' })
    expect(run.exitCode).toBe(0)
    expect(run.outputs).toMatchObject({ 'job-id': '2', status: 'succeeded' })
    expect(Number(run.outputs['graphql-points'])).toBeGreaterThan(0)
    expect(run.summary).toMatch(
      /restored from backup `\S+` of `octocat\/activity-app@hubstore-activity`/
    )
    expect(run.summary).toContain('Job #2 (periodic) succeeded')
    const all = await owner().paginate(owner().rest.repos.listCommits, { owner: o, repo: r })
    const state = await withDb(async (db) => ({
      commits: await db.all<{ sha: string }>('SELECT sha FROM commits ORDER BY sha'),
      issues: await db.all<{ title: string }>('SELECT title FROM issues'),
      jobs: await db.all<{ id: number; type: string }>('SELECT id, type FROM sync_jobs ORDER BY id')
    }))
    expect(state.commits.map((c) => c.sha)).toEqual(all.map((c) => c.sha).sort())
    expect(state.issues.map((i) => i.title)).toEqual(['Sweep <me> | please'])
    expect(state.jobs.map((j) => j.type)).toEqual(['webhook', 'periodic'])
  })

  it('mode sweep, detect: rest — the first check records the validators, the next one is answered 304 and spends nothing', async () => {
    const first = await step('schedule', { mode: 'sweep', 'min-interval': '0', detect: 'rest' })
    expect(first.exitCode).toBe(0)
    // commits, issues and pull requests of the one repository, read plainly once
    expect(first.outputs).toMatchObject({
      status: 'succeeded',
      'rest-requests': '3',
      'graphql-points': '0'
    })
    const again = await step('schedule', { mode: 'sweep', 'min-interval': '0', detect: 'rest' })
    expect(again.outputs).toMatchObject({
      status: 'succeeded',
      'rest-requests': '0',
      'graphql-points': '0'
    })
    // detect: auto (the default) with /graphql refused: one log line says why it used REST
    const fault = await emulator.admin.addFault({ method: 'POST', route: '/graphql', status: 403 })
    const fallback = await step('schedule', { mode: 'sweep', 'min-interval': '0' })
    await emulator.admin.clearFaults(fault.id)
    expect(fallback.outputs).toMatchObject({ status: 'succeeded', 'rest-requests': '0' })
    expect(fallback.log).toContain(
      'token: checking with REST conditional requests instead of GraphQL: POST /graphql answered HTTP 403'
    )
    const bad = await step('schedule', { mode: 'sweep', detect: 'sometimes' })
    expect(bad.exitCode).toBe(1)
    expect(bad.annotations.map((a) => a.message).join('\n')).toContain('Input "detect"')
  })

  it('mode event on a schedule run fails naming the input; the token is in no log line', async () => {
    const run = await step('schedule', { mode: 'event' })
    expect(run.exitCode).toBe(1)
    expect(run.annotations.map((a) => a.message).join('\n')).toContain('Input "mode"')
    const shown = run.log.split('\n').filter((l) => !l.startsWith('::add-mask::'))
    expect(shown.filter((l) => l.includes(TOKEN))).toEqual([])
  })
})
