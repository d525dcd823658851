/**
 * Issue 10, acceptance line 2, through the committed process-updates bundle (the processor, with
 * the GITHUB_TOKEN identity `github-actions[bot]`) and the CLI (history and past versions, read
 * by the owner and by the outsider): an outsider's 👍/😕 on a pending update changes nothing —
 * the update is applied — and an outsider's forged initial-state and update comments change
 * neither the body, nor the history, nor any past version. Everything is read back from the
 * emulator. (packages/core/__tests__/integration/trust.test.ts checks the same in-process.)
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createGitHubClient, createObject, updateObject, type RepoContext } from '@hubstore/core'
import { startEmulator, type Emulator } from '@hubstore/emulator'
import { issuesEventPayload } from '../src/run-action/payloads.js'
import { runAction } from '../src/run-action/run-action.js'
import { runCli } from './support/in-process.js'

const TOKENS = { owner: 'tok-owner', wendy: 'tok-wendy', mallory: 'tok-mallory', bot: 'tok-bot' }
let emulator: Emulator
let repoCount = 0

beforeAll(async () => {
  emulator = await startEmulator()
  await emulator.admin.createToken({ token: TOKENS.owner, login: 'octocat', permission: 'admin' })
  await emulator.admin.createToken({ token: TOKENS.wendy, login: 'wendy', permission: 'write' })
  await emulator.admin.createToken({ token: TOKENS.mallory, login: 'mallory', permission: 'read' })
  await emulator.admin.createToken({
    token: TOKENS.bot,
    login: 'github-actions[bot]',
    type: 'Bot',
    permission: 'write'
  })
})
afterAll(async () => emulator.close())

type Who = keyof typeof TOKENS

async function freshRepo() {
  const repository = `octocat/trust-${++repoCount}`
  await emulator.admin.createRepo({ full_name: repository })
  const [owner, repo] = repository.split('/') as [string, string]
  const as = (who: Who): RepoContext => ({
    octokit: createGitHubClient({
      token: TOKENS[who],
      baseUrl: emulator.url,
      throttle: { writeSpacingMs: 0 }
    }),
    owner,
    repo
  })
  return { repository, as }
}

/** The committed bundle on an `issues` / `reopened` event of issue `n`, as GITHUB_TOKEN. */
async function processWithBundle(repository: string, ctx: RepoContext, n: number) {
  const { owner, repo, octokit } = ctx
  const payload = issuesEventPayload('reopened', {
    issue: (await octokit.rest.issues.get({ owner, repo, issue_number: n })).data,
    repository: (await octokit.rest.repos.get({ owner, repo })).data,
    sender: (await octokit.rest.users.getAuthenticated()).data,
    apiUrl: emulator.url
  })
  return runAction({
    name: 'process-updates',
    eventName: 'issues',
    payload,
    repository,
    token: TOKENS.bot,
    apiUrl: emulator.url,
    env: { HUBSTORE_WRITE_SPACING_MS: '0' },
    timeoutMs: 60_000
  })
}

/** `hubstore <args> --repo <repository> --json` as `who`, in-process (support/in-process.ts). */
async function cliJson(repository: string, who: Who, args: string[]): Promise<unknown> {
  const r = await runCli([...args, '--repo', repository, '--json'], {
    env: { GITHUB_API_URL: emulator.url, GITHUB_TOKEN: TOKENS[who], HUBSTORE_WRITE_SPACING_MS: '0' }
  })
  if (r.code !== 0) throw new Error(`hubstore ${args.join(' ')} exited ${r.code}\n${r.stderr}`)
  return JSON.parse(r.stdout)
}

type HistoryEntry = { commentId: number; type: string; status: string }

async function react(ctx: RepoContext, commentId: number, content: '+1' | 'confused') {
  await ctx.octokit.rest.reactions.createForIssueComment({
    owner: ctx.owner,
    repo: ctx.repo,
    comment_id: commentId,
    content
  })
}

async function rawComment(ctx: RepoContext, n: number, body: string): Promise<number> {
  const { data } = await ctx.octokit.rest.issues.createComment({
    owner: ctx.owner,
    repo: ctx.repo,
    issue_number: n,
    body
  })
  return Number(data.id)
}

async function reactionsOf(ctx: RepoContext, commentId: number): Promise<string[]> {
  const reactions = await ctx.octokit.paginate(ctx.octokit.rest.reactions.listForIssueComment, {
    owner: ctx.owner,
    repo: ctx.repo,
    comment_id: commentId,
    per_page: 100
  })
  return reactions.map((r) => `${r.content} by ${r.user?.login}`).sort()
}

async function issueOf(ctx: RepoContext, n: number) {
  return (await ctx.octokit.rest.issues.get({ owner: ctx.owner, repo: ctx.repo, issue_number: n }))
    .data
}

describe('trust through the committed process-updates bundle', () => {
  it("dist/process-updates: an outsider's 👍 and 😕 on pending updates change nothing — both updates are applied and marked by the processor", async () => {
    const { repository, as } = await freshRepo()
    const owner = as('owner')
    const mallory = as('mallory')
    const n = (await createObject(owner, 'wallet', { balance: 100 })).meta.issueNumber
    const byWriter = await updateObject(as('wendy'), 'wallet', { balance: 90 })
    const byOwner = await updateObject(owner, 'wallet', { note: 'paid' })
    await react(mallory, byWriter.commentId, '+1')
    await react(mallory, byOwner.commentId, 'confused')

    const run = await processWithBundle(repository, owner, n)
    expect([run.exitCode, run.annotations]).toEqual([0, []])
    expect(run.outputs).toMatchObject({ 'processed-issues': `[${n}]`, applied: '2', rejected: '0' })

    const issue = await issueOf(owner, n)
    expect([issue.state, JSON.parse(issue.body ?? '')]).toEqual([
      'closed',
      { balance: 90, note: 'paid' }
    ])
    expect(await reactionsOf(owner, byWriter.commentId)).toEqual([
      '+1 by github-actions[bot]',
      '+1 by mallory'
    ])
    expect(await reactionsOf(owner, byOwner.commentId)).toEqual([
      '+1 by github-actions[bot]',
      'confused by mallory'
    ])
    const history = (await cliJson(repository, 'mallory', [
      'objects',
      'history',
      'wallet'
    ])) as HistoryEntry[]
    expect(history.map((e) => [e.type, e.status])).toEqual([
      ['initial_state', 'applied'],
      ['update', 'applied'],
      ['update', 'applied']
    ])
    expect(history.slice(1).map((e) => e.commentId)).toEqual([
      byWriter.commentId,
      byOwner.commentId
    ])

    // A second run sees the processor's own marks and does nothing.
    const again = await processWithBundle(repository, owner, n)
    expect(again.outputs).toMatchObject({ applied: '0', rejected: '0' })
  })

  it("dist/process-updates + CLI: an outsider's forged initial state and self-approved update change neither the body, the history nor any version", async () => {
    const { repository, as } = await freshRepo()
    const owner = as('owner')
    const mallory = as('mallory')
    const n = (await createObject(owner, 'account', { balance: 100, owner: 'octocat' })).meta
      .issueNumber
    await updateObject(owner, 'account', { balance: 90 })
    expect((await processWithBundle(repository, owner, n)).outputs.applied).toBe('1')
    const honest = (await cliJson(repository, 'owner', [
      'objects',
      'history',
      'account'
    ])) as HistoryEntry[]
    expect(honest.map((e) => [e.type, e.status])).toEqual([
      ['initial_state', 'applied'],
      ['update', 'applied']
    ])

    // Version 3: a fake initial state; version 4: an update she approves herself.
    const fakeInitial = await rawComment(
      mallory,
      n,
      JSON.stringify({ type: 'initial_state', _data: { balance: 1000000, owner: 'mallory' } })
    )
    const fakeUpdate = await rawComment(mallory, n, JSON.stringify({ balance: 1000000 }))
    await react(mallory, fakeInitial, '+1')
    await react(mallory, fakeUpdate, '+1')

    const run = await processWithBundle(repository, owner, n)
    expect(run.exitCode).toBe(0)
    expect(run.outputs).toMatchObject({ applied: '0', rejected: '1' })
    expect(run.annotations).toEqual([
      {
        level: 'warning',
        message: expect.stringContaining(
          `#${n} comment ${fakeUpdate} by mallory rejected (UNAUTHORIZED)`
        )
      }
    ])
    expect(JSON.parse((await issueOf(owner, n)).body ?? '')).toEqual({
      balance: 90,
      owner: 'octocat'
    })

    for (const reader of ['owner', 'mallory'] as const) {
      const history = (await cliJson(repository, reader, [
        'objects',
        'history',
        'account'
      ])) as HistoryEntry[]
      expect(history.map((e) => [e.commentId, e.type, e.status])).toEqual([
        ...honest.map((e) => [e.commentId, e.type, e.status]),
        [fakeUpdate, 'update', 'rejected']
      ])
      for (const version of [2, 3, 4])
        expect(
          await cliJson(repository, reader, [
            'objects',
            'get',
            'account',
            '--version',
            String(version)
          ])
        ).toMatchObject({ data: { balance: 90, owner: 'octocat' } })
      expect(
        await cliJson(repository, reader, ['objects', 'get', 'account', '--version', '1'])
      ).toMatchObject({ data: { balance: 100, owner: 'octocat' } })
    }
  }, 60_000)
})
