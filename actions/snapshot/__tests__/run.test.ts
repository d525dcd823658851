import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createGitHubClient, createObject } from '@hubstore/core'
import { startEmulator, type Emulator } from '@hubstore/emulator'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { captureLog } from '../../../test-support/capture-log.js'
import { createActionTokens, driveAction } from '../../../test-support/drive-action.js'
import { run } from '../src/main.js'

let emulator: Emulator
let workspace: string
const REPO = 'octocat/snapshot-action'
beforeAll(async () => {
  emulator = await startEmulator()
  await emulator.admin.createRepo({ full_name: REPO, default_branch: 'main' })
  await createActionTokens(emulator)
  const octokit = createGitHubClient({
    token: 'owner',
    baseUrl: emulator.url,
    throttle: { writeSpacingMs: 0 }
  })
  await createObject({ octokit, owner: 'octocat', repo: 'snapshot-action' }, 'cart', { n: 1 })
  workspace = mkdtempSync(join(tmpdir(), 'hubstore-snapshot-action-'))
})
afterAll(async () => {
  await emulator.close()
  rmSync(workspace, { recursive: true, force: true })
})

/** One step of the action with its action.yml defaults, as the runner would start it. */
const step = (inputs: Record<string, string>) =>
  driveAction(run, {
    action: 'snapshot',
    token: 'bot',
    repository: REPO,
    workspace,
    inputs,
    env: { GITHUB_API_URL: emulator.url }
  })

describe('snapshot action', () => {
  it('run: commit false writes the workspace file; a second run finds nothing changed', async () => {
    const first = await step({ commit: 'false', path: 'out/snap.json' })
    expect(first.failed).toBe(false)
    expect(first.outputs).toEqual({
      path: 'out/snap.json',
      objects: '1',
      changed: 'true',
      'commit-sha': ''
    })
    const file = join(workspace, 'out/snap.json')
    expect(existsSync(file)).toBe(true)
    expect(readFileSync(file, 'utf8')).toContain('"cart"')
    expect(first.summary).toContain('Changed: `cart`')

    const second = await step({ commit: 'false', path: 'out/snap.json' })
    expect(second.outputs).toMatchObject({ changed: 'false', objects: '1' })
  })

  it('run: commit true commits the file on the default branch', async () => {
    const r = await step({ mode: 'full' })
    expect(r.failed).toBe(false)
    expect(r.outputs).toMatchObject({ path: 'data/store-snapshot.json', changed: 'true' })
    expect(r.outputs['commit-sha']).toMatch(/^[0-9a-f]{40}$/)
  })

  it('inputs: a path outside the checkout fails the step', async () => {
    expect((await step({ path: '../x.json' })).failed).toBe(true)
  })

  it.each(['../../x.json', '.git/config', 'a/.git/x.json', 'a//b.json', '.git/hooks/pre-commit'])(
    'inputs: path %j is refused naming the input, in the workspace and in the repository',
    async (path) => {
      for (const commit of ['false', 'true']) {
        const r = await captureLog(() => step({ commit, path }))
        expect(r.result.failed).toBe(true)
        expect(r.log).toContain('Input "path": expected a relative file path')
      }
      expect(existsSync(join(workspace, '.git'))).toBe(false)
    }
  )
})
