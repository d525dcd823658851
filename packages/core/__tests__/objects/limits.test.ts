/**
 * Issue 10 item 7, last point: createObject reaches GitHub's 65,536-character body limit (its
 * initial-state comment, written compactly, no longer runs out first), and updateObject refuses
 * up front an update whose result is known to exceed it (docs/gh-store-format.md §2.2, §2.9).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Emulator } from '@hubstore/emulator'
import {
  createObject,
  getObject,
  getObjectHistory,
  updateObject,
  type RepoContext
} from '../../src/index.js'
import { MAX_BODY_CHARS } from '../../src/objects/constants.js'
import { fromPlainJson, type JsonMap } from '../../src/json/index.js'
import { toBody as toBodyOf } from '../../src/objects/json.js'
import { freshRepo, readIssue, startWorld } from '../support/emulator.js'

let emulator: Emulator
beforeAll(async () => {
  emulator = await startWorld()
})
afterAll(async () => emulator.close())

/** The issue body plain `data` makes (gh-store's 2-space JSON). */
const toBody = (data: Record<string, unknown>) => toBodyOf(fromPlainJson(data, 100) as JsonMap)

/** Data of ordinary shape (many short fields) whose 2-space body is exactly `chars` long. */
function dataOfBody(chars: number): Record<string, string> {
  const data: Record<string, string> = {}
  for (let i = 0; toBody(data).length < chars - 80; i++) data[`field_${i}`] = 'v'.repeat(20)
  data.last = ''
  data.last = 'x'.repeat(chars - toBody(data).length)
  expect(toBody(data).length).toBe(chars)
  return data
}

async function ctxOf(): Promise<RepoContext> {
  return (await freshRepo(emulator)).as('octocat')
}

describe('createObject at the body limit', () => {
  it('stores data whose body is exactly 65,536 characters; the history keeps its initial state', async () => {
    const ctx = await ctxOf()
    const data = dataOfBody(MAX_BODY_CHARS)
    const created = await createObject(ctx, 'full', data)
    expect((await getObject(ctx, 'full')).data).toEqual(data)
    const issue = await readIssue(ctx, created.meta.issueNumber)
    expect(issue.body?.length).toBe(MAX_BODY_CHARS)
    const history = await getObjectHistory(ctx, 'full')
    expect(history.entries[0]).toMatchObject({ type: 'initial_state', data })
  })

  it('refuses one character more before writing anything', async () => {
    const ctx = await ctxOf()
    await expect(createObject(ctx, 'over', dataOfBody(MAX_BODY_CHARS + 1))).rejects.toMatchObject({
      code: 'OBJECT_TOO_LARGE',
      what: 'issue body',
      characters: MAX_BODY_CHARS + 1
    })
    const { data: issues } = await ctx.octokit.rest.issues.listForRepo({
      owner: ctx.owner,
      repo: ctx.repo,
      state: 'all'
    })
    expect(issues).toHaveLength(0)
  })
})

describe('updateObject refuses a result over the limit up front', () => {
  it('append to a processed object: typed error, no comment, issue still closed', async () => {
    const ctx = await ctxOf()
    const created = await createObject(ctx, 'grow', dataOfBody(60_000))
    const before = await readIssue(ctx, created.meta.issueNumber)
    await expect(updateObject(ctx, 'grow', { extra: 'y'.repeat(10_000) })).rejects.toMatchObject({
      code: 'OBJECT_TOO_LARGE',
      what: 'issue body'
    })
    const after = await readIssue(ctx, created.meta.issueNumber)
    expect({ state: after.state, comments: after.comments }).toEqual({
      state: 'closed',
      comments: before.comments
    })
    // an update that fits is queued as before
    const queued = await updateObject(ctx, 'grow', { extra: 'y'.repeat(100) })
    expect(queued.reopened).toBe(true)
  })

  it('replace: the changes are the result, checked the same way', async () => {
    const ctx = await ctxOf()
    await createObject(ctx, 'swap', { a: 1 })
    const changes = dataOfBody(MAX_BODY_CHARS + 1)
    await expect(updateObject(ctx, 'swap', changes, { mode: 'replace' })).rejects.toMatchObject({
      code: 'OBJECT_TOO_LARGE'
    })
  })
})
