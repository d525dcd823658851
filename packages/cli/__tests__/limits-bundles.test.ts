/**
 * Issue 10, acceptance line 5, through the committed bundles run as the runner runs them: a
 * 1 MiB `state` value through `value-file` (dist/state), 1,000 variables through `vars-file`
 * (dist/migrate-state) and a 5 MB sequence file incremented (dist/increment-sequence). Every
 * result is read back from the emulator. The inline inputs are tried too: the runner passes an
 * input as an environment variable, and Linux refuses to start a process with one over 128 KiB
 * (`E2BIG`, docs/peers-and-limits.md), so the file inputs are the only way in.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createGitHubClient, type RepoContext } from '@hubstore/core'
import { startEmulator, type Emulator } from '@hubstore/emulator'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runAction, type RunActionOptions } from '../src/run-action/run-action.js'

const BOT = 'tok-bot'
let emulator: Emulator
let workspace: string
let repoCount = 0

beforeAll(async () => {
  emulator = await startEmulator()
  await emulator.admin.createToken({
    token: BOT,
    login: 'github-actions[bot]',
    type: 'Bot',
    permission: 'write'
  })
  workspace = mkdtempSync(join(tmpdir(), 'hubstore-limits-bundles-'))
})
afterAll(async () => {
  await emulator.close()
  rmSync(workspace, { recursive: true, force: true })
})

async function freshRepo(): Promise<RepoContext & { repository: string }> {
  const repository = `octocat/limits-${++repoCount}`
  await emulator.admin.createRepo({ full_name: repository, default_branch: 'main' })
  const [owner, repo] = repository.split('/') as [string, string]
  return {
    repository,
    owner,
    repo,
    octokit: createGitHubClient({
      token: BOT,
      baseUrl: emulator.url,
      throttle: { writeSpacingMs: 0 }
    })
  }
}

/** One step of the committed bundle `name`, its workspace holding the input files. */
const step = (
  name: string,
  repository: string,
  inputs: Record<string, string>
): ReturnType<typeof runAction> =>
  runAction({
    name,
    eventName: 'workflow_dispatch',
    inputs,
    repository,
    token: BOT,
    apiUrl: emulator.url,
    env: { GITHUB_WORKSPACE: workspace, HUBSTORE_WRITE_SPACING_MS: '0' },
    timeoutMs: 60_000
  } satisfies RunActionOptions)

/** A file on `ref` as the raw media type returns it (up to 100 MB; docs/github-behaviour.md §1.1). */
async function rawFile(ctx: RepoContext, path: string, ref?: string): Promise<string> {
  const { data } = await ctx.octokit.rest.repos.getContent({
    owner: ctx.owner,
    repo: ctx.repo,
    path,
    ...(ref ? { ref } : {}),
    headers: { accept: 'application/vnd.github.raw+json' }
  })
  return String(data)
}

describe('file inputs and large files through the committed bundles', () => {
  it('dist/state: a 1 MiB value through value-file is committed and read back; as the value input the step cannot start (E2BIG)', async () => {
    const ctx = await freshRepo()
    const big = { blob: 'x'.repeat(1024 * 1024), n: 1 }
    const text = JSON.stringify(big)
    expect(text.length).toBeGreaterThan(1024 * 1024)
    writeFileSync(join(workspace, 'big.json'), text)
    const inputs = { branch: 'automation-state', 'create-branch': 'orphan', path: 'big/state.json' }

    const set = await step('state', ctx.repository, {
      ...inputs,
      command: 'set',
      'value-file': 'big.json'
    })
    expect([set.exitCode, set.annotations]).toEqual([0, []])
    expect(set.outputs).toMatchObject({ exists: 'true', changed: 'true' })
    expect(set.outputs['commit-sha']).toMatch(/^[0-9a-f]{40}$/)
    expect(JSON.parse(await rawFile(ctx, 'big/state.json', 'automation-state'))).toEqual(big)

    const got = await step('state', ctx.repository, { ...inputs, command: 'get' })
    expect(got.exitCode).toBe(0)
    expect(JSON.parse(got.outputs.value ?? 'null')).toEqual(big)

    await expect(
      step('state', ctx.repository, { ...inputs, command: 'set', value: text })
    ).rejects.toMatchObject({ code: 'E2BIG' })
  })

  it('dist/migrate-state: 1,000 variables through vars-file migrate in one commit and validate; as vars-json the step cannot start (E2BIG)', async () => {
    const ctx = await freshRepo()
    const vars: Record<string, string> = {}
    for (let i = 1; i <= 1000; i++)
      vars[`BULK_ALBUM_${i}_FAILED`] = JSON.stringify(
        Array.from({ length: 30 }, (_, j) => i * 100 + j)
      )
    const text = JSON.stringify(vars)
    expect(text.length).toBeGreaterThan(128 * 1024)
    writeFileSync(join(workspace, 'vars.json'), text)

    const migrate = await step('migrate-state', ctx.repository, {
      command: 'migrate',
      'dry-run': 'false',
      'vars-file': 'vars.json'
    })
    expect([migrate.exitCode, migrate.annotations]).toEqual([0, []])
    expect(migrate.outputs.migrated).toBe('1000')
    const sha = migrate.outputs['commit-sha']
    expect(sha).toMatch(/^[0-9a-f]{40}$/)
    // Read back: the branch head is that one commit, and it holds every album's file.
    const { data: branch } = await ctx.octokit.rest.repos.getBranch({
      owner: ctx.owner,
      repo: ctx.repo,
      branch: 'automation-state'
    })
    expect(branch.commit.sha).toBe(sha)
    const { data: tree } = await ctx.octokit.rest.git.getTree({
      owner: ctx.owner,
      repo: ctx.repo,
      tree_sha: sha!,
      recursive: 'true'
    })
    const failedFiles = tree.tree.filter(
      (e) => e.type === 'blob' && e.path?.endsWith('/failed.json')
    )
    expect(failedFiles).toHaveLength(1000)
    const album777 = JSON.parse(
      await rawFile(ctx, 'bulk-account/album-777/failed.json', 'automation-state')
    ) as Array<{ position: number; context: { variable: string } }>
    expect(album777.map((f) => f.position)).toEqual(JSON.parse(vars.BULK_ALBUM_777_FAILED!))
    expect(new Set(album777.map((f) => f.context.variable))).toEqual(
      new Set(['BULK_ALBUM_777_FAILED'])
    )

    const validate = await step('migrate-state', ctx.repository, {
      command: 'validate',
      'vars-file': 'vars.json'
    })
    expect(validate.exitCode).toBe(0)
    expect(validate.outputs).toMatchObject({ mismatches: '0', migrated: '1000' })

    await expect(
      step('migrate-state', ctx.repository, { command: 'analyze', 'vars-json': text })
    ).rejects.toMatchObject({ code: 'E2BIG' })
  })

  it('dist/increment-sequence: a 5 MB sequence file increments and keeps every other sequence', async () => {
    const ctx = await freshRepo()
    const sequences: Record<string, number> = {}
    for (let i = 0; i <= 200_000; i++)
      sequences[`padding_sequence_${String(i).padStart(7, '0')}`] = i
    sequences.target = 41
    const text = `${JSON.stringify({ sequences, last_updated: '2025-01-01T00:00:00.000Z', version: '1.0' }, null, 2)}\n`
    expect(text.length).toBeGreaterThan(5_000_000)
    await emulator.admin.putFile(ctx.repository, 'sequence_data.json', text)

    const run = await step('increment-sequence', ctx.repository, { sequence: 'target' })
    expect([run.exitCode, run.annotations]).toEqual([0, []])
    expect(run.outputs).toMatchObject({ value: '42', last: '42', previous: '41' })
    const doc = JSON.parse(await rawFile(ctx, 'sequence_data.json')) as {
      sequences: Record<string, number>
    }
    expect(doc.sequences.target).toBe(42)
    expect(doc.sequences.padding_sequence_0123456).toBe(123456)
    expect(Object.keys(doc.sequences)).toHaveLength(200_002)
  }, 60_000)
})
