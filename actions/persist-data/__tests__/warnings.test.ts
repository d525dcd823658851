/**
 * The size and quota warnings of a backup step, driven as the runner starts it (real INPUT_*
 * variables), against the emulator: a small configured quota makes the warning fire as a
 * `core.warning` annotation and a line of the job summary; a bad percentage fails the step.
 */
import { describe, expect, it } from '@jest/globals'
import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Inputs } from '../src/constants.js'
import { persistFixture } from './support.js'

const TOKEN = 'ghs_persistWarnDistinctToken0b7'
const REPO = 'octocat/warn-data'
const workspace = mkdtempSync(join(tmpdir(), 'hubstore-persist-warn-'))
const { step } = persistFixture({
  repository: REPO,
  token: TOKEN,
  login: 'octocat',
  permission: 'admin',
  workspace,
  seed: async () => {
    mkdirSync(join(workspace, 'data'))
    writeFileSync(join(workspace, 'data', 'segment.bin'), randomBytes(40_000))
  }
})

describe('persist-data warnings', () => {
  it('LFS storage at warn-at-percent of lfs-quota-bytes: an annotation and a summary line', async () => {
    const quiet = await step({ mode: 'backup' })
    expect(quiet.result.failed).toBe(false)
    expect(quiet.log).not.toContain('::warning::')

    writeFileSync(join(workspace, 'data', 'more.bin'), randomBytes(20_000))
    const { result, log } = await step({
      mode: 'backup',
      [Inputs.LfsQuotaBytes]: '100000',
      [Inputs.WarnAtPercent]: '50'
    })
    expect(result.failed).toBe(false)
    expect(log).toMatch(/^::warning::LFS_STORAGE_NEAR_QUOTA: Git LFS storage would be /m)
    expect(result.summary).toMatch(/Warning: LFS_STORAGE_NEAR_QUOTA: Git LFS storage would be/)
  })

  it('a percentage over 100 fails the step naming the input', async () => {
    const { result, log } = await step({ mode: 'backup', [Inputs.WarnAtPercent]: '120' })
    expect(result.failed).toBe(true)
    expect(log).toContain('Input "warn-at-percent"')
  })
})
