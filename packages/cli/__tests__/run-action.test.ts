import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createGitHubClient, createObject, updateObject } from '@hubstore/core'
import { startEmulator, type Emulator } from '@hubstore/emulator'
import { issuesEventPayload } from '../src/run-action/payloads.js'
import { parseFileCommand, runAction } from '../src/run-action/run-action.js'

describe('parseFileCommand', () => {
  it('parse: name=value lines and heredoc blocks', () => {
    expect(
      parseFileCommand('a=1\nb<<ghadelimiter_x\nline 1\nline 2\nghadelimiter_x\nc=x=y\n')
    ).toEqual({
      a: '1',
      b: 'line 1\nline 2',
      c: 'x=y'
    })
  })
})

describe('run-action: the committed process-updates bundle, run as the runner runs it', () => {
  let emulator: Emulator
  const repository = 'octocat/bundle-store'
  const [owner, repo] = repository.split('/') as [string, string]
  const client = (token: string) =>
    createGitHubClient({ token, baseUrl: emulator.url, throttle: { writeSpacingMs: 0 } })

  beforeAll(async () => {
    emulator = await startEmulator()
    await emulator.admin.createRepo({ full_name: repository })
    await emulator.admin.createToken({ token: 'owner', login: 'octocat', permission: 'admin' })
    await emulator.admin.createToken({ token: 'outsider', login: 'mallory', permission: 'read' })
    await emulator.admin.createToken({
      token: 'bot',
      login: 'github-actions[bot]',
      type: 'Bot',
      permission: 'write'
    })
  })
  afterAll(async () => emulator.close())

  it('issues/reopened: applies authorised updates, rejects the rest, closes the issue', async () => {
    const ctx = { octokit: client('owner'), owner, repo }
    const created = await createObject(ctx, 'cart', { items: 1, meta: { color: 'red' } })
    const n = created.meta.issueNumber
    await updateObject(ctx, 'cart', { items: 2 })
    await updateObject({ ...ctx, octokit: client('outsider') }, 'cart', { items: 666 })
    await ctx.octokit.rest.issues.createComment({
      owner,
      repo,
      issue_number: n,
      body: 'not json at all'
    })
    await updateObject(ctx, 'cart', { meta: { size: 'L' } })

    const issue = (await ctx.octokit.rest.issues.get({ owner, repo, issue_number: n })).data
    expect(issue.state).toBe('open')
    const payload = issuesEventPayload('reopened', {
      issue,
      repository: (await ctx.octokit.rest.repos.get({ owner, repo })).data,
      sender: (await ctx.octokit.rest.users.getAuthenticated()).data,
      apiUrl: emulator.url
    })
    expect(JSON.stringify(payload)).not.toContain('api.github.com')

    const run = await runAction({
      name: 'process-updates',
      eventName: 'issues',
      payload,
      repository,
      token: 'bot',
      apiUrl: emulator.url
    })
    expect(run.exitCode).toBe(0)
    expect(run.outputs).toEqual({
      'processed-issues': `[${n}]`,
      applied: '2',
      rejected: '2',
      'object-ids': '["cart"]',
      failed: '0',
      'failed-issues': '[]'
    })
    expect(run.summary).toContain('hubstore: process-updates')

    // State read back from the emulator, not from the action's word.
    const after = (await ctx.octokit.rest.issues.get({ owner, repo, issue_number: n })).data
    expect(after.state).toBe('closed')
    expect(JSON.parse(after.body ?? '')).toEqual({ items: 2, meta: { color: 'red', size: 'L' } })
    expect(after.body).toBe(
      JSON.stringify({ items: 2, meta: { color: 'red', size: 'L' } }, null, 2)
    )
    const comments = await ctx.octokit.paginate(ctx.octokit.rest.issues.listComments, {
      owner,
      repo,
      issue_number: n,
      per_page: 100
    })
    const marks = comments.map((c) => [c.reactions?.['+1'] ?? 0, c.reactions?.confused ?? 0])
    // initial state, update, outsider, non-JSON, update
    expect(marks).toEqual([
      [1, 0],
      [1, 0],
      [0, 1],
      [0, 1],
      [1, 0]
    ])
  })

  it('schedule: with no issue in the payload, sweeps every open stored object', async () => {
    const ctx = { octokit: client('owner'), owner, repo }
    await createObject(ctx, 'a', { v: 1 })
    await createObject(ctx, 'b', { v: 1 })
    await updateObject(ctx, 'a', { v: 2 })
    await updateObject(ctx, 'b', { v: 3 })
    const run = await runAction({
      name: 'process-updates',
      eventName: 'schedule',
      payload: { schedule: '*/15 * * * *' },
      repository,
      token: 'bot',
      apiUrl: emulator.url
    })
    expect(run.exitCode).toBe(0)
    expect(JSON.parse(run.outputs['object-ids'] ?? '[]').sort()).toEqual(['a', 'b'])
    expect(run.outputs.applied).toBe('2')
    const open = await ctx.octokit.rest.issues.listForRepo({
      owner,
      repo,
      labels: 'stored-object',
      state: 'open'
    })
    expect(open.data).toEqual([])
  })

  it('inputs: a bad issue-number fails the step with a message naming the input', async () => {
    const run = await runAction({
      name: 'process-updates',
      eventName: 'workflow_dispatch',
      inputs: { 'issue-number': 'abc' },
      repository,
      token: 'bot',
      apiUrl: emulator.url
    })
    expect(run.exitCode).toBe(1)
    expect(run.annotations).toContainEqual({
      level: 'error',
      message: expect.stringContaining('Input "issue-number"')
    })
  })

  it('token: never printed, even when the request fails', async () => {
    const run = await runAction({
      name: 'process-updates',
      eventName: 'workflow_dispatch',
      inputs: { 'issue-number': '9999' },
      repository,
      token: 'bot-secret-value',
      apiUrl: emulator.url
    })
    expect(run.exitCode).toBe(1)
    // The only place it may appear is the runner's own masking command.
    expect(run.log).toContain('::add-mask::bot-secret-value')
    expect(run.log.replace('::add-mask::bot-secret-value', '')).not.toContain('bot-secret-value')
  })
})
