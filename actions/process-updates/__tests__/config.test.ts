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
  await emulator.admin.putFile(REPO, 'quiet.yml', 'store:\n  log:\n    level: WARNING\n')
  await emulator.admin.putFile(
    REPO,
    'debug.yml',
    'store:\n  log:\n    level: DEBUG\n    format: "{level} {message}"\n'
  )
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

  it('config: store.log level WARNING prints no info line of a sweep (its warning annotations stay); DEBUG prints a line per request in the format', async () => {
    const ctx = { octokit: client('owner'), owner: 'octocat', repo: 'config-action' }
    await createObject(ctx, 'quiet', { n: 0 })
    await updateObject(ctx, 'quiet', { n: 1 })
    await updateObject({ ...ctx, octokit: client('outsider') }, 'quiet', { n: 666 })
    const quiet = await captureLog(() => step({ config: 'quiet.yml' }))
    expect(quiet.result.failed).toBe(false)
    expect(quiet.result.outputs).toMatchObject({ applied: '1', rejected: '1' })
    const shown = quiet.log.split('\n').filter((l) => l !== '' && !l.startsWith('::add-mask::'))
    expect(shown).toEqual([
      expect.stringMatching(/^::warning::#\d+ comment \d+ by mallory rejected \(UNAUTHORIZED\)/)
    ])

    await updateObject(ctx, 'quiet', { n: 2 })
    const debug = await captureLog(() => step({ config: 'debug.yml' }))
    expect(debug.result.failed).toBe(false)
    const lines = debug.log.split('\n')
    expect(lines).toContain('INFO Sweeping 1 open object(s).')
    expect(
      lines.filter((l) => l.startsWith('DEBUG request GET /repos/octocat/config-action/issues/'))
        .length
    ).toBeGreaterThan(0)
    expect(
      lines.some((l) =>
        /^DEBUG request PATCH \/repos\/octocat\/config-action\/issues\/\d+ → 200$/.test(l)
      )
    ).toBe(true)
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
