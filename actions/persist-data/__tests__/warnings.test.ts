/**
 * The size and quota warnings of a backup step, driven as the runner starts it (real INPUT_*
 * variables), against the emulator: a small configured quota makes the warning fire as a
 * `core.warning` annotation and a line of the job summary; a bad percentage fails the step.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startEmulator, type Emulator } from '@hubstore/emulator'
import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { captureLog } from '../../../test-support/capture-log.js'
import { driveAction } from '../../../test-support/drive-action.js'
import { Inputs } from '../src/constants.js'
import { run } from '../src/main.js'

const TOKEN = 'ghs_persistWarnDistinctToken0b7'
const REPO = 'octocat/warn-data'
let emulator: Emulator
const workspace = mkdtempSync(join(tmpdir(), 'hubstore-persist-warn-'))

beforeAll(async () => {
  emulator = await startEmulator()
  await emulator.admin.createRepo({ full_name: REPO })
  await emulator.admin.createToken({ token: TOKEN, login: 'octocat', permission: 'admin' })
  mkdirSync(join(workspace, 'data'))
  writeFileSync(join(workspace, 'data', 'segment.bin'), randomBytes(40_000))
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
