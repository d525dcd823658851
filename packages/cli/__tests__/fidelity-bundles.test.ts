/**
 * Issue 10, acceptance line 3, where actions are involved, through the committed bundles: a store
 * written as gh-store's Python client writes it (an F1 record with `constructor`, `prototype`,
 * `__proto__` and integer-like keys; packages/core/__tests__/fixtures/gh-store/f1-store.ts says
 * where each expected byte comes from) is processed by dist/process-updates into the body
 * gh-store's processor writes, and dist/snapshot (full, incremental, in the workspace and
 * committed) writes gh-store's own snapshot bytes, `version` aside. Read back from the emulator
 * and the workspace. (packages/core/__tests__/integration/fidelity.test.ts checks get, update and
 * the prototypes in-process.)
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createGitHubClient, updateObject, type RepoContext } from '@hubstore/core'
import { parseJson, type JsonMap } from '@hubstore/core/objects'
import { startEmulator, type Emulator } from '@hubstore/emulator'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  AFTER,
  BODY,
  BODY_42,
  CHANGES,
  ghStoreSnapshot,
  pythonCreate,
  versionAside
} from '../../core/__tests__/fixtures/gh-store/f1-store.js'
import { runAction } from '../src/run-action/run-action.js'

const REPOSITORY = 'octocat/fidelity-bundles'
let emulator: Emulator
let workspace: string
let ctx: RepoContext

beforeAll(async () => {
  emulator = await startEmulator()
  await emulator.admin.createRepo({ full_name: REPOSITORY, default_branch: 'main' })
  await emulator.admin.createToken({ token: 'owner', login: 'octocat', permission: 'admin' })
  await emulator.admin.createToken({
    token: 'bot',
    login: 'github-actions[bot]',
    type: 'Bot',
    permission: 'write'
  })
  ctx = {
    octokit: createGitHubClient({
      token: 'owner',
      baseUrl: emulator.url,
      throttle: { writeSpacingMs: 0 }
    }),
    owner: 'octocat',
    repo: 'fidelity-bundles'
  }
  workspace = mkdtempSync(join(tmpdir(), 'hubstore-fidelity-bundles-'))
})
afterAll(async () => {
  await emulator.close()
  rmSync(workspace, { recursive: true, force: true })
})

const step = (name: string, inputs: Record<string, string>) =>
  runAction({
    name,
    eventName: 'workflow_dispatch',
    inputs,
    repository: REPOSITORY,
    token: 'bot',
    apiUrl: emulator.url,
    env: { GITHUB_WORKSPACE: workspace, HUBSTORE_WRITE_SPACING_MS: '0' },
    timeoutMs: 60_000
  })

/** The snapshot text `step` wrote: in the workspace, or committed on the default branch. */
async function snapshotText(where: 'workspace' | 'repository', path: string): Promise<string> {
  if (where === 'workspace') return readFileSync(join(workspace, path), 'utf8')
  const { data } = await ctx.octokit.rest.repos.getContent({
    owner: ctx.owner,
    repo: ctx.repo,
    path,
    headers: { accept: 'application/vnd.github.raw+json' }
  })
  return String(data)
}

/** gh-store's snapshot bytes of this store at the `snapshot_time` the written file carries. */
async function expected(text: string, objects: Array<{ id: string; issueNumber: number }>) {
  const time = /"snapshot_time": "([^"]+)"/.exec(text)?.[1]
  expect(time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$/)
  return ghStoreSnapshot(ctx, time!, objects)
}

describe('gh-store data through the committed process-updates and snapshot bundles', () => {
  it('dist/process-updates writes the body gh-store writes; dist/snapshot writes gh-store’s snapshot bytes (full, incremental, workspace and commit), version aside', async () => {
    const f1 = await pythonCreate(ctx, 'f1-2024', BODY)
    const small = await pythonCreate(ctx, '42', BODY_42)
    const objects = [
      { id: '42', issueNumber: small.issueNumber },
      { id: 'f1-2024', issueNumber: f1.issueNumber }
    ]

    // snapshot of the store gh-store's client wrote = gh-store's own snapshot of it
    const first = await step('snapshot', { mode: 'full', commit: 'false', path: 'snap.json' })
    expect([first.exitCode, first.annotations]).toEqual([0, []])
    const firstText = await snapshotText('workspace', 'snap.json')
    expect(versionAside(firstText).trimEnd()).toBe(await expected(firstText, objects))

    // process: the bundle writes the body gh-store's processor would write
    await updateObject(ctx, 'f1-2024', parseJson(CHANGES) as JsonMap)
    const processed = await step('process-updates', { 'issue-number': String(f1.issueNumber) })
    expect([processed.exitCode, processed.annotations]).toEqual([0, []])
    expect(processed.outputs).toMatchObject({ applied: '1', rejected: '0' })
    const { data: issue } = await ctx.octokit.rest.issues.get({
      owner: ctx.owner,
      repo: ctx.repo,
      issue_number: f1.issueNumber
    })
    expect(issue.body).toBe(AFTER)

    // snapshot again: incremental over the first file, full committed — gh-store's bytes
    const incremental = await step('snapshot', {
      mode: 'incremental',
      commit: 'false',
      path: 'snap.json'
    })
    expect([incremental.exitCode, incremental.outputs.changed]).toEqual([0, 'true'])
    const incrementalText = await snapshotText('workspace', 'snap.json')
    expect(versionAside(incrementalText).trimEnd()).toBe(await expected(incrementalText, objects))
    const committed = await step('snapshot', { mode: 'full', commit: 'true', path: 'snap.json' })
    expect(committed.exitCode).toBe(0)
    expect(committed.outputs['commit-sha']).toMatch(/^[0-9a-f]{40}$/)
    const committedText = await snapshotText('repository', 'snap.json')
    expect(versionAside(committedText).trimEnd()).toBe(await expected(committedText, objects))
  }, 60_000)
})
