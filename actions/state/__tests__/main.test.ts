import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { startEmulator, type Emulator } from '@hubstore/emulator'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Inputs } from '../src/constants.js'
import { run } from '../src/main.js'

let emulator: Emulator
let dir: string
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
  dir = mkdtempSync(join(tmpdir(), 'hubstore-state-action-'))
})
afterAll(async () => {
  await emulator.close()
  rmSync(dir, { recursive: true, force: true })
})

const touched: string[] = []
afterEach(() => {
  for (const k of touched.splice(0)) delete process.env[k]
  process.exitCode = undefined
})

/** Sets real INPUT_* variables (the runner's mangling) and runner files, runs the action, reads outputs. */
async function step(
  inputs: Partial<Record<Inputs, string>>
): Promise<{ outputs: Record<string, string>; failed: boolean }> {
  for (const k of touched.splice(0)) delete process.env[k]
  process.exitCode = undefined
  const output = join(dir, `out-${Math.random()}`)
  writeFileSync(output, '')
  const env: Record<string, string> = {
    GITHUB_OUTPUT: output,
    GITHUB_API_URL: emulator.url,
    INPUT_TOKEN: TOKEN,
    INPUT_REPOSITORY: 'octocat/state-action',
    INPUT_BRANCH: 'automation-state',
    'INPUT_CREATE-BRANCH': 'orphan',
    INPUT_DEFAULT: 'null'
  }
  for (const [k, v] of Object.entries(inputs))
    env[`INPUT_${k.replace(/ /g, '_').toUpperCase()}`] = v
  for (const [k, v] of Object.entries(env)) {
    process.env[k] = v
    touched.push(k)
  }
  await run()
  const outputs: Record<string, string> = {}
  const text = readFileSync(output, 'utf8')
  for (const m of text.matchAll(/^(.+?)<<(.+)\n([\s\S]*?)\n\2$/gm)) outputs[m[1]] = m[3]
  return { outputs, failed: process.exitCode === 1 }
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
})
