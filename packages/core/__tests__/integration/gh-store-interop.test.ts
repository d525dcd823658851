import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import type { Emulator } from '@hubstore/emulator'
import {
  createObject,
  getObject,
  getObjectAt,
  getObjectHistory,
  listObjects,
  processUpdates,
  updateObject
} from '../../src/index.js'
import { createSnapshot, snapshotObjects } from '../../src/snapshot/index.js'
import { LAYOUTS, writeLayout } from '../fixtures/gh-store/layouts.js'
import { freshRepo, readIssue, startWorld } from '../support/emulator.js'

let emulator: Emulator
beforeAll(async () => {
  emulator = await startWorld()
})
afterAll(async () => emulator.close())

describe('gh-store interop: every historical layout', () => {
  it.each(LAYOUTS.map((l) => [l.name, l] as const))('%s', async (_name, layout) => {
    const { as } = await freshRepo(emulator)
    const ctx = as('octocat')
    const { issueNumber } = await writeLayout(ctx, layout)
    const { objectId, data, applied, rebuildable } = layout.expected
    const listing = await listObjects(ctx)

    if (objectId === undefined) {
      // Not addressable: reported (bare-label layout) or invisible (archived), never listed.
      expect(listing.objects).toEqual([])
      if (layout.issue.labels.includes('stored-object')) {
        expect(listing.skipped).toMatchObject([{ issueNumber, reason: 'NO_UID_LABEL' }])
        await expect(processUpdates(ctx, issueNumber)).rejects.toMatchObject({
          code: 'NOT_A_STORED_OBJECT'
        })
      }
      expect([...(await createSnapshot(ctx)).snapshot.objects.keys()]).toEqual([])
      return
    }

    // Read: found with state=all, with or without the gh-store label.
    expect(listing.objects.map((o) => o.meta.objectId)).toEqual([objectId])
    expect((await getObject(ctx, objectId)).meta.issueNumber).toBe(issueNumber)

    // Process: the queued comment is applied, earlier ones (+1) are not re-applied.
    const result = await processUpdates(ctx, issueNumber)
    expect(result.data).toEqual(data)
    expect(result.applied).toHaveLength(applied ?? 0)
    expect(result.rejected).toEqual([])
    const issue = await readIssue(ctx, issueNumber)
    expect(issue.state).toBe('closed')
    // gh-store ≥ 0.10 only sees issues labelled gh-store: processing added it.
    expect(issue.labels.map((l) => (typeof l === 'string' ? l : l.name))).toContain('gh-store')

    // Snapshot: the processed data, version = comment count.
    const snapshot = (await createSnapshot(ctx)).snapshot
    expect(snapshotObjects(snapshot)[objectId]).toMatchObject({
      data,
      meta: { issue_number: issueNumber, object_id: objectId, version: layout.comments.length }
    })

    // History: every comment is a change; versions rebuild when the initial state is recorded.
    const history = await getObjectHistory(ctx, objectId)
    expect(history.entries).toHaveLength(layout.comments.length)
    expect(history.entries.every((e) => e.status === 'applied')).toBe(true)
    const latest = getObjectAt(ctx, objectId, { version: layout.comments.length })
    if (rebuildable) expect((await latest).data).toEqual(data)
    else await expect(latest).rejects.toMatchObject({ code: 'HISTORY_INCOMPLETE' })
  })
})

describe('gh-store interop: what hubstore writes, gh-store reads', () => {
  it('createObject / updateObject: bodies and comments pass gh-store’s parsing and _meta validation (§2.1, §2.5), timestamps parse with Python’s fromisoformat', async () => {
    const { as } = await freshRepo(emulator)
    const ctx = as('octocat')
    const created = await createObject(ctx, 'shared', { a: { b: 1 } })
    await updateObject(ctx, 'shared', { a: { c: 2 } })
    const issue = await readIssue(ctx, created.meta.issueNumber)
    const labels = issue.labels.map((l) => (typeof l === 'string' ? l : l.name))
    // gh-store's queries: gh-store + stored-object + UID:<id>; the id is the first UID: label.
    expect(labels).toEqual(expect.arrayContaining(['gh-store', 'stored-object', 'UID:shared']))
    expect(labels.find((l) => l?.startsWith('UID:'))).toBe('UID:shared')
    expect(issue.title).toBe('Stored Object: shared')
    expect(JSON.parse(issue.body ?? '')).toEqual({ a: { b: 1 } })
    const comments = await ctx.octokit.paginate(ctx.octokit.rest.issues.listComments, {
      owner: ctx.owner,
      repo: ctx.repo,
      issue_number: issue.number
    })
    const timestamps: string[] = []
    for (const c of comments) {
      const payload = JSON.parse(c.body ?? '') as {
        _data: unknown
        _meta: Record<string, unknown>
        type?: string
      }
      expect(Object.keys(payload).slice(0, 2)).toEqual(['_data', '_meta'])
      // CommentHandler._validate_metadata: non-null client_version, timestamp, update_mode
      for (const key of ['client_version', 'timestamp', 'update_mode'])
        expect(payload._meta[key] ?? null).not.toBeNull()
      expect(payload._meta.update_mode).toBe('append')
      expect([undefined, 'initial_state']).toContain(payload.type)
      timestamps.push(String(payload._meta.timestamp))
    }
    if (spawnSync('python3', ['--version']).status === 0) {
      const run = spawnSync(
        'python3',
        [
          '-c',
          'import sys, datetime\nfor t in sys.argv[1:]: datetime.datetime.fromisoformat(t)\nprint("ok")',
          ...timestamps
        ],
        { encoding: 'utf8' }
      )
      expect(run.stdout.trim()).toBe('ok')
    }
  })
})
