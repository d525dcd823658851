import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createGitHubClient, createObject, updateObject } from '@hubstore/core'
import { startEmulator, type Emulator } from '@hubstore/emulator'
import { createActionTokens, driveAction } from '../../../test-support/drive-action.js'
import { run } from '../src/main.js'

let emulator: Emulator
const REPO = 'octocat/process-action'
const client = (token: string) =>
  createGitHubClient({ token, baseUrl: emulator.url, throttle: { writeSpacingMs: 0 } })
beforeAll(async () => {
  emulator = await startEmulator()
  await emulator.admin.createRepo({ full_name: REPO })
  await createActionTokens(emulator)
})
afterAll(async () => emulator.close())

/** One step of the action with its action.yml defaults (no event payload: a sweep). */
const step = (inputs: Record<string, string> = {}) =>
  driveAction(run, {
    action: 'process-updates',
    token: 'bot',
    repository: REPO,
    eventName: 'schedule',
    inputs,
    env: { GITHUB_API_URL: emulator.url }
  })

describe('process-updates action', () => {
  it('run: issue-number applies the authorised update, rejects the outsider, escapes the summary', async () => {
    const ctx = { octokit: client('owner'), owner: 'octocat', repo: 'process-action' }
    const n = (await createObject(ctx, 'cart', { items: 1 })).meta.issueNumber
    await updateObject(ctx, 'cart', { items: 2 })
    await updateObject({ ...ctx, octokit: client('outsider') }, 'cart', { items: 666 })

    const r = await step({ 'issue-number': String(n) })
    expect(r.failed).toBe(false)
    expect(r.outputs).toEqual({
      'processed-issues': `[${n}]`,
      applied: '1',
      rejected: '1',
      'object-ids': '["cart"]'
    })
    expect(r.summary).toContain('1 object(s) processed: 1 update(s) applied, 1 rejected.')
    expect(r.summary).toContain(`<td>&#35;${n}</td><td>cart</td>`)
    expect(r.summary).toContain('<td>mallory</td>')
  })

  it('run: an update older than an applied one is rejected OUT_OF_ORDER, in the outputs and the summary', async () => {
    const ctx = { octokit: client('owner'), owner: 'octocat', repo: 'process-action' }
    const n = (await createObject(ctx, 'ledger', { n: 0 })).meta.issueNumber
    const older = await updateObject(ctx, 'ledger', { n: 1 })
    const newer = await updateObject(ctx, 'ledger', { n: 2 })
    // As a gh-store run that skipped the older comment would leave it: the newer one applied.
    await ctx.octokit.rest.reactions.createForIssueComment({
      owner: 'octocat',
      repo: 'process-action',
      comment_id: newer.commentId,
      content: '+1'
    })

    const r = await step({ 'issue-number': String(n) })
    expect(r.failed).toBe(false)
    expect(r.outputs).toMatchObject({ applied: '0', rejected: '1' })
    expect(r.summary).toContain('0 update(s) applied, 1 rejected.')
    expect(r.summary).toContain(`OUT_OF_ORDER: comment ${newer.commentId} (created`)
    expect(r.summary).toContain(`<td>${older.commentId}</td>`)
  })

  it('run: no issue in the event sweeps the open stored objects', async () => {
    const r = await step()
    expect(r.failed).toBe(false)
    expect(JSON.parse(r.outputs['object-ids'] as string)).toEqual(expect.any(Array))
  })

  it('inputs: an issue number that is not a positive whole number fails the step', async () => {
    expect((await step({ 'issue-number': '0' })).failed).toBe(true)
  })
})
