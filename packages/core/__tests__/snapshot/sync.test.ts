import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import type { Emulator } from '@hubstore/emulator'
import {
  createObject,
  deleteObject,
  getObject,
  getObjectAt,
  processUpdates,
  updateObject,
  type RepoContext,
  type Snapshot
} from '../../src/index.js'
import { readRepoFile } from '../../src/github/index.js'
import { createAlias } from '../../src/objects/index.js'
import {
  createSnapshot,
  parseSnapshot,
  serializeSnapshot,
  syncSnapshotFile,
  snapshotObjects,
  updateSnapshot
} from '../../src/snapshot/index.js'
import { freshRepo, startWorld } from '../support/emulator.js'

let emulator: Emulator
beforeAll(async () => {
  emulator = await startWorld()
})
afterAll(async () => emulator.close())

const PATH = 'data/store-snapshot.json'

async function routesOf<T>(operation: () => Promise<T>): Promise<{ value: T; routes: string[] }> {
  await emulator.admin.clearLedger()
  const value = await operation()
  return { value, routes: (await emulator.admin.ledger()).map((e) => `${e.method} ${e.route}`) }
}

async function fileOf(ctx: RepoContext, branch?: string): Promise<Snapshot> {
  const read = await readRepoFile(ctx, PATH, branch)
  if (!read.found) throw new Error('no snapshot file')
  return parseSnapshot(read.file.text, PATH)
}

/** Objects a, b, c (c with two updates) and d, an alias of a. */
async function store(ctx: RepoContext) {
  await createObject(ctx, 'a', { name: 'Ünïcode ✓', n: 1 })
  const b = await createObject(ctx, 'b', { n: 1 })
  const c = await createObject(ctx, 'c', { list: [1] })
  await createObject(ctx, 'd', { alias: true })
  await updateObject(ctx, 'c', { list: [1, 2] })
  await updateObject(ctx, 'c', { extra: { x: 1 } })
  await processUpdates(ctx, c.meta.issueNumber)
  await createAlias(ctx, 'd', 'a')
  return { b, c }
}

describe('snapshot', () => {
  it('createSnapshot: gh-store’s format — snapshot_time and issue times with +00:00, meta with issue_number, object_id, real version; relationships.aliases', async () => {
    const { as, owner, repo } = await freshRepo(emulator)
    const ctx = { ...as('octocat'), now: () => new Date('2020-02-03T04:05:06.789Z') }
    const { c } = await store(ctx)
    const result = await createSnapshot(ctx)
    const snapshot = result.snapshot
    expect(snapshot.snapshot_time).toBe('2020-02-03T04:05:06.789000+00:00')
    expect(snapshot.repository).toBe(`${owner}/${repo}`)
    // gh-store's order: newest issue first (behaviour change: hubstore wrote oldest first)
    expect([...snapshot.objects.keys()]).toEqual(['d', 'c', 'b', 'a'])
    expect(snapshotObjects(snapshot).c).toEqual({
      data: { list: [1, 2], extra: { x: 1 } },
      meta: {
        issue_number: c.meta.issueNumber,
        object_id: 'c',
        created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/),
        updated_at: expect.stringMatching(/\+00:00$/),
        version: 3
      }
    })
    expect(snapshot.relationships).toEqual({ aliases: { d: 'a' } })
    const text = serializeSnapshot(snapshot)
    expect(
      text.startsWith('{\n  "snapshot_time": "2020-02-03T04:05:06.789000+00:00",\n  "repository": ')
    ).toBe(true)
    expect(text).toContain('"name": "\\u00dcn\\u00efcode \\u2713"')
    expect(parseSnapshot(text, 'x')).toEqual(snapshot)
    expect(result).toMatchObject({ mode: 'full', changed: true, objects: 4, pendingIds: [] })
  })

  it('syncSnapshotFile: full then incremental — commits through the contents API, replaces changed entries, removes archived ones, keeps pending ones, writes only when something changed', async () => {
    const { as } = await freshRepo(emulator)
    const ctx = as('octocat')
    const { b } = await store(ctx)
    const { value: full, routes: fullRoutes } = await routesOf(() =>
      syncSnapshotFile(ctx, { path: PATH, mode: 'full' })
    )
    expect(full).toMatchObject({ outcome: 'written', objects: 4, changed: true, attempts: 1 })
    expect(full.commitSha).toMatch(/^[0-9a-f]{40}$/)
    expect(fullRoutes).toEqual([
      'GET /repos/{owner}/{repo}/contents/{path}',
      'GET /repos/{owner}/{repo}',
      'GET /repos/{owner}/{repo}/issues',
      'PUT /repos/{owner}/{repo}/contents/{path}'
    ])
    expect(full.requests).toBe(4)
    const first = await fileOf(ctx)
    expect(first).toEqual(full.snapshot)

    // Nothing changed: nothing written, snapshot_time untouched (gh-store §3.2 step 5).
    await emulator.admin.advanceClock(5_000)
    const idle = await syncSnapshotFile(ctx, { path: PATH, mode: 'incremental' })
    expect(idle).toMatchObject({ outcome: 'unchanged', changed: false, commitSha: undefined })
    expect((await fileOf(ctx)).snapshot_time).toBe(first.snapshot_time)

    // b has an update queued (open); a changes; c is deleted; e is new.
    await emulator.admin.advanceClock(120_000)
    await updateObject(ctx, 'a', { n: 2 })
    await processUpdates(ctx, (await getObject(ctx, 'a')).meta.issueNumber)
    await updateObject(ctx, 'b', { n: 2 })
    await deleteObject(ctx, 'c')
    await createObject(ctx, 'e', { fresh: true })
    expect((await getObject(ctx, 'b')).meta.state).toBe('open')
    const { value: inc, routes } = await routesOf(() =>
      syncSnapshotFile(ctx, { path: PATH, mode: 'incremental' })
    )
    expect(routes).toEqual([
      'GET /repos/{owner}/{repo}/contents/{path}',
      'GET /repos/{owner}/{repo}/issues',
      'GET /repos/{owner}/{repo}/issues',
      'PUT /repos/{owner}/{repo}/contents/{path}'
    ])
    expect(inc).toMatchObject({
      mode: 'incremental',
      outcome: 'written',
      changedIds: ['a', 'e'],
      removedIds: ['c'],
      pendingIds: ['b'],
      objects: 4
    })
    const second = await fileOf(ctx)
    expect(snapshotObjects(second).a.data).toEqual({ name: 'Ünïcode ✓', n: 2 })
    expect(snapshotObjects(second).a.meta.version).toBe(2)
    expect(snapshotObjects(second).b).toEqual(snapshotObjects(first).b)
    expect(snapshotObjects(second).c).toBeUndefined()
    expect(Date.parse(second.snapshot_time)).toBeGreaterThan(Date.parse(first.snapshot_time))

    // After processing b, incremental and full agree (snapshot_time aside).
    await processUpdates(ctx, b.meta.issueNumber)
    const after = await syncSnapshotFile(ctx, { path: PATH, mode: 'incremental' })
    expect(after.changedIds).toEqual(['b'])
    const fresh = await createSnapshot(ctx)
    expect({ ...(await fileOf(ctx)), snapshot_time: '' }).toEqual({
      ...fresh.snapshot,
      snapshot_time: ''
    })
    // Every snapshot version is a version getObjectAt can rebuild.
    const final = await fileOf(ctx)
    for (const [id, entry] of Object.entries(snapshotObjects(final)))
      expect((await getObjectAt(ctx, id, { version: entry.meta.version })).data).toEqual(entry.data)
  })

  it('updateSnapshot: the cut-off is taken before listing, so a change during the listing is picked up next time', async () => {
    const { as } = await freshRepo(emulator)
    const ctx = as('octocat')
    await createObject(ctx, 'x', { v: 1 })
    const base = (await createSnapshot(ctx)).snapshot
    await emulator.admin.advanceClock(120_000)
    const octokit = ctx.octokit
    let injected = false
    octokit.hook.after('request', async (_response, options) => {
      if (!injected && String(options.url).includes('/issues?')) {
        injected = true // another client changes x after our first listing page
        await createObject(as('octocat'), 'late', { v: 1 })
      }
    })
    const first = await updateSnapshot(ctx, base)
    await emulator.admin.advanceClock(1_000)
    const second = await updateSnapshot(ctx, first.snapshot)
    expect([...second.snapshot.objects.keys()]).toContain('late')
  })

  it('syncSnapshotFile: a branch other than the default is created from it, and the file lives only there', async () => {
    const { as } = await freshRepo(emulator)
    const ctx = as('octocat')
    await createObject(ctx, 'x', { v: 1 })
    const result = await syncSnapshotFile(ctx, {
      path: PATH,
      mode: 'incremental',
      branch: 'snapshots'
    })
    expect(result).toMatchObject({ outcome: 'written', mode: 'full' })
    expect(snapshotObjects(await fileOf(ctx, 'snapshots')).x.data).toEqual({ v: 1 })
    expect(await readRepoFile(ctx, PATH)).toEqual({ found: false, branchMissing: false })
    const { data: branch } = await ctx.octokit.rest.repos.getBranch({
      owner: ctx.owner,
      repo: ctx.repo,
      branch: 'snapshots'
    })
    expect(branch.commit.sha).toBe(result.commitSha)
  })

  it('syncSnapshotFile: a write that loses the compare-and-swap re-reads; an older file is overwritten, a newer one stands (superseded)', async () => {
    const { as, owner, repo } = await freshRepo(emulator)
    const ctx = as('octocat')
    await createObject(ctx, 'x', { v: 1 })
    await syncSnapshotFile(ctx, { path: PATH, mode: 'full' })
    await updateObject(ctx, 'x', { v: 2 })
    await processUpdates(ctx, (await getObject(ctx, 'x')).meta.issueNumber)

    const racing = (theirs: (ours: string) => string) => {
      const octokit = as('octocat').octokit
      let raced = false
      octokit.hook.before('request', async (options) => {
        if (!raced && options.method === 'PUT') {
          raced = true
          const current = await readRepoFile(ctx, PATH)
          if (current.found)
            await emulator.admin.putFile(`${owner}/${repo}`, PATH, theirs(current.file.text))
        }
      })
      return { ...ctx, octokit }
    }
    // The other writer's snapshot is older than ours: ours goes on top, after one conflict.
    await emulator.admin.clearLedger()
    const older = await syncSnapshotFile(
      racing((t) =>
        t.replace(/"snapshot_time": "[^"]+"/, '"snapshot_time": "2000-01-01T00:00:00+00:00"')
      ),
      { path: PATH, mode: 'full', retry: { baseMs: 1 } }
    )
    expect(older).toMatchObject({ outcome: 'written', attempts: 2 })
    const puts = (await emulator.admin.ledger()).filter((e) => e.method === 'PUT')
    expect(puts.map((e) => e.status)).toEqual([409, 200])
    expect(snapshotObjects(await fileOf(ctx)).x.data).toEqual({ v: 2 })

    // The other writer's snapshot is newer: it stands.
    await updateObject(ctx, 'x', { v: 3 })
    await processUpdates(ctx, (await getObject(ctx, 'x')).meta.issueNumber)
    const newer = await syncSnapshotFile(
      racing((t) =>
        t.replace(/"snapshot_time": "[^"]+"/, '"snapshot_time": "2999-01-01T00:00:00+00:00"')
      ),
      { path: PATH, mode: 'full', retry: { baseMs: 1 } }
    )
    expect(newer).toMatchObject({ outcome: 'superseded', changed: false })
    expect((await fileOf(ctx)).snapshot_time).toBe('2999-01-01T00:00:00+00:00')
  })

  it('syncSnapshotFile: a file that is not a snapshot is refused with INVALID_SNAPSHOT and left alone', async () => {
    const { as, owner, repo } = await freshRepo(emulator)
    const ctx = as('octocat')
    await emulator.admin.putFile(`${owner}/${repo}`, PATH, '{"objects": []}')
    await expect(syncSnapshotFile(ctx, { path: PATH, mode: 'incremental' })).rejects.toMatchObject({
      code: 'INVALID_SNAPSHOT',
      message: expect.stringContaining('field "snapshot_time"')
    })
  })

  it('snapshot: Python reads the file as gh-store does (json.load, datetime.fromisoformat on every timestamp)', async () => {
    const python = spawnSync('python3', ['--version'])
    if (python.status !== 0) return // no Python here: the format tests above still hold
    const { as } = await freshRepo(emulator)
    const ctx = as('octocat')
    await store(ctx)
    const text = serializeSnapshot((await createSnapshot(ctx)).snapshot)
    const script = [
      'import json, sys, datetime',
      's = json.load(sys.stdin)',
      'datetime.datetime.fromisoformat(s["snapshot_time"])',
      'for k, o in s["objects"].items():',
      '    datetime.datetime.fromisoformat(o["meta"]["created_at"])',
      '    datetime.datetime.fromisoformat(o["meta"]["updated_at"])',
      'print(len(s["objects"]), s["objects"]["a"]["data"]["name"])'
    ].join('\n')
    const run = spawnSync('python3', ['-c', script], { input: text, encoding: 'utf8' })
    expect(run.stderr).toBe('')
    expect(run.stdout.trim()).toBe('4 Ünïcode ✓')
    const same = spawnSync(
      'python3',
      [
        '-c',
        'import json,sys; t=sys.stdin.read(); print(json.dumps(json.loads(t), indent=2) == t)'
      ],
      { input: text, encoding: 'utf8' }
    )
    expect(same.stdout.trim()).toBe('True')
  })
})
