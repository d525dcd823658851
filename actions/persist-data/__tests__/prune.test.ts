/**
 * `mode: prune` driven as the runner starts the step (real INPUT_* variables), against the
 * emulator: backups made at chosen times through core, pruned by keep-last / keep-daily, read
 * back from the data branch.
 */
import { describe, expect, it } from '@jest/globals'
import { createGitHubClient } from '@hubstore/core'
import { backupDirectory, listBackups } from '@hubstore/core/data'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Inputs } from '../src/constants.js'
import { persistFixture } from './support.js'

const TOKEN = 'ghs_persistPruneDistinctToken3a8'
const REPO = 'octocat/prune-data'
const workspace = mkdtempSync(join(tmpdir(), 'hubstore-persist-prune-'))
const ids: string[] = []
const { step, emulator } = persistFixture({
  repository: REPO,
  token: TOKEN,
  login: 'octocat',
  permission: 'admin',
  workspace,
  seed: async () => {
    const data = join(workspace, 'data')
    mkdirSync(data)
    for (const t of ['2026-11-01T08:00:00Z', '2026-11-01T09:00:00Z', '2026-11-02T08:00:00Z']) {
      writeFileSync(join(data, 'v.txt'), t)
      ids.push((await backupDirectory(ctx(), data, { now: () => new Date(t) })).backupId)
    }
  }
})
const ctx = () => ({
  octokit: createGitHubClient({ token: TOKEN, baseUrl: emulator().url }),
  owner: 'octocat',
  repo: 'prune-data'
})

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
