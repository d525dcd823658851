import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Emulator } from '@hubstore/emulator'
import {
  createObject,
  getObjectAt,
  getObjectHistory,
  processUpdates,
  updateObject,
  type RepoContext
} from '../../src/index.js'
import { createGitHubClient } from '../../src/github/client.js'
import {
  client,
  comment,
  FAST,
  freshRepo,
  reactionsOf,
  readIssue,
  startWorld
} from '../support/emulator.js'

let emulator: Emulator
beforeAll(async () => {
  emulator = await startWorld()
})
afterAll(async () => emulator.close())

async function react(ctx: RepoContext, commentId: number, content: '+1' | 'confused') {
  await ctx.octokit.rest.reactions.createForIssueComment({
    owner: ctx.owner,
    repo: ctx.repo,
    comment_id: commentId,
    content
  })
}

const bodyOf = async (ctx: RepoContext, n: number) =>
  JSON.parse((await readIssue(ctx, n)).body ?? '') as unknown

describe('processing marks count only from trusted reactors', () => {
  it("processUpdates: an outsider's +1 or confused on a pending update changes nothing: both updates are applied", async () => {
    const { as } = await freshRepo(emulator)
    const owner = as('octocat')
    const mallory = as('mallory')
    const created = await createObject(owner, 'wallet', { balance: 100 })
    const n = created.meta.issueNumber
    const byWriter = await updateObject(as('wendy'), 'wallet', { balance: 90 })
    const byOwner = await updateObject(owner, 'wallet', { note: 'paid' })
    await react(mallory, byWriter.commentId, '+1')
    await react(mallory, byOwner.commentId, 'confused')

    const result = await processUpdates(owner, n)
    expect(result.applied.map((a) => a.commentId)).toEqual([byWriter.commentId, byOwner.commentId])
    expect(result.rejected).toEqual([])
    expect(await bodyOf(owner, n)).toEqual({ balance: 90, note: 'paid' })
    expect(await reactionsOf(owner, byWriter.commentId)).toEqual(['+1 by mallory', '+1 by octocat'])
    expect(await reactionsOf(owner, byOwner.commentId)).toEqual([
      '+1 by octocat',
      'confused by mallory'
    ])
    const history = await getObjectHistory(mallory, 'wallet')
    expect(history.entries.map((e) => [e.commentId, e.status])).toEqual([
      [history.entries[0].commentId, 'applied'],
      [byWriter.commentId, 'applied'],
      [byOwner.commentId, 'applied']
    ])
    // A rerun sees the trusted marks (the owner's own, read through GraphQL) and does nothing.
    const again = await processUpdates(owner, n)
    expect([again.applied, again.rejected]).toEqual([[], []])
  })

  it("history and getObjectAt: an outsider's forged initial state and self-approved update change neither the body, the history nor any version", async () => {
    const { as } = await freshRepo(emulator)
    const owner = as('octocat')
    const mallory = as('mallory')
    const created = await createObject(owner, 'account', { balance: 100, owner: 'octocat' })
    const n = created.meta.issueNumber
    await updateObject(owner, 'account', { balance: 90 })
    await processUpdates(owner, n)
    const honest = await getObjectHistory(owner, 'account')
    expect(honest.entries.map((e) => e.status)).toEqual(['applied', 'applied'])

    // Version 3: a fake initial state; version 4: an update she approves herself.
    const fakeInitial = await comment(
      mallory,
      n,
      JSON.stringify({ type: 'initial_state', _data: { balance: 1000000, owner: 'mallory' } })
    )
    const fakeUpdate = await comment(mallory, n, JSON.stringify({ balance: 1000000 }))
    await react(mallory, fakeInitial, '+1')
    await react(mallory, fakeUpdate, '+1')

    for (const reader of [owner, mallory]) {
      const history = await getObjectHistory(reader, 'account')
      expect(history.latestVersion).toBe(4)
      expect(history.entries.map((e) => [e.commentId, e.type, e.status])).toEqual([
        ...honest.entries.map((e) => [e.commentId, e.type, e.status]),
        [fakeUpdate, 'update', 'pending']
      ])
      for (const version of [2, 3, 4])
        expect((await getObjectAt(reader, 'account', { version })).data).toEqual({
          balance: 90,
          owner: 'octocat'
        })
      expect((await getObjectAt(reader, 'account', { version: 1 })).data).toEqual({
        balance: 100,
        owner: 'octocat'
      })
    }

    const result = await processUpdates(owner, n)
    expect(result.applied).toEqual([])
    expect(result.rejected.map((r) => [r.commentId, r.code])).toEqual([
      [fakeUpdate, 'UNAUTHORIZED']
    ])
    expect(await bodyOf(owner, n)).toEqual({ balance: 90, owner: 'octocat' })
    const after = await getObjectHistory(owner, 'account')
    expect(after.entries.map((e) => [e.commentId, e.status])).toEqual([
      ...honest.entries.map((e) => [e.commentId, e.status]),
      [fakeUpdate, 'rejected']
    ])
    expect((await getObjectAt(owner, 'account', { version: 4 })).data).toEqual({
      balance: 90,
      owner: 'octocat'
    })
  })
})

describe('history reads the marks the processor left, by the same rule', () => {
  it('getObjectHistory: marks by a bot processor (GITHUB_TOKEN) and by a write collaborator count for every reader; the reactors cost 1 GraphQL request', async () => {
    const { as, owner: o, repo } = await freshRepo(emulator)
    await emulator.admin.createToken({
      token: 'tok-actions-bot',
      login: 'github-actions[bot]',
      type: 'Bot',
      permission: 'write'
    })
    const bot: RepoContext = {
      octokit: createGitHubClient({ ...FAST, token: 'tok-actions-bot', baseUrl: emulator.url }),
      owner: o,
      repo
    }
    const owner = as('octocat')
    const created = await createObject(owner, 'doc', { v: 0 })
    const n = created.meta.issueNumber
    const first = await updateObject(owner, 'doc', { v: 1 })
    expect((await processUpdates(bot, n)).applied).toHaveLength(1)
    const second = await updateObject(owner, 'doc', { v: 2 })
    expect((await processUpdates(as('wendy'), n)).applied).toHaveLength(1)
    expect(await reactionsOf(owner, first.commentId)).toEqual(['+1 by github-actions[bot]'])

    await emulator.admin.clearLedger()
    const history = await getObjectHistory(as('mallory'), 'doc')
    expect(history.entries.map((e) => [e.commentId, e.status])).toEqual([
      [history.entries[0].commentId, 'applied'],
      [first.commentId, 'applied'],
      [second.commentId, 'applied']
    ])
    // lookup, comments, who reacted (1 GraphQL for both), wendy's permission (the bot: free)
    expect((await emulator.admin.ledger()).map((e) => `${e.method} ${e.route}`)).toEqual([
      'GET /repos/{owner}/{repo}/issues',
      'GET /repos/{owner}/{repo}/issues/{issue_number}/comments',
      'POST /graphql',
      'GET /repos/{owner}/{repo}/collaborators/{username}/permission'
    ])
    expect((await getObjectAt(as('mallory'), 'doc', { version: 3 })).data).toEqual({ v: 2 })
  })

  it('processUpdates and getObjectHistory: where GraphQL is unavailable (404), who reacted is read over REST with the same outcome', async () => {
    const { as } = await freshRepo(emulator)
    const owner = as('octocat')
    const created = await createObject(owner, 'rest', { v: 0 })
    const n = created.meta.issueNumber
    const applied = await updateObject(owner, 'rest', { v: 1 })
    await processUpdates(owner, n)
    const pending = await updateObject(owner, 'rest', { v: 2 })
    await react(as('mallory'), pending.commentId, '+1')

    const octokit = client(emulator, 'octocat')
    octokit.hook.before('request', (options) => {
      if (String(options.url).endsWith('/graphql')) options.url = '/graphql-not-here'
    })
    const noGraphql: RepoContext = { ...owner, octokit }
    await emulator.admin.clearLedger()
    const history = await getObjectHistory(noGraphql, 'rest')
    expect(history.entries.map((e) => [e.commentId, e.status])).toEqual([
      [history.entries[0].commentId, 'applied'],
      [applied.commentId, 'applied'],
      [pending.commentId, 'pending']
    ])
    const routes = (await emulator.admin.ledger()).map((e) => `${e.method} ${e.route}`)
    expect(routes.filter((r) => r.endsWith('/reactions'))).toEqual([
      'GET /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions',
      'GET /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions'
    ])
    const result = await processUpdates(noGraphql, n)
    expect(result.applied.map((a) => a.commentId)).toEqual([pending.commentId])
    expect(await bodyOf(owner, n)).toEqual({ v: 2 })
  })
})

describe('order is never broken', () => {
  it('processUpdates: a pending update older than an applied one is rejected OUT_OF_ORDER, marked confused and reported; newer ones still apply', async () => {
    const { as } = await freshRepo(emulator)
    const owner = as('octocat')
    const created = await createObject(owner, 'ledger', { n: 0 })
    const n = created.meta.issueNumber
    // gh-store trusted only the owner: it applied the owner's later update and skipped wendy's.
    const skipped = await updateObject(as('wendy'), 'ledger', { n: 1, wendy: true })
    const applied = await updateObject(owner, 'ledger', { n: 2 })
    await owner.octokit.rest.issues.update({
      owner: owner.owner,
      repo: owner.repo,
      issue_number: n,
      body: JSON.stringify({ n: 2 }, null, 2),
      state: 'closed'
    })
    await react(owner, applied.commentId, '+1')
    const later = await updateObject(as('wendy'), 'ledger', { n: 3 })

    const result = await processUpdates(owner, n)
    expect(result.rejected).toEqual([
      {
        commentId: skipped.commentId,
        author: 'wendy',
        code: 'OUT_OF_ORDER',
        reason: expect.stringContaining(`comment ${applied.commentId} `)
      }
    ])
    expect(result.applied.map((a) => a.commentId)).toEqual([later.commentId])
    expect(await bodyOf(owner, n)).toEqual({ n: 3 })
    expect(await reactionsOf(owner, skipped.commentId)).toEqual(['confused by octocat'])
    const history = await getObjectHistory(owner, 'ledger')
    expect(history.entries.map((e) => [e.commentId, e.status])).toEqual([
      [history.entries[0].commentId, 'applied'],
      [skipped.commentId, 'rejected'],
      [applied.commentId, 'applied'],
      [later.commentId, 'applied']
    ])
  })
})
