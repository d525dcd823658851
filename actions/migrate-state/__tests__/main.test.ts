import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startEmulator, type Emulator } from '@hubstore/emulator'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { driveAction } from '../../../test-support/drive-action.js'
import { Inputs } from '../src/constants.js'
import { run } from '../src/main.js'

let emulator: Emulator
let dir: string
const PAT = 'tok-migrate-pat'
const BOT = 'tok-migrate-actions'
const REPO = 'octocat/migrate-action'
const VARS: Record<string, string> = {
  PRIMARY_ALBUM_1_POSTS:
    '[{"position":1,"photo_id":"a","instagram_post_id":"i","posted_at":"2024-01-01T00:00:00Z"}]',
  PRIMARY_ALBUM_1_FAILED: '[2]',
  PRIMARY_SETTINGS: '{"hashtags":5}'
}

beforeAll(async () => {
  emulator = await startEmulator()
  await emulator.admin.createRepo({ full_name: REPO })
  await emulator.admin.createToken({ token: PAT, login: 'octocat', permission: 'admin' })
  await emulator.admin.createToken({
    token: BOT,
    login: 'github-actions[bot]',
    type: 'Bot',
    permission: 'write'
  })
  for (const [name, value] of Object.entries(VARS))
    await fetch(`${emulator.url}/repos/${REPO}/actions/variables`, {
      method: 'POST',
      headers: { authorization: `token ${PAT}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name, value })
    })
  dir = mkdtempSync(join(tmpdir(), 'hubstore-migrate-action-'))
  writeFileSync(
    join(dir, 'mapping.json'),
    JSON.stringify({
      rules: [
        {
          pattern: '{account}_SETTINGS',
          path: '{account:lower}-account/global/config.json',
          kind: 'config'
        }
      ]
    })
  )
})
afterAll(async () => {
  await emulator.close()
  rmSync(dir, { recursive: true, force: true })
})

/** Runs the action as one step with real INPUT_* variables and runner files. */
function step(inputs: Partial<Record<Inputs, string>>) {
  return driveAction(run, {
    workspace: dir,
    env: { GITHUB_API_URL: emulator.url },
    inputs: {
      token: BOT,
      repository: REPO,
      branch: 'automation-state',
      mapping: 'mapping.json',
      ...inputs
    }
  })
}

describe('migrate-state action', () => {
  it('run: analyze → migrate (dry run by default) → migrate → validate with GITHUB_TOKEN + vars-json', async () => {
    const varsJson = JSON.stringify(VARS)
    const analyze = await step({ command: 'analyze', 'vars-json': varsJson })
    expect(analyze.failed).toBe(false)
    expect(JSON.parse(analyze.outputs.report)).toMatchObject({
      command: 'analyze',
      totals: { variables: 3, mapped: 3, files: 4 }
    })
    expect(analyze.summary).toContain('PRIMARY_ALBUM_1_POSTS')
    expect(analyze.summary).toContain('primary-account/global/config.json')

    const dry = await step({ command: 'migrate', 'vars-json': varsJson })
    expect(dry.outputs).toMatchObject({ migrated: '3', 'commit-sha': '' })
    expect(JSON.parse(dry.outputs.report).dryRun).toBe(true)

    const migrate = await step({ command: 'migrate', 'dry-run': 'false', 'vars-json': varsJson })
    expect(migrate.outputs['commit-sha']).toMatch(/^[0-9a-f]{40}$/)

    const validate = await step({ command: 'validate', 'vars-json': varsJson })
    expect(validate.outputs).toMatchObject({ mismatches: '0', migrated: '3' })
  })

  it('run: cleanup with GITHUB_TOKEN fails with the fix; with a PAT it backs up and deletes', async () => {
    await step({ command: 'migrate', 'dry-run': 'false', 'vars-json': JSON.stringify(VARS) })
    // GITHUB_TOKEN cannot delete variables: refused before anything is written (no backup commit)
    const before = await fetch(`${emulator.url}/repos/${REPO}/branches/automation-state`, {
      headers: { authorization: `token ${PAT}` }
    })
    const head = ((await before.json()) as { commit: { sha: string } }).commit.sha
    const refused = await step({
      command: 'cleanup',
      'dry-run': 'false',
      'vars-json': JSON.stringify(VARS)
    })
    expect(refused.failed).toBe(true)
    const after = await fetch(`${emulator.url}/repos/${REPO}/branches/automation-state`, {
      headers: { authorization: `token ${PAT}` }
    })
    expect(((await after.json()) as { commit: { sha: string } }).commit.sha).toBe(head)

    const cleanup = await step({ command: 'cleanup', 'dry-run': 'false', token: PAT })
    expect(cleanup.failed).toBe(false)
    expect(cleanup.outputs).toMatchObject({ deleted: '3', mismatches: '0' })
    expect(cleanup.outputs['backup-path']).toMatch(/^backups\/variables-.*\.json$/)

    const rollback = await step({ command: 'rollback', 'dry-run': 'false', token: PAT })
    expect(rollback.outputs).toMatchObject({
      restored: '3',
      'backup-path': cleanup.outputs['backup-path']
    })
  })

  it('inputs: an unknown command and an unreadable mapping file fail naming the input', async () => {
    expect((await step({ command: 'migrat' })).failed).toBe(true)
    expect(
      (await step({ command: 'analyze', mapping: 'missing.json', 'vars-json': '{}' })).failed
    ).toBe(true)
  })

  it('vars-file: 1,000 variables (over the 128 KiB an input can carry) migrate and validate', async () => {
    const many: Record<string, string> = {}
    for (let i = 1; i <= 1000; i++)
      many[`BULK_ALBUM_${i}_FAILED`] = JSON.stringify(
        Array.from({ length: 30 }, (_, j) => i * 100 + j)
      )
    const text = JSON.stringify(many)
    expect(text.length).toBeGreaterThan(128 * 1024)
    writeFileSync(join(dir, 'vars.json'), text)
    const migrate = await step({ command: 'migrate', 'dry-run': 'false', 'vars-file': 'vars.json' })
    expect(migrate.failed).toBe(false)
    expect(migrate.outputs.migrated).toBe('1000')
    expect(migrate.outputs['commit-sha']).toMatch(/^[0-9a-f]{40}$/)
    const validate = await step({ command: 'validate', 'vars-file': 'vars.json' })
    expect(validate.outputs).toMatchObject({ mismatches: '0', migrated: '1000' })
    const both = await step({ command: 'analyze', 'vars-file': 'vars.json', 'vars-json': '{}' })
    expect(both.failed).toBe(true)
  })
})
