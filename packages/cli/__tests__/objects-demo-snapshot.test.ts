import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startEmulator, type Emulator } from '@hubstore/emulator'
import { createGitHubClient, createObject } from '@hubstore/core'
import { snapshotObjects } from '@hubstore/core/snapshot'
import { runSnapshotDemo } from '../src/demo/snapshot.js'

let emulator: Emulator
beforeAll(async () => {
  emulator = await startEmulator()
  await emulator.admin.createRepo({ full_name: 'octocat/snap-demo', default_branch: 'main' })
  await emulator.admin.createToken({ token: 'owner', login: 'octocat', permission: 'admin' })
  await emulator.admin.createToken({
    token: 'bot',
    login: 'github-actions[bot]',
    type: 'Bot',
    permission: 'write'
  })
  const ctx = {
    octokit: createGitHubClient({
      token: 'owner',
      baseUrl: emulator.url,
      throttle: { writeSpacingMs: 0 }
    }),
    owner: 'octocat',
    repo: 'snap-demo'
  }
  await createObject(ctx, 'inventory', { apples: 3 })
  await createObject(ctx, 'settings', { theme: 'dark' })
})
afterAll(async () => emulator.close())

describe('demo: snapshot step', () => {
  it('runSnapshotDemo: full snapshot, more changes, incremental snapshot — through the committed bundle', async () => {
    const lines: string[] = []
    const result = await runSnapshotDemo({
      apiUrl: emulator.url,
      admin: emulator.admin,
      repository: 'octocat/snap-demo',
      ownerToken: 'owner',
      actionToken: 'bot',
      log: (l) => lines.push(l)
    })
    expect(result.full.run.exitCode).toBe(0)
    expect(result.full.run.outputs).toMatchObject({
      path: 'data/store-snapshot.json',
      objects: '2',
      changed: 'true',
      'commit-sha': expect.stringMatching(/^[0-9a-f]{40}$/)
    })
    // order-free: the committed bundle may predate gh-store's newest-first order
    expect([...result.full.snapshot.objects.keys()].sort()).toEqual(['inventory', 'settings'])
    // + 1: the first snapshot's 404 on the file is checked with GET /repos (docs/github-behaviour.md §11.6)
    expect(result.full.requests.length).toBeLessThanOrEqual(Math.ceil(2 / 100) + 3)

    expect(result.changes).toEqual({
      created: 'snapshot-demo',
      updated: 'inventory',
      deleted: 'settings'
    })
    expect(result.incremental.run.exitCode).toBe(0)
    expect(result.incremental.run.outputs).toMatchObject({ objects: '2', changed: 'true' })
    expect(snapshotObjects(result.incremental.snapshot).inventory.data).toEqual({
      apples: 3,
      snapshotted: true
    })
    expect(snapshotObjects(result.incremental.snapshot).inventory.meta.version).toBe(2)
    expect(result.incremental.snapshot.objects.get('settings')).toBeUndefined()
    expect([...result.incremental.snapshot.objects.keys()]).toEqual(['inventory', 'snapshot-demo'])
    expect(result.incremental.requests.length).toBeLessThanOrEqual(4 + 1)
    expect(result.incremental.run.summary).toContain('Changed: `inventory`, `snapshot-demo`')
    expect(lines.join('\n')).toContain('mode incremental')
  })
})
