import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DEFAULT_STORE_CONFIG, parseStoreConfig } from '@hubstore/core/objects'
import { parse } from 'yaml'
import {
  readWorkflow,
  workflowCallerProblems,
  type Workflow
} from '../../../test-support/action-metadata.js'
import { run } from '../src/main.js'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hubstore-init-'))
})
afterAll(async () => rm(dir, { recursive: true, force: true }))

/** Runs the CLI in-process, capturing stdout and stderr. */
async function hubstore(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const write = process.stdout.write.bind(process.stdout)
  const writeErr = process.stderr.write.bind(process.stderr)
  process.stdout.write = ((s: string) => ((stdout += s), true)) as typeof process.stdout.write
  process.stderr.write = ((s: string) => ((stderr += s), true)) as typeof process.stderr.write
  try {
    const code = await run(['node', 'hubstore', ...args], {
      stdout: (s) => void (stdout += s),
      stderr: (s) => void (stderr += s)
    })
    return { code, stdout, stderr }
  } finally {
    process.stdout.write = write
    process.stderr.write = writeErr
  }
}

const FILES = [
  'config.yml',
  '.github/workflows/hubstore-process-updates.yml',
  '.github/workflows/hubstore-snapshot.yml'
]

describe('hubstore init', () => {
  it('an empty repository: writes config.yml with gh-store’s defaults and workflows that pass the action-metadata checks', async () => {
    const repo = join(dir, 'empty')
    await mkdir(repo)
    const r = await hubstore(['init', repo, '--json'])
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout).files).toEqual(FILES.map((path) => ({ path, action: 'written' })))
    expect(parseStoreConfig(await readFile(join(repo, 'config.yml'), 'utf8'))).toEqual(
      DEFAULT_STORE_CONFIG
    )

    const process = parse(await readFile(join(repo, FILES[1]!), 'utf8')) as Workflow
    expect(workflowCallerProblems(process)).toEqual([])
    expect(process.on).toMatchObject({
      issues: { types: ['reopened'] },
      issue_comment: { types: ['created'] },
      schedule: [{ cron: expect.any(String) }]
    })
    expect(process.jobs.process).toMatchObject({
      uses: 'hubstore/hubstore/.github/workflows/process-updates.yml@v0',
      with: { config: 'config.yml', 'base-label': 'stored-object' }
    })
    const snapshot = parse(await readFile(join(repo, FILES[2]!), 'utf8')) as Workflow
    expect(workflowCallerProblems(snapshot)).toEqual([])
    expect(snapshot.jobs.snapshot).toMatchObject({
      uses: 'hubstore/hubstore/.github/workflows/snapshot.yml@v0',
      with: { config: 'config.yml' }
    })
  })

  it('the caller checks can fail: an undeclared input, a wrong type, a missing permission', () => {
    const caller = (job: Record<string, unknown>, permissions: Record<string, string>) =>
      ({ on: {}, permissions, jobs: { j: job } }) as unknown as Workflow
    const uses = 'hubstore/hubstore/.github/workflows/process-updates.yml@v0'
    expect(
      workflowCallerProblems(
        caller({ uses, with: { confg: 'x', 'fail-on-error': 'yes' } }, { issues: 'write' })
      )
    ).toEqual([
      'job j: process-updates.yml has no input confg',
      'job j: input fail-on-error is boolean, got "yes"',
      'job j: process-updates.yml needs contents: write; the caller grants none'
    ])
    expect(readWorkflow('process-updates.yml').permissions).toEqual({
      issues: 'write',
      contents: 'write'
    })
  })

  it('existing files: nothing is written without --force (exit 2, naming them); --dry-run writes nothing', async () => {
    const repo = join(dir, 'existing')
    await mkdir(repo)
    await writeFile(join(repo, 'config.yml'), 'store:\n  base_label: mine\n')
    const refused = await hubstore(['init', repo])
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain('init: config.yml already exists in')
    expect(await readFile(join(repo, 'config.yml'), 'utf8')).toBe('store:\n  base_label: mine\n')
    await expect(readFile(join(repo, FILES[1]!), 'utf8')).rejects.toMatchObject({
      code: 'ENOENT'
    })

    const dry = await hubstore(['init', repo, '--dry-run'])
    expect(dry.code).toBe(0)
    expect(dry.stdout).toContain('--- .github/workflows/hubstore-snapshot.yml (not written)')
    await expect(readFile(join(repo, FILES[2]!), 'utf8')).rejects.toMatchObject({
      code: 'ENOENT'
    })

    const forced = await hubstore(['init', repo, '--force', '--json'])
    expect(forced.code).toBe(0)
    expect(JSON.parse(forced.stdout).files[0]).toEqual({
      path: 'config.yml',
      action: 'overwritten'
    })
    expect(parseStoreConfig(await readFile(join(repo, 'config.yml'), 'utf8'))).toEqual(
      DEFAULT_STORE_CONFIG
    )
  })
})
