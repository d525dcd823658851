/**
 * Issue 10, acceptance line 4, through the committed bundles: every repository path of the
 * issue's list (and a leading `/` and a `.git` in another case) is refused by dist/increment-sequence,
 * dist/state and dist/snapshot (committing, and writing the workspace) with a message naming the
 * input; nothing is committed, no such tree entry exists on any branch, and no `.git` appears in
 * the workspace. Read back from the emulator and the file system.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createGitHubClient, createObject, type RepoContext } from '@hubstore/core'
import { startEmulator, type Emulator } from '@hubstore/emulator'
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runAction, type ActionRun } from '../src/run-action/run-action.js'

const REPOSITORY = 'octocat/paths-bundles'
const BAD_PATHS = [
  '../../x.json',
  '.git/config',
  'a/.git/x.json',
  'a//b.json',
  '.git/hooks/pre-commit',
  '.GIT/config',
  '/x.json'
]
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
    repo: 'paths-bundles'
  }
  await createObject(ctx, 'cart', { n: 1 })
  workspace = mkdtempSync(join(tmpdir(), 'hubstore-paths-bundles-'))
})
afterAll(async () => {
  await emulator.close()
  rmSync(workspace, { recursive: true, force: true })
})

const step = (name: string, inputs: Record<string, string>): Promise<ActionRun> =>
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

/** Every path of every branch's tree. */
async function everyTreePath(): Promise<string[]> {
  const branches = await ctx.octokit.paginate(ctx.octokit.rest.repos.listBranches, {
    owner: ctx.owner,
    repo: ctx.repo,
    per_page: 100
  })
  const paths: string[] = []
  for (const b of branches) {
    const { data } = await ctx.octokit.rest.git.getTree({
      owner: ctx.owner,
      repo: ctx.repo,
      tree_sha: b.commit.sha,
      recursive: 'true'
    })
    paths.push(...data.tree.map((e) => `${b.name}:${e.path}`))
  }
  return paths
}

const cases: Array<[string, string, string, (path: string) => Record<string, string>]> = [
  [
    'dist/increment-sequence',
    'increment-sequence',
    'path',
    (path) => ({ sequence: 'invoice', path })
  ],
  [
    'dist/state set',
    'state',
    'path',
    (path) => ({
      command: 'set',
      path,
      value: '{"a":1}',
      branch: 'automation-state',
      'create-branch': 'orphan'
    })
  ],
  ['dist/snapshot commit: true', 'snapshot', 'path', (path) => ({ path, commit: 'true' })],
  ['dist/snapshot commit: false', 'snapshot', 'path', (path) => ({ path, commit: 'false' })]
]

describe('repository paths through the committed bundles', () => {
  it.each(cases)(
    '%s: every unsafe path is refused naming the input, and nothing is written',
    async (_label, name, input, inputs) => {
      const writesBefore = (await emulator.admin.ledger()).filter((e) => e.method !== 'GET').length
      for (const path of BAD_PATHS) {
        const run = await step(name, inputs(path))
        expect({ path, exitCode: run.exitCode, outputs: run.outputs }).toEqual({
          path,
          exitCode: 1,
          outputs: {}
        })
        expect({ path, errors: run.annotations.filter((a) => a.level === 'error') }).toEqual({
          path,
          errors: [
            {
              level: 'error',
              message: expect.stringContaining(`Input "${input}": expected a relative file path`)
            }
          ]
        })
      }
      // No write request reached the emulator, no tree entry has a bad segment, no .git in the workspace.
      expect((await emulator.admin.ledger()).filter((e) => e.method !== 'GET').length).toBe(
        writesBefore
      )
      const bad = (await everyTreePath()).filter((p) =>
        p
          .slice(p.indexOf(':') + 1)
          .split('/')
          .some((s) => ['', '.', '..'].includes(s) || s.toLowerCase() === '.git')
      )
      expect(bad).toEqual([])
      expect(readdirSync(workspace).filter((f) => f.toLowerCase() === '.git')).toEqual([])
      expect(existsSync(join(workspace, '../../x.json'))).toBe(false)
    },
    60_000
  )
})
