import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Emulator } from '@hubstore/emulator'
import {
  createObject,
  deleteObject,
  getObject,
  getObjectAt,
  getObjectHistory,
  listObjects,
  processUpdates,
  updateObject,
  type RepoContext
} from '../../src/index.js'
import { listUpdatedSince } from '../../src/objects/index.js'
import {
  createAlias,
  deduplicateObject,
  deprecateObject,
  findAliases,
  findDuplicates,
  resolveCanonicalObjectId
} from '../../src/objects/index.js'
import { comment, freshRepo, readIssue, startWorld } from '../support/emulator.js'

let emulator: Emulator
beforeAll(async () => {
  emulator = await startWorld()
})
afterAll(async () => emulator.close())

const catchCode = (p: Promise<unknown>) =>
  p.then(
    () => 'no error',
    (e: { code?: string; message: string }) => ({ code: e.code, message: e.message })
  )

async function rawIssue(ctx: RepoContext, id: string, body: string, labels?: string[]) {
  const { data } = await ctx.octokit.rest.issues.create({
    owner: ctx.owner,
    repo: ctx.repo,
    title: `Stored Object: ${id}`,
    body,
    labels: labels ?? ['gh-store', 'stored-object', `UID:${id}`]
  })
  return data.number
}

async function cost<T>(operation: () => Promise<T>): Promise<{ value: T; routes: string[] }> {
  await emulator.admin.clearLedger()
  const value = await operation()
  return { value, routes: (await emulator.admin.ledger()).map((e) => `${e.method} ${e.route}`) }
}

describe('listObjects', () => {
  it('listObjects: reads every page, open and closed objects, leaves out archived ones, skips and reports non-JSON bodies, UID-less issues and duplicates', async () => {
    const { as } = await freshRepo(emulator)
    const ctx = as('octocat')
    const many = 130
    for (let i = 0; i < many; i++) await rawIssue(ctx, `item-${i}`, JSON.stringify({ i }))
    const idle = await createObject(ctx, 'idle', { v: 1 })
    await createObject(ctx, 'queued', { v: 1 })
    await updateObject(ctx, 'queued', { v: 2 }) // open: listed with its last processed body
    const broken = await rawIssue(ctx, 'broken', 'not json')
    const bare = await rawIssue(ctx, 'bare', '{}', ['stored-object', 'bare'])
    const twin = await rawIssue(ctx, 'item-3', '{"twin":true}')
    await createObject(ctx, 'gone', { v: 1 })
    await deleteObject(ctx, 'gone')

    const progress: number[] = []
    const { value: listing, routes } = await cost(() =>
      listObjects(ctx, { onProgress: (p) => progress.push(p.issues) })
    )
    // The one open object's comments: its queued update is not a version yet (issue 11 item 5).
    expect(routes).toEqual([
      ...Array(2).fill('GET /repos/{owner}/{repo}/issues'),
      'GET /repos/{owner}/{repo}/issues/{issue_number}/comments'
    ])
    expect(progress).toEqual([100, many + 5])
    const ids = listing.objects.map((o) => o.meta.objectId)
    expect(ids).toHaveLength(many + 2)
    expect(ids).toEqual(expect.arrayContaining(['idle', 'queued', 'item-0', 'item-129']))
    expect(ids).not.toContain('gone')
    expect(listing.objects.find((o) => o.meta.objectId === 'item-3')?.data).toEqual({ i: 3 })
    expect(listing.objects.find((o) => o.meta.objectId === 'idle')?.meta).toMatchObject({
      issueNumber: idle.meta.issueNumber,
      state: 'closed',
      version: 1
    })
    expect(listing.objects.find((o) => o.meta.objectId === 'queued')?.meta).toMatchObject({
      state: 'open',
      version: 1
    })
    const free = await cost(() => listObjects(ctx, { versions: 'comments' }))
    expect(free.routes).toEqual(Array(2).fill('GET /repos/{owner}/{repo}/issues'))
    expect(free.value.objects.find((o) => o.meta.objectId === 'queued')?.meta.version).toBe(2)
    expect(listing.skipped.map((s) => [s.issueNumber, s.reason])).toEqual([
      [broken, 'INVALID_OBJECT_BODY'],
      [bare, 'NO_UID_LABEL']
    ])
    expect(listing.duplicates).toEqual([
      { objectId: 'item-3', issueNumbers: [expect.any(Number), twin] }
    ])
    expect(
      (await listObjects(ctx, { state: 'closed' })).objects.map((o) => o.meta.objectId)
    ).not.toContain('queued')
    expect(await findDuplicates(ctx)).toEqual(listing.duplicates)
  })

  it('listUpdatedSince: returns only objects whose issue changed after the date', async () => {
    const { as } = await freshRepo(emulator)
    const ctx = as('octocat')
    await createObject(ctx, 'old', { v: 1 })
    await createObject(ctx, 'touched', { v: 1 })
    const clock = Date.parse(await emulator.admin.advanceClock(0))
    await emulator.admin.advanceClock(5_000)
    await updateObject(ctx, 'touched', { v: 2 })
    await processUpdates(ctx, (await getObject(ctx, 'touched')).meta.issueNumber)
    await createObject(ctx, 'new', { v: 1 })
    const { value, routes } = await cost(() => listUpdatedSince(ctx, new Date(clock + 1000)))
    expect(routes).toEqual(['GET /repos/{owner}/{repo}/issues'])
    expect(value.objects.map((o) => [o.meta.objectId, o.data])).toEqual([
      ['touched', { v: 2 }],
      ['new', { v: 1 }]
    ])
    expect(await catchCode(listUpdatedSince(ctx, 'yesterday'))).toMatchObject({
      code: 'INVALID_OPTIONS'
    })
  })

  it('listObjects: an open object is listed at the version its body holds — applied and rejected comments count, queued updates do not', async () => {
    const { as } = await freshRepo(emulator)
    const ctx = as('octocat')
    const n = (await createObject(ctx, 'counted', { v: 1 })).meta.issueNumber // version 1
    await updateObject(ctx, 'counted', { v: 2 }) // 2
    await comment(ctx, n, 'not json, rejected') // 3
    await processUpdates(ctx, n)
    await comment(ctx, n, 'a remark') // 4: no change, but a version as in getObjectAt
    await updateObject(ctx, 'counted', { v: 3 }) // 5, queued
    await updateObject(ctx, 'counted', { v: 4 }) // 6, queued
    const version = async () =>
      (await listObjects(ctx)).objects.find((o) => o.meta.objectId === 'counted')?.meta.version
    expect(await version()).toBe(4)
    expect((await getObjectAt(ctx, 'counted', { version: 4 })).data).toEqual({ v: 2 })
    expect((await listUpdatedSince(ctx, '2000-01-01T00:00:00Z')).objects[0]?.meta.version).toBe(4)
    await processUpdates(ctx, n)
    expect(await version()).toBe(6)
  })
})

describe('deleteObject', () => {
  it('deleteObject: archives with gh-store’s labels in one PATCH (no 404 after success); the object disappears', async () => {
    const { as } = await freshRepo(emulator)
    const ctx = as('octocat')
    const created = await createObject(ctx, 'doomed', { v: 1 }, { extraLabels: ['team-x'] })
    await updateObject(ctx, 'doomed', { v: 2 })
    const { value, routes } = await cost(() => deleteObject(ctx, 'doomed'))
    expect(routes).toEqual([
      'GET /repos/{owner}/{repo}/issues',
      'PATCH /repos/{owner}/{repo}/issues/{issue_number}'
    ])
    expect(value).toEqual({
      objectId: 'doomed',
      issueNumber: created.meta.issueNumber,
      labels: ['archived', 'gh-store', 'UID:doomed']
    })
    const issue = await readIssue(ctx, created.meta.issueNumber)
    expect(issue.state).toBe('closed')
    expect(await catchCode(getObject(ctx, 'doomed'))).toMatchObject({ code: 'OBJECT_NOT_FOUND' })
    expect(await catchCode(deleteObject(ctx, 'doomed'))).toMatchObject({
      code: 'OBJECT_NOT_FOUND'
    })
  })
})

describe('history', () => {
  it('getObjectAt: rebuilds every one of 21 versions of an object that went through 20 updates, by version and by date', async () => {
    const { as } = await freshRepo(emulator)
    const ctx = as('octocat')
    const recorded: Array<{ data: unknown; at: string }> = []
    const created = await createObject(ctx, 'evolving', { count: 0, tags: [], nested: { a: 0 } })
    recorded.push({ data: created.data, at: await emulator.admin.advanceClock(0) })
    for (let i = 1; i <= 20; i++) {
      await emulator.admin.advanceClock(2_000)
      const changes =
        i % 7 === 0
          ? { count: i, reset: true }
          : { count: i, tags: [`t${i}`], nested: { [`k${i}`]: i } }
      await updateObject(ctx, 'evolving', changes, { mode: i % 7 === 0 ? 'replace' : 'append' })
      const result = await processUpdates(ctx, created.meta.issueNumber)
      recorded.push({ data: result.data, at: await emulator.admin.advanceClock(0) })
    }
    const latest = await getObject(ctx, 'evolving')
    expect(latest.meta.version).toBe(21)

    const history = await getObjectHistory(ctx, 'evolving')
    expect(history.latestVersion).toBe(21)
    expect(history.entries.map((e) => [e.version, e.type, e.status])).toEqual([
      [1, 'initial_state', 'applied'],
      ...Array.from({ length: 20 }, (_, i) => [i + 2, 'update', 'applied'])
    ])
    expect(history.entries[1]).toMatchObject({
      data: { count: 1, tags: ['t1'], nested: { k1: 1 } },
      mode: 'append',
      author: 'octocat',
      commentId: expect.any(Number),
      timestamp: expect.stringMatching(/Z$/)
    })

    const { routes } = await cost(() => getObjectAt(ctx, 'evolving', { version: 1 }))
    // + 1 GraphQL request: who reacted to the 20 processed updates (the owner: no permission lookup).
    expect(routes).toEqual([
      'GET /repos/{owner}/{repo}/issues',
      'GET /repos/{owner}/{repo}/issues/{issue_number}/comments',
      'POST /graphql'
    ])
    for (let v = 1; v <= 21; v++) {
      const at = await getObjectAt(ctx, 'evolving', { version: v })
      expect([v, at.version, at.data]).toEqual([v, v, recorded[v - 1].data])
      const byDate = await getObjectAt(ctx, 'evolving', { date: recorded[v - 1].at })
      expect([v, byDate.data]).toEqual([v, recorded[v - 1].data])
    }
    expect(await catchCode(getObjectAt(ctx, 'evolving', { version: 22 }))).toMatchObject({
      code: 'VERSION_NOT_FOUND'
    })
    expect(
      await catchCode(getObjectAt(ctx, 'evolving', { date: '2000-01-01T00:00:00Z' }))
    ).toMatchObject({ code: 'VERSION_NOT_FOUND' })
  })

  it('getObjectHistory: reports rejected and pending updates, leaves out chatter, and getObjectAt skips them', async () => {
    const { as } = await freshRepo(emulator)
    const ctx = as('octocat')
    const created = await createObject(ctx, 'h', { a: 1 })
    await updateObject(as('mallory'), 'h', { a: 666 })
    await comment(ctx, created.meta.issueNumber, 'looks good to me')
    await updateObject(ctx, 'h', { b: 2 })
    await processUpdates(ctx, created.meta.issueNumber)
    await updateObject(ctx, 'h', { c: 3 }) // pending
    const history = await getObjectHistory(ctx, 'h')
    expect(history.latestVersion).toBe(5)
    expect(history.entries.map((e) => [e.version, e.status, e.author])).toEqual([
      [1, 'applied', 'octocat'],
      [2, 'rejected', 'mallory'],
      [4, 'applied', 'octocat'],
      [5, 'pending', 'octocat']
    ])
    expect((await getObjectAt(ctx, 'h', { version: 3 })).data).toEqual({ a: 1 })
    expect((await getObjectAt(ctx, 'h', { version: 4 })).data).toEqual({ a: 1, b: 2 })
    expect((await getObjectAt(ctx, 'h', { version: 5 })).data).toEqual({ a: 1, b: 2 })
  })
})

describe('aliases and deduplication', () => {
  it('createAlias / resolveCanonicalObjectId / findAliases: gh-store’s ALIAS-TO: labels, chains followed, cycles refused', async () => {
    const { as } = await freshRepo(emulator)
    const ctx = as('octocat')
    for (const id of ['a', 'b', 'c']) await createObject(ctx, id, { id })
    expect(await createAlias(ctx, 'a', 'b')).toMatchObject({
      success: true,
      sourceId: 'a',
      targetId: 'b'
    })
    await createAlias(ctx, 'b', 'c')
    expect(await resolveCanonicalObjectId(ctx, 'a')).toBe('c')
    expect(await resolveCanonicalObjectId(ctx, 'c')).toBe('c')
    expect(await findAliases(ctx)).toEqual({ a: 'b', b: 'c' })
    const { data: labels } = await ctx.octokit.rest.issues.getLabel({
      owner: ctx.owner,
      repo: ctx.repo,
      name: 'ALIAS-TO:b'
    })
    expect(labels.color).toBe('fbca04')
    expect(await catchCode(createAlias(ctx, 'c', 'a'))).toEqual({
      code: 'INVALID_ALIAS',
      message: 'Cannot link object "c" to "a": it would close the cycle c → a → b → c.'
    })
    expect(await catchCode(createAlias(ctx, 'a', 'c'))).toMatchObject({
      code: 'INVALID_ALIAS',
      message: expect.stringContaining('already an alias of "b"')
    })
    expect(await catchCode(createAlias(ctx, 'a', 'a'))).toMatchObject({ code: 'INVALID_ALIAS' })
    // A cycle made by hand (gh-store never checked) is cut, not followed forever.
    const cIssue = (await getObject(ctx, 'c')).meta.issueNumber
    await ctx.octokit.rest.issues.addLabels({
      owner: ctx.owner,
      repo: ctx.repo,
      issue_number: cIssue,
      labels: ['ALIAS-TO:a']
    })
    expect(await resolveCanonicalObjectId(ctx, 'a')).toBe('a')
  })

  it('deduplicateObject / deprecateObject: the oldest issue stays; others get deprecated-object, MERGED-INTO:, DEPRECATED-BY: and lose stored-object', async () => {
    const { as } = await freshRepo(emulator)
    const ctx = as('octocat')
    const first = await rawIssue(ctx, 'dup', '{"n":1}')
    const second = await rawIssue(ctx, 'dup', '{"n":2}')
    expect(await catchCode(getObject(ctx, 'dup'))).toMatchObject({ code: 'DUPLICATE_OBJECT_ID' })
    const result = await deduplicateObject(ctx, 'dup')
    expect(result).toMatchObject({ canonicalIssue: first, duplicatesProcessed: 1 })
    const labels = (await readIssue(ctx, second)).labels.map((l) =>
      typeof l === 'string' ? l : l.name
    )
    expect(labels.sort()).toEqual(
      [
        'DEPRECATED-BY:' + first,
        'MERGED-INTO:dup',
        'UID:dup',
        'deprecated-object',
        'gh-store'
      ].sort()
    )
    expect((await getObject(ctx, 'dup')).data).toEqual({ n: 1 })
    expect(await deduplicateObject(ctx, 'dup')).toMatchObject({ duplicatesProcessed: 0 })

    await createObject(ctx, 'old-name', { v: 1 })
    await createObject(ctx, 'new-name', { v: 2 })
    expect(await deprecateObject(ctx, 'old-name', 'new-name', 'replaced')).toMatchObject({
      sourceObjectId: 'old-name',
      targetObjectId: 'new-name',
      reason: 'replaced'
    })
    expect(await catchCode(getObject(ctx, 'old-name'))).toMatchObject({ code: 'OBJECT_NOT_FOUND' })
    const listing = await listObjects(ctx)
    expect(listing.objects.map((o) => o.meta.objectId).sort()).toEqual(['dup', 'new-name'])
    expect(await catchCode(deprecateObject(ctx, 'dup', 'dup'))).toMatchObject({
      code: 'INVALID_ALIAS'
    })
  })
})
