import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createGitHubClient, createObject, updateObject } from '@hubstore/core'
import { parseStoreConfig } from '@hubstore/core/objects'
import { startEmulator, type Emulator } from '@hubstore/emulator'
import { captureLog } from '../../../test-support/capture-log.js'
import { createActionTokens, driveAction } from '../../../test-support/drive-action.js'
import { run } from '../src/main.js'

let emulator: Emulator
const REPO = 'octocat/config-action'
const CONFIG = 'store:\n  base_label: my-store\n  uid_prefix: "ID:"\n  processed_reaction: rocket\n'
const client = (token: string) =>
  createGitHubClient({ token, baseUrl: emulator.url, throttle: { writeSpacingMs: 0 } })
beforeAll(async () => {
  emulator = await startEmulator()
  await emulator.admin.createRepo({ full_name: REPO, default_branch: 'main' })
  await createActionTokens(emulator)
  await emulator.admin.putFile(REPO, '.github/gh-store.yml', CONFIG)
  await emulator.admin.putFile(REPO, 'bad.yml', 'store:\n  uid_prefix: 5\n')
})
afterAll(async () => emulator.close())

const step = (inputs: Record<string, string>) =>
  driveAction(run, {
    action: 'process-updates',
    token: 'bot',
    repository: REPO,
    eventName: 'workflow_dispatch',
    inputs,
    env: { GITHUB_API_URL: emulator.url }
  })

describe('process-updates action: the config input', () => {
  it('config: a config.yml in the repository (read through the API) sets the labels and the processed reaction', async () => {
    const ctx = {
      octokit: client('owner'),
      owner: 'octocat',
      repo: 'config-action',
      storeConfig: parseStoreConfig(CONFIG)
    }
    const n = (await createObject(ctx, 'cart', { items: 1 })).meta.issueNumber
    await updateObject(ctx, 'cart', { items: 2 })

    const r = await step({ 'issue-number': String(n), config: '.github/gh-store.yml' })
    expect(r.failed).toBe(false)
    expect(r.outputs).toMatchObject({ applied: '1', 'object-ids': '["cart"]' })
    const { data: comments } = await ctx.octokit.rest.issues.listComments({
      owner: 'octocat',
      repo: 'config-action',
      issue_number: n
    })
    const { data: reactions } = await ctx.octokit.rest.reactions.listForIssueComment({
      owner: 'octocat',
      repo: 'config-action',
      comment_id: Number(comments[1].id)
    })
    expect(reactions.map((x) => `${x.content} by ${x.user?.login}`)).toEqual([
      'rocket by github-actions[bot]'
    ])
    const { data: issue } = await ctx.octokit.rest.issues.get({
      owner: 'octocat',
      repo: 'config-action',
      issue_number: n
    })
    expect(JSON.parse(issue.body ?? '')).toEqual({ items: 2 })
  })

  it('config: an invalid file fails the step with the key and the fix; a missing one names the path', async () => {
    const bad = await captureLog(() => step({ 'issue-number': '1', config: 'bad.yml' }))
    expect(bad.result.failed).toBe(true)
    expect(bad.log).toContain(
      `${REPO}:bad.yml: key store.uid_prefix is invalid: expected a non-empty string without a comma, at most 40 characters; got number 5.`
    )
    const missing = await captureLog(() => step({ 'issue-number': '1', config: 'nope.yml' }))
    expect(missing.result.failed).toBe(true)
    expect(missing.log).toContain(`${REPO} has no file nope.yml on its default branch`)
  })
})
