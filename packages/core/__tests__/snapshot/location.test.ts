import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Emulator } from '@hubstore/emulator'
import { createObject, repositoryFile, snapshotInto, workspaceFile } from '../../src/index.js'
import { readRepoFile } from '../../src/github/index.js'
import { parseSnapshot } from '../../src/snapshot/index.js'
import { freshRepo, startWorld } from '../support/emulator.js'

let emulator: Emulator
let dir: string
beforeAll(async () => {
  emulator = await startWorld()
  dir = await mkdtemp(join(tmpdir(), 'hubstore-snapshot-'))
})
afterAll(async () => {
  await emulator.close()
  await rm(dir, { recursive: true, force: true })
})

const PATH = 'data/store-snapshot.json'

describe('snapshotInto: one path, the location injected', () => {
  it('incremental with no file takes a full snapshot (mode full), in a workspace file and a repository file alike', async () => {
    const { as } = await freshRepo(emulator)
    const ctx = as('octocat')
    await createObject(ctx, 'a', { n: 1 })
    const local = await snapshotInto(ctx, workspaceFile(PATH, { root: dir }), {
      mode: 'incremental'
    })
    expect(local).toMatchObject({ mode: 'full', outcome: 'written', objects: 1, attempts: 1 })
    expect(local.commitSha).toBeUndefined()
    const onDisk = parseSnapshot(await readFile(join(dir, PATH), 'utf8'), PATH)
    expect([...onDisk.objects.keys()]).toEqual(['a'])

    const remote = await snapshotInto(ctx, repositoryFile(ctx, { path: PATH }), {
      mode: 'incremental'
    })
    expect(remote).toMatchObject({ mode: 'full', outcome: 'written', objects: 1, attempts: 1 })
    const read = await readRepoFile(ctx, PATH)
    expect(read.found && read.file.sha).toBeTruthy()

    // The workspace file is the previous snapshot of the next run: nothing changed, nothing written.
    const idle = await snapshotInto(ctx, workspaceFile(PATH, { root: dir }), {
      mode: 'incremental'
    })
    expect(idle).toMatchObject({ mode: 'incremental', outcome: 'unchanged', attempts: 0 })
  })

  it("ifMissing: 'error' makes a missing file SNAPSHOT_NOT_FOUND before any listing", async () => {
    const { as } = await freshRepo(emulator)
    const ctx = as('octocat')
    const before = ctx.octokit.hubstore.requests
    await expect(
      snapshotInto(ctx, workspaceFile('absent.json', { root: dir }), {
        mode: 'incremental',
        ifMissing: 'error'
      })
    ).rejects.toMatchObject({ code: 'SNAPSHOT_NOT_FOUND' })
    expect(ctx.octokit.hubstore.requests).toBe(before)
  })
})
