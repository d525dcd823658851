/**
 * Data comes back exactly as it went in (docs/gh-store-format.md §1.8): a store written the way
 * gh-store's Python client writes it — an F1 record with `constructor`, `prototype`, `__proto__`,
 * integer-like keys, non-ASCII text and floats such as `1.0` and `1e+16`, and an object whose id
 * is integer-like — round-trips through get, update, process and snapshot byte for byte, and no
 * prototype is touched on the way.
 *
 * Where the expected bytes (in ../fixtures/gh-store/f1-store.ts) come from:
 * - BODY, BODY_42 and AFTER were printed by CPython 3's `json.dumps(value, indent=2)`, the call
 *   gh-store makes for a body (`IssueHandler.create_object`, `update_issue_body`); AFTER is
 *   `json.dumps(_deep_merge(json.loads(BODY), CHANGES), indent=2)` with gh-store's
 *   `CommentHandler._deep_merge` (§2.5, §2.6).
 * - The comments and the snapshot are assembled there from those texts the way `json.dumps`
 *   nests them: a nested value's lines are indented by its depth (2 spaces per level), keys in
 *   the order gh-store's code builds them (`_data`, `_meta`, `type`; `snapshot_time`,
 *   `repository`, `objects` listed newest issue first as `repo.get_issues` returns them, each
 *   `{data, meta: {issue_number, object_id, created_at, updated_at, version}}`, §3.1) and
 *   timestamps as PyGithub's `isoformat()` gives GitHub's (`+00:00`). gh-store writes
 *   `version` 1 in snapshots where hubstore writes the comment count: that is compared aside.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Emulator } from '@hubstore/emulator'
import { getObject, processUpdates, updateObject } from '../../src/index.js'
import { CLIENT_VERSION } from '../../src/objects/constants.js'
import { parseJson, type JsonMap } from '../../src/objects/index.js'
import { createSnapshot, serializeSnapshot, updateSnapshot } from '../../src/snapshot/index.js'
import {
  AFTER,
  BODY,
  BODY_42,
  CHANGES,
  ghStoreSnapshot,
  nest,
  pythonCreate,
  versionAside
} from '../fixtures/gh-store/f1-store.js'
import { freshRepo, readIssue, startWorld } from '../support/emulator.js'

const prototypeNames = Object.getOwnPropertyNames(Object.prototype).sort()

let emulator: Emulator
beforeAll(async () => {
  emulator = await startWorld()
})
afterAll(async () => emulator.close())

describe('exact data (docs/gh-store-format.md §1.8)', () => {
  it('get, update, process, snapshot: a gh-store store round-trips byte for byte, constructor/prototype/__proto__ and integer-like keys included, and no prototype is polluted', async () => {
    const { as } = await freshRepo(emulator)
    const ctx = as('octocat')
    const f1 = await pythonCreate(ctx, 'f1-2024', BODY)
    const small = await pythonCreate(ctx, '42', BODY_42)

    // get: the exact text, and plain data whose every key is an own property
    const got = await getObject(ctx, 'f1-2024')
    expect(got.json).toBe(BODY)
    expect(Object.keys(got.data)).toEqual(
      expect.arrayContaining(['constructor', 'prototype', '__proto__', '2024', '10', '1'])
    )
    expect(Object.getPrototypeOf(got.data)).toBe(Object.prototype)
    expect((got.data.constructor as { name: string }).name).toBe('Scuderia Ferrari')
    expect(Object.getOwnPropertyDescriptor(got.data, '__proto__')?.value).toEqual({
      polluted: true
    })
    expect((await getObject(ctx, '42')).json).toBe(BODY_42)

    // snapshot of the store gh-store's client wrote = gh-store's own snapshot of it
    const first = (await createSnapshot(ctx)).snapshot
    expect(first.snapshot_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$/)
    const ghStoreFirst = await ghStoreSnapshot(ctx, first.snapshot_time, [
      { id: '42', issueNumber: small.issueNumber },
      { id: 'f1-2024', issueNumber: f1.issueNumber }
    ])
    expect(versionAside(serializeSnapshot(first))).toBe(ghStoreFirst)

    // update: the comment is the one gh-store's Python client posts (hubstore's version and clock)
    const at = new Date('2026-12-02T06:00:00.000Z')
    const queued = await updateObject(
      { ...ctx, now: () => at },
      'f1-2024',
      parseJson(CHANGES) as JsonMap
    )
    const { data: posted } = await ctx.octokit.rest.issues.getComment({
      owner: ctx.owner,
      repo: ctx.repo,
      comment_id: queued.commentId
    })
    expect(posted.body).toBe(
      `{\n  "_data": ${nest(CHANGES, 1)},\n  "_meta": {\n    "client_version": "${CLIENT_VERSION}",\n` +
        `    "timestamp": "${at.toISOString()}",\n    "update_mode": "append",\n` +
        `    "issue_number": ${f1.issueNumber}\n  }\n}`
    )

    // process: the body gh-store's processor would write
    const processed = await processUpdates(ctx, f1.issueNumber)
    expect(processed.applied).toHaveLength(1)
    expect(processed.json).toBe(AFTER)
    expect((await readIssue(ctx, f1.issueNumber)).body).toBe(AFTER)
    expect((await getObject(ctx, 'f1-2024')).json).toBe(AFTER)

    // snapshot again, full and incremental: still gh-store's bytes
    const second = (await createSnapshot(ctx)).snapshot
    const ghStoreSecond = await ghStoreSnapshot(ctx, second.snapshot_time, [
      { id: '42', issueNumber: small.issueNumber },
      { id: 'f1-2024', issueNumber: f1.issueNumber }
    ])
    expect(versionAside(serializeSnapshot(second))).toBe(ghStoreSecond)
    // gh-store's update-snapshot replaces the entry in place (§3.2): the same bytes
    const incremental = (await updateSnapshot(ctx, first)).snapshot
    expect(versionAside(serializeSnapshot(incremental))).toBe(
      ghStoreSecond.replace(second.snapshot_time, incremental.snapshot_time)
    )

    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(({} as Record<string, unknown>).x).toBeUndefined()
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeNames)
    expect(Object.getPrototypeOf({})).toBe(Object.prototype)
  })

  it('processUpdates: a queued number a double cannot hold is rejected naming its path, and the body is untouched', async () => {
    const { as } = await freshRepo(emulator)
    const ctx = as('octocat')
    const f1 = await pythonCreate(ctx, 'f1', BODY)
    for (const body of [
      '{"laps": {"fastest": 1e309}}',
      '{"id": 12345678901234567890}',
      '{"t": 1e-400}'
    ])
      await ctx.octokit.rest.issues.createComment({
        owner: ctx.owner,
        repo: ctx.repo,
        issue_number: f1.issueNumber,
        body
      })
    const result = await processUpdates(ctx, f1.issueNumber)
    expect(result.rejected.map((r) => [r.code, r.reason.replace(/ \(position \d+\)/, '')])).toEqual(
      [
        [
          'NUMBER_OUT_OF_RANGE',
          'the number 1e309 is beyond the range of a 64-bit float; a JSON number must be one a 64-bit float holds at laps.fastest'
        ],
        [
          'NUMBER_OUT_OF_RANGE',
          'the number 12345678901234567890 cannot be held exactly (the nearest 64-bit float is 12345678901234567168); a JSON number must be one a 64-bit float holds at id'
        ],
        [
          'NUMBER_OUT_OF_RANGE',
          'the number 1e-400 is too small for a 64-bit float (it would read as 0); a JSON number must be one a 64-bit float holds at t'
        ]
      ]
    )
    expect((await readIssue(ctx, f1.issueNumber)).body).toBe(BODY)
  })
})
