/**
 * `mode: prune` driven as the runner starts the step (real INPUT_* variables), against the
 * emulator: backups made at chosen times through core, pruned by keep-last / keep-daily, read
 * back from the data branch.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createGitHubClient } from '@hubstore/core'
import { backupDirectory, listBackups } from '@hubstore/core/data'
import { startEmulator, type Emulator } from '@hubstore/emulator'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { captureLog } from '../../../test-support/capture-log.js'
import { driveAction } from '../../../test-support/drive-action.js'
import { Inputs } from '../src/constants.js'
import { run } from '../src/main.js'

const TOKEN = 'ghs_persistPruneDistinctToken3a8'
const REPO = 'octocat/prune-data'
let emulator: Emulator
const workspace = mkdtempSync(join(tmpdir(), 'hubstore-persist-prune-'))
const ids: string[] = []
const ctx = () => ({
  octokit: createGitHubClient({ token: TOKEN, baseUrl: emulator.url }),
  owner: 'octocat',
  repo: 'prune-data'
})

beforeAll(async () => {
  emulator = await startEmulator()
  await emulator.admin.createRepo({ full_name: REPO })
  await emulator.admin.createToken({ token: TOKEN, login: 'octocat', permission: 'admin' })
  const data = join(workspace, 'data')
  mkdirSync(data)
  for (const t of ['2026-11-01T08:00:00Z', '2026-11-01T09:00:00Z', '2026-11-02T08:00:00Z']) {
    writeFileSync(join(data, 'v.txt'), t)
    ids.push((await backupDirectory(ctx(), data, { now: () => new Date(t) })).backupId)
  }
})
afterAll(async () => {
  await emulator.close()
  rmSync(workspace, { recursive: true, force: true })
})

const step = (inputs: Record<string, string>) =>
  captureLog(() =>
    driveAction(run, {
      action: 'persist-data',
      token: TOKEN,
      repository: REPO,
      workspace,
      inputs,
      env: { GITHUB_API_URL: emulator.url, GITHUB_SERVER_URL: emulator.url }
    })
  )

describe('persist-data prune', () => {
  it('keep-daily 2: the newest of each day stays; outputs and summary say what happened', async () => {
    const { result } = await step({ mode: 'prune', [Inputs.KeepDaily]: '2' })
    expect(result.failed).toBe(false)
    const after = await listBackups(ctx())
    expect(after.backups.map((b) => b.id)).toEqual([ids[2], ids[1]])
    expect(result.outputs).toMatchObject({ 'backup-id': ids[2], 'commit-sha': after.commitSha })
    expect(result.summary).toContain('1 backup(s) removed, 2 kept')
    expect(result.summary).toContain(
      `<td>${ids[0]}</td><td>2026-11-01T08:00:00.000Z</td><td>removed</td>`
    )
  })

  it('neither keep-last nor keep-daily: the step fails naming the input, nothing removed', async () => {
    const { result, log } = await step({ mode: 'prune' })
    expect(result.failed).toBe(true)
    expect(log).toContain('Input "keep-last": is empty or 0, and so is keep-daily')
    expect((await listBackups(ctx())).backups).toHaveLength(2)
  })
})
