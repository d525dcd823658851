import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Emulator } from '@hubstore/emulator'
import {
  createObject,
  getObject,
  processOpenObjects,
  processUpdates,
  updateObject,
  type SweepProgress
} from '../../src/index.js'
import { CLIENT_VERSION } from '../../src/objects/constants.js'
import { comment, freshRepo, reactionsOf, readIssue, startWorld } from '../support/emulator.js'

const COMMIT = 'POST /repos/{owner}/{repo}/git/commits'
const PATCH_REF = 'PATCH /repos/{owner}/{repo}/git/refs/{ref}'
/** The lease of a processing run: read + take (create, or fast-forward), release. */
const LEASE_TAKE = ['POST /graphql', COMMIT, 'POST /repos/{owner}/{repo}/git/refs']
const LEASE_AGAIN = ['POST /graphql', COMMIT, PATCH_REF]
const LEASE_RELEASE = [COMMIT, PATCH_REF]

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

describe('createObject', () => {
  it('createObject: writes gh-store’s layout — title, 2-space body, labels, initial-state comment, +1 and rocket, closed', async () => {
    const { as } = await freshRepo(emulator)
    const ctx = { ...as('octocat'), now: () => new Date('2025-04-10T12:00:00.000Z') }
    const created = await createObject(
      ctx,
      'metrics',
      { count: 1, tags: ['a'] },
      { extraLabels: ['team-x'] }
    )
    expect(created.data).toEqual({ count: 1, tags: ['a'] })
    expect(created.meta).toMatchObject({
      objectId: 'metrics',
      label: 'UID:metrics',
      state: 'closed'
    })

    const issue = await readIssue(ctx, created.meta.issueNumber)
    expect(issue.title).toBe('Stored Object: metrics')
    expect(issue.body).toBe('{\n  "count": 1,\n  "tags": [\n    "a"\n  ]\n}')
    expect(issue.labels.map((l) => (typeof l === 'string' ? l : l.name))).toEqual(
      expect.arrayContaining(['gh-store', 'stored-object', 'UID:metrics', 'team-x'])
    )
    expect(issue.state).toBe('closed')

    const { data: comments } = await ctx.octokit.rest.issues.listComments({
      owner: ctx.owner,
      repo: ctx.repo,
      issue_number: issue.number
    })
    expect(comments).toHaveLength(1)
    expect(comments[0].body).toBe(
      JSON.stringify(
        {
          _data: { count: 1, tags: ['a'] },
          _meta: {
            client_version: CLIENT_VERSION,
            timestamp: '2025-04-10T12:00:00.000Z',
            update_mode: 'append',
            issue_number: issue.number
          },
          type: 'initial_state'
        },
        null,
        2
      )
    )
    expect(await reactionsOf(ctx, Number(comments[0].id))).toEqual([
      '+1 by octocat',
      'rocket by octocat'
    ])
  })

  it('createObject: refuses an existing id (OBJECT_ALREADY_EXISTS) and invalid ids or data before any write', async () => {
    const { as } = await freshRepo(emulator)
    const ctx = as('octocat')
    const created = await createObject(ctx, 'dup', { a: 1 })
    expect(await catchCode(createObject(ctx, 'dup', { a: 2 }))).toEqual({
      code: 'OBJECT_ALREADY_EXISTS',
      message: `Object "dup" already exists as issue #${created.meta.issueNumber}. Use hubstore objects update (updateObject in code) to change it, or pick another id.`
    })
    await emulator.admin.clearLedger()
    expect(await catchCode(createObject(ctx, 'a,b', {}))).toMatchObject({
      code: 'INVALID_OBJECT_ID'
    })
    expect(await catchCode(createObject(ctx, 'x', [] as never))).toMatchObject({
      code: 'INVALID_OBJECT_DATA'
    })
    // `__proto__` is data now (docs/gh-store-format.md §1.8); what JSON cannot hold is refused
    expect(await catchCode(createObject(ctx, 'x', { best: { lap: Number.NaN } }))).toMatchObject({
      code: 'INVALID_OBJECT_DATA',
      message: expect.stringContaining('best.lap: NaN is not a JSON number')
    })
    expect(await catchCode(createObject(ctx, 'big', { blob: 'x'.repeat(65_530) }))).toMatchObject({
      code: 'OBJECT_TOO_LARGE',
      message: expect.stringMatching(
        /The issue body for object "big" would be 65546 characters; GitHub accepts at most 65536/
      )
    })
    expect(await emulator.admin.ledger()).toEqual([])
  })
})

describe('getObject', () => {
  it('getObject: finds an idle (closed) object and one with queued updates (open), and reports a missing one', async () => {
    const { as, owner, repo } = await freshRepo(emulator)
    const ctx = as('octocat')
    await createObject(ctx, 'idle', { v: 1 })
    expect((await getObject(ctx, 'idle')).meta.state).toBe('closed')
    await updateObject(ctx, 'idle', { v: 2 })
    const pending = await getObject(ctx, 'idle')
    expect(pending.meta.state).toBe('open')
    expect(pending.data).toEqual({ v: 1 })
    expect(await catchCode(getObject(ctx, 'nope'))).toEqual({
      code: 'OBJECT_NOT_FOUND',
      message: `No object "nope" in ${owner}/${repo}: no issue (open or closed) carries the labels gh-store, stored-object and UID:nope. Create it with hubstore objects create (createObject in code).`
    })
  })

  it('getObject: detects duplicate ids and names every issue (DUPLICATE_OBJECT_ID)', async () => {
    const { as } = await freshRepo(emulator)
    const ctx = as('octocat')
    const first = await createObject(ctx, 'twin', { n: 1 })
    const { data: second } = await ctx.octokit.rest.issues.create({
      owner: ctx.owner,
      repo: ctx.repo,
      title: 'Stored Object: twin',
      body: '{"n":2}',
      labels: ['gh-store', 'stored-object', 'UID:twin']
    })
    const error = await catchCode(getObject(ctx, 'twin'))
    expect(error).toMatchObject({ code: 'DUPLICATE_OBJECT_ID' })
    expect((error as { message: string }).message).toContain(
      `(#${first.meta.issueNumber}, #${second.number})`
    )
    expect(await catchCode(updateObject(ctx, 'twin', { n: 3 }))).toMatchObject({
      code: 'DUPLICATE_OBJECT_ID'
    })
  })
})

describe('updateObject + processUpdates', () => {
  it('processUpdates: round trip — queued append and replace updates are applied in order, reacted +1, issue closed', async () => {
    const { as } = await freshRepo(emulator)
    const ctx = as('octocat')
    const created = await createObject(ctx, 'cart', { items: 1, meta: { color: 'red', size: 'S' } })
    const n = created.meta.issueNumber
    const u1 = await updateObject(ctx, 'cart', { items: 2, meta: { size: 'L' } })
    expect(u1).toMatchObject({ issueNumber: n, reopened: true })
    expect((await readIssue(ctx, n)).state).toBe('open')
    const u2 = await updateObject(ctx, 'cart', { list: [1, 2] })
    const result = await processUpdates(ctx, n)
    expect(result).toMatchObject({ issueNumber: n, objectId: 'cart', rejected: [] })
    expect(result.applied.map((a) => a.commentId)).toEqual([u1.commentId, u2.commentId])
    const expected = { items: 2, meta: { color: 'red', size: 'L' }, list: [1, 2] }
    expect(result.data).toEqual(expected)

    const issue = await readIssue(ctx, n)
    expect(issue.state).toBe('closed')
    expect(JSON.parse(issue.body ?? '')).toEqual(expected)
    expect(issue.body).toBe(JSON.stringify(expected, null, 2))
    expect(await reactionsOf(ctx, u1.commentId)).toEqual(['+1 by octocat'])
    expect(await reactionsOf(ctx, u2.commentId)).toEqual(['+1 by octocat'])
    expect((await getObject(ctx, 'cart')).data).toEqual(expected)

    const u3 = await updateObject(ctx, 'cart', { only: true }, { mode: 'replace' })
    expect((await processUpdates(ctx, n)).data).toEqual({ only: true })
    expect(await reactionsOf(ctx, u3.commentId)).toEqual(['+1 by octocat'])

    // A second run with nothing queued writes nothing but its lease (read, take, release):
    // comments, issue, and the GraphQL query of who reacted to the processed updates (a read;
    // `marking: 'none'` says no mutation was sent).
    await emulator.admin.clearLedger()
    const second = await processUpdates(ctx, n)
    expect([second.applied, second.marking]).toEqual([[], 'none'])
    expect((await emulator.admin.ledger()).map((e) => `${e.method} ${e.route}`)).toEqual([
      ...LEASE_AGAIN,
      'GET /repos/{owner}/{repo}/issues/{issue_number}/comments',
      'GET /repos/{owner}/{repo}/issues/{issue_number}',
      'POST /graphql',
      ...LEASE_RELEASE
    ])
  })

  it('processUpdates: refuses an issue that is not a stored object, or whose body is not a JSON object, writing nothing', async () => {
    const { as } = await freshRepo(emulator)
    const ctx = as('octocat')
    const { data: plain } = await ctx.octokit.rest.issues.create({
      owner: ctx.owner,
      repo: ctx.repo,
      title: 'bug',
      body: '{}'
    })
    expect(await catchCode(processUpdates(ctx, plain.number))).toMatchObject({
      code: 'NOT_A_STORED_OBJECT',
      message: expect.stringContaining(`Issue #${plain.number} is not a stored object`)
    })
    const created = await createObject(ctx, 'broken', { a: 1 })
    await ctx.octokit.rest.issues.update({
      owner: ctx.owner,
      repo: ctx.repo,
      issue_number: created.meta.issueNumber,
      body: 'not json'
    })
    await comment(ctx, created.meta.issueNumber, '{"a":2}')
    await emulator.admin.clearLedger()
    expect(await catchCode(processUpdates(ctx, created.meta.issueNumber))).toMatchObject({
      code: 'INVALID_OBJECT_BODY'
    })
    // nothing but the lease, taken and released around the refusal
    expect(
      (await emulator.admin.ledger())
        .filter((e) => e.method !== 'GET')
        .map((e) => `${e.method} ${e.route}`)
    ).toEqual([...LEASE_TAKE, ...LEASE_RELEASE])
    expect(await catchCode(processUpdates(ctx, 9999))).toMatchObject({
      code: 'GITHUB_REQUEST_FAILED'
    })
  })

  it('updateObject: a user who may comment but not reopen queues the update with reopened: false', async () => {
    const { as } = await freshRepo(emulator, { codeowners: '* @carol' })
    const created = await createObject(as('octocat'), 'doc', { v: 1 })
    const queued = await updateObject(as('carol'), 'doc', { v: 2 })
    expect(queued).toMatchObject({ issueNumber: created.meta.issueNumber, reopened: false })
    const result = await processUpdates(as('octocat'), created.meta.issueNumber)
    expect(result.data).toEqual({ v: 2 })
  })
})

describe('request cost', () => {
  it('createObject, getObject, updateObject: cost 6, 1 and 3 requests', async () => {
    const { as } = await freshRepo(emulator)
    const ctx = as('octocat')
    const cost = async (operation: () => Promise<unknown>) => {
      await emulator.admin.clearLedger()
      await operation()
      return (await emulator.admin.ledger()).map((e) => `${e.method} ${e.route}`)
    }
    expect(await cost(() => createObject(ctx, 'priced', { a: 1 }))).toEqual([
      'GET /repos/{owner}/{repo}/issues',
      'POST /repos/{owner}/{repo}/issues',
      'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
      'POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions',
      'POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions',
      'PATCH /repos/{owner}/{repo}/issues/{issue_number}'
    ])
    expect(await cost(() => getObject(ctx, 'priced'))).toEqual(['GET /repos/{owner}/{repo}/issues'])
    expect(await cost(() => updateObject(ctx, 'priced', { a: 2 }))).toEqual([
      'GET /repos/{owner}/{repo}/issues',
      'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
      'PATCH /repos/{owner}/{repo}/issues/{issue_number}'
    ])
  })
})

describe('processOpenObjects', () => {
  it('processOpenObjects: processes every open object; a broken one is reported, not fatal', async () => {
    const { as } = await freshRepo(emulator)
    const ctx = as('octocat')
    const a = await createObject(ctx, 'a', { v: 1 })
    const broken = await createObject(ctx, 'broken', { v: 1 })
    const b = await createObject(ctx, 'b', { v: 1 })
    await createObject(ctx, 'idle', { v: 1 })
    await updateObject(ctx, 'a', { v: 2 })
    await updateObject(ctx, 'broken', { v: 2 })
    await ctx.octokit.rest.issues.update({
      owner: ctx.owner,
      repo: ctx.repo,
      issue_number: broken.meta.issueNumber,
      body: '[]'
    })
    await updateObject(ctx, 'b', { v: 3 })

    const results = await processOpenObjects(ctx)
    expect(results.map((r) => [r.issueNumber, r.objectId, r.error?.code ?? 'ok'])).toEqual([
      [a.meta.issueNumber, 'a', 'ok'],
      [broken.meta.issueNumber, 'broken', 'INVALID_OBJECT_BODY'],
      [b.meta.issueNumber, 'b', 'ok']
    ])
    expect(results[0].data).toEqual({ v: 2 })
    expect(results[2].data).toEqual({ v: 3 })
    expect((await readIssue(ctx, b.meta.issueNumber)).state).toBe('closed')
    expect((await readIssue(ctx, broken.meta.issueNumber)).state).toBe('open')
  })

  it('processOpenObjects: onProgress reports the start, then each object with running counts and the time left on the given clock', async () => {
    const { as } = await freshRepo(emulator)
    const ctx = as('octocat')
    for (const id of ['p1', 'p2', 'p3']) await createObject(ctx, id, { v: 1 })
    await updateObject(ctx, 'p1', { v: 2 })
    await updateObject(ctx, 'p2', { v: 2 })
    await ctx.octokit.rest.issues.update({
      owner: ctx.owner,
      repo: ctx.repo,
      issue_number: (await getObject(ctx, 'p2')).meta.issueNumber,
      body: 'not json'
    })
    await updateObject(ctx, 'p3', { v: 2 })
    await updateObject(ctx, 'p3', { v: 3 })

    // A clock that advances 10 s per reading of it: the estimate is then exact arithmetic.
    let t = 0
    const seen: SweepProgress[] = []
    await processOpenObjects(ctx, { now: () => (t += 10_000), onProgress: (p) => seen.push(p) })
    expect(seen.map(({ result, ...p }) => ({ ...p, issue: result?.objectId }))).toEqual([
      { done: 0, total: 3, applied: 0, rejected: 0, failed: 0, elapsedMs: 0, issue: undefined },
      {
        done: 1,
        total: 3,
        applied: 1,
        rejected: 0,
        failed: 0,
        elapsedMs: 10_000,
        remainingMs: 20_000,
        issue: 'p1'
      },
      {
        done: 2,
        total: 3,
        applied: 1,
        rejected: 0,
        failed: 1,
        elapsedMs: 20_000,
        remainingMs: 10_000,
        issue: 'p2'
      },
      {
        done: 3,
        total: 3,
        applied: 3,
        rejected: 0,
        failed: 1,
        elapsedMs: 30_000,
        remainingMs: 0,
        issue: 'p3'
      }
    ])
    expect(seen[2]?.result?.error?.code).toBe('INVALID_OBJECT_BODY')
  })
})
