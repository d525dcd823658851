import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  createGitHubClient,
  createObject,
  getObject,
  processUpdates,
  updateObject
} from '@hubstore/core'
import { parseStoreConfig } from '@hubstore/core/objects'
import { startEmulator, type Emulator } from '@hubstore/emulator'
import { createActionTokens, driveAction } from '../../../test-support/drive-action.js'
import { run } from '../src/main.js'

let emulator: Emulator
const REPO = 'octocat/snapshot-config'
const CONFIG = 'store:\n  base_label: my-store\n  uid_prefix: "ID:"\n'
beforeAll(async () => {
  emulator = await startEmulator()
  await emulator.admin.createRepo({ full_name: REPO, default_branch: 'main' })
  await createActionTokens(emulator)
  await emulator.admin.putFile(REPO, 'config.yml', CONFIG)
  await emulator.admin.putFile(REPO, 'numbered.yml', 'hubstore:\n  version_numbering: gh-store\n')
})
afterAll(async () => emulator.close())

describe('snapshot action: the config input', () => {
  it('config: the snapshot lists the objects of the configured labels, not gh-store’s defaults', async () => {
    const octokit = createGitHubClient({
      token: 'owner',
      baseUrl: emulator.url,
      throttle: { writeSpacingMs: 0 }
    })
    const at = { octokit, owner: 'octocat', repo: 'snapshot-config' }
    await createObject({ ...at, storeConfig: parseStoreConfig(CONFIG) }, 'mine', { n: 1 })
    await createObject(at, 'default-labels', { n: 2 })
    const r = await driveAction(run, {
      action: 'snapshot',
      token: 'bot',
      repository: REPO,
      inputs: { config: 'config.yml', mode: 'full', path: 'data/s.json' },
      env: { GITHUB_API_URL: emulator.url }
    })
    expect(r.failed).toBe(false)
    expect(r.outputs).toMatchObject({ objects: '1', changed: 'true' })
    const { data } = await octokit.rest.repos.getContent({
      owner: 'octocat',
      repo: 'snapshot-config',
      path: 'data/s.json',
      headers: { accept: 'application/vnd.github.raw+json' }
    })
    expect(Object.keys(JSON.parse(String(data)).objects)).toEqual(['mine'])
  })

  it('config: hubstore.version_numbering gh-store writes every version 1, as gh-store’s snapshots; without it the comment count', async () => {
    const octokit = createGitHubClient({
      token: 'owner',
      baseUrl: emulator.url,
      throttle: { writeSpacingMs: 0 }
    })
    const at = { octokit, owner: 'octocat', repo: 'snapshot-config' }
    await updateObject(at, 'default-labels', { n: 3 })
    await processUpdates(at, (await getObject(at, 'default-labels')).meta.issueNumber)
    const versions = async (inputs: Record<string, string>) => {
      const r = await driveAction(run, {
        action: 'snapshot',
        token: 'bot',
        repository: REPO,
        inputs: { mode: 'full', path: 'data/n.json', ...inputs },
        env: { GITHUB_API_URL: emulator.url }
      })
      expect(r.failed).toBe(false)
      const { data } = await octokit.rest.repos.getContent({
        owner: 'octocat',
        repo: 'snapshot-config',
        path: 'data/n.json',
        headers: { accept: 'application/vnd.github.raw+json' }
      })
      const objects = JSON.parse(String(data)).objects as Record<
        string,
        { meta: { version: number } }
      >
      return objects['default-labels']?.meta.version
    }
    expect(await versions({})).toBe(2)
    expect(await versions({ config: 'numbered.yml' })).toBe(1)
  })
})
