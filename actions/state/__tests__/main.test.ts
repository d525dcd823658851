import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startEmulator, type Emulator } from '@hubstore/emulator'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { captureLog } from '../../../test-support/capture-log.js'
import { driveAction } from '../../../test-support/drive-action.js'
import { Inputs } from '../src/constants.js'
import { run } from '../src/main.js'

let emulator: Emulator
const TOKEN = 'tok-state-action'
beforeAll(async () => {
  emulator = await startEmulator()
  await emulator.admin.createRepo({ full_name: 'octocat/state-action' })
  await emulator.admin.createToken({
    token: TOKEN,
    login: 'github-actions[bot]',
    type: 'Bot',
    permission: 'write'
  })
})
afterAll(async () => {
  await emulator.close()
})

/** Runs the action as one step with real INPUT_* variables and runner files. */
function step(inputs: Partial<Record<Inputs, string>>, workspace?: string) {
  return driveAction(run, {
    ...(workspace ? { workspace } : {}),
    env: { GITHUB_API_URL: emulator.url },
    inputs: {
      token: TOKEN,
      repository: 'octocat/state-action',
      branch: 'automation-state',
      'create-branch': 'orphan',
      default: 'null',
      ...inputs
    }
  })
}

describe('state action', () => {
  it('run: set, merge, get and delete with GITHUB_TOKEN-class credentials', async () => {
    const set = await step({
      command: 'set',
      path: 'nightly/state.json',
      value: '{"cursor": 10, "seen": ["a"]}'
    })
    expect(set.failed).toBe(false)
    expect(set.outputs).toMatchObject({
      exists: 'true',
      changed: 'true',
      value: '{"cursor":10,"seen":["a"]}'
    })
    expect(set.outputs['commit-sha']).toMatch(/^[0-9a-f]{40}$/)

    const merged = await step({
      command: 'merge',
      path: 'nightly/state.json',
      value: '{"cursor": 11, "seen": null}'
    })
    expect(merged.outputs.value).toBe('{"cursor":11}')

    const got = await step({ command: 'get', path: 'nightly/state.json' })
    expect(got.outputs).toMatchObject({
      value: '{"cursor":11}',
      exists: 'true',
      changed: 'false',
      'commit-sha': ''
    })

    const deleted = await step({ command: 'delete', path: 'nightly/state.json' })
    expect(deleted.outputs).toMatchObject({ exists: 'true', changed: 'true', value: 'null' })

    const missing = await step({
      command: 'get',
      path: 'nightly/state.json',
      default: '{"cursor": 0}'
    })
    expect(missing.outputs).toMatchObject({ exists: 'false', value: '{"cursor":0}' })
  })

  it('run: a value that is not JSON fails the step naming the input', async () => {
    const r = await step({ command: 'set', path: 'x.json', value: '{cursor: 1}' })
    expect(r.failed).toBe(true)
  })

  it('inputs: a branch name core refuses is reported as input "branch", its value echoed', async () => {
    const r = await captureLog(() => step({ command: 'get', path: 'x.json', branch: 'state..<b>' }))
    expect(r.result.failed).toBe(true)
    expect(r.log).toContain(
      '::error::INVALID_OPTIONS: Input "branch" must be a valid branch name (e.g. "automation-state"); got "state..<b>".'
    )
  })

  it('value-file: a 1 MiB value (over the 128 KiB an input can carry) is set and read back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hubstore-state-action-'))
    try {
      const big = { blob: 'x'.repeat(1024 * 1024) }
      writeFileSync(join(dir, 'big.json'), JSON.stringify(big))
      const set = await step(
        { command: 'set', path: 'big/state.json', 'value-file': 'big.json' },
        dir
      )
      expect(set.failed).toBe(false)
      expect(set.outputs.changed).toBe('true')
      const got = await step({ command: 'get', path: 'big/state.json' })
      expect(JSON.parse(got.outputs.value)).toEqual(big)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('value-file: together with value, an unsafe file path or an unsafe path fail naming the input', async () => {
    const both = await captureLog(() =>
      step({ command: 'set', path: 'x.json', value: '1', 'value-file': 'v.json' })
    )
    expect(both.result.failed).toBe(true)
    expect(both.log).toContain('Input "value-file": cannot be given together with "value"')
    const unsafe = await captureLog(() =>
      step({ command: 'set', path: 'x.json', 'value-file': '../v.json' })
    )
    expect(unsafe.log).toContain(
      'Input "value-file": the value file path "../v.json" has a ".." segment'
    )
    for (const path of ['../../x.json', '.git/config', 'a/.git/x.json', 'a//b.json']) {
      const bad = await captureLog(() => step({ command: 'set', path, value: '1' }))
      expect(bad.result.failed).toBe(true)
      expect(bad.log).toContain(`Input "path": expected a relative file path`)
    }
  })
})
