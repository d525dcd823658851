/**
 * `post-backup: true` through the built bundle, run as the runner runs a JavaScript action with
 * a post step (`hubstore run-action`'s `runActionWithPost`: main, the job's later steps, then
 * `runs.post` of the same bundle with the state main saved, if `post-if` holds), against the
 * emulator over real HTTP. The bundle must be fresh: `node scripts/build-actions.mjs
 * persist-data`.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { runActionWithPost } from '@hubstore/cli'
import { createGitHubClient } from '@hubstore/core'
import { backupDirectory, listBackups, restoreDirectory } from '@hubstore/core/data'
import { startEmulator, type Emulator } from '@hubstore/emulator'
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const TOKEN = 'ghs_persistPostDistinctToken5d2'
const REPO = 'octocat/post-data'
let emulator: Emulator
const workspace = mkdtempSync(join(tmpdir(), 'hubstore-persist-post-'))
const data = join(workspace, 'data')

const ctx = () => ({
  octokit: createGitHubClient({ token: TOKEN, baseUrl: emulator.url }),
  owner: 'octocat',
  repo: 'post-data'
})

beforeAll(async () => {
  emulator = await startEmulator()
  await emulator.admin.createRepo({ full_name: REPO })
  await emulator.admin.createToken({
    token: TOKEN,
    login: 'github-actions[bot]',
    type: 'Bot',
    permission: 'write'
  })
  mkdirSync(data, { recursive: true })
  writeFileSync(join(data, 'chat.csv'), 'id,text\n1,hello\n')
  writeFileSync(join(data, 'vectors.bin'), randomBytes(50_000))
  await backupDirectory(ctx(), data)
  rmSync(data, { recursive: true })
})
afterAll(async () => {
  await emulator.close()
  rmSync(workspace, { recursive: true, force: true })
})

const job = (inputs: Record<string, string>, between?: () => Promise<void>) =>
  runActionWithPost(
    {
      name: 'persist-data',
      eventName: 'workflow_dispatch',
      repository: REPO,
      token: TOKEN,
      apiUrl: emulator.url,
      inputs,
      env: { GITHUB_WORKSPACE: workspace, XDG_CACHE_HOME: join(workspace, '.cache') }
    },
    between
  )

describe('persist-data post-backup', () => {
  it('restore now, a later step changes the data, the post step backs the change up', async () => {
    const { main, post } = await job({ mode: 'restore', 'post-backup': 'true' }, async () => {
      // what the job's later steps do between the restore and the end of the job
      writeFileSync(join(data, 'chat.csv'), 'id,text\n1,hello\n2,from the job\n')
    })
    expect(main.exitCode).toBe(0)
    expect(main.outputs).toMatchObject({ restored: 'true', files: '2' })
    expect(main.state).toEqual({ isPost: 'true', backupAtPost: 'true' })
    expect(main.summary).toContain('will be backed up at the end of the job (post-backup)')
    expect({ exitCode: post?.exitCode, log: post?.exitCode ? post.log : '' }).toEqual({
      exitCode: 0,
      log: ''
    })
    expect(post?.log).toMatch(/backup \S+ of data to octocat\/post-data@hubstore-data: 2 file\(s\)/)
    expect(post?.summary).toContain('<td>chat.csv</td><td>changed</td>')

    const { backups } = await listBackups(ctx())
    expect(backups).toHaveLength(2)
    const out = join(workspace, 'check')
    await restoreDirectory(ctx(), out, { cacheDir: join(workspace, '.check-cache') })
    expect(readFileSync(join(out, 'chat.csv'), 'utf8')).toBe('id,text\n1,hello\n2,from the job\n')
    // the runner reads ::add-mask:: and never shows it; no line it shows holds the token
    for (const run of [main, post])
      expect(
        run?.log.split('\n').filter((l) => !l.startsWith('::add-mask::') && l.includes(TOKEN))
      ).toEqual([])
  })

  it('without post-backup the post step does nothing', async () => {
    const { main, post } = await job({ mode: 'history' })
    expect(main.exitCode).toBe(0)
    expect(main.state).toEqual({ isPost: 'true' })
    expect(post).toMatchObject({ exitCode: 0, summary: '' })
    expect((await listBackups(ctx())).backups).toHaveLength(2)
  })

  it('post-backup with another mode fails the step naming the input; post-if success() skips the post step', async () => {
    const { main, post } = await job({ mode: 'backup', 'post-backup': 'true' })
    expect(main.exitCode).toBe(1)
    expect(main.annotations[0]?.message).toContain('Input "post-backup": is true with mode backup')
    expect(post).toBeNull()
    expect((await listBackups(ctx())).backups).toHaveLength(2)
  })

  it('hubstore run-action --post: main, then the post step, reported in --json', async () => {
    const bin = fileURLToPath(new URL('../../../packages/cli/bin/hubstore.js', import.meta.url))
    const args = ['run-action', 'persist-data', '-e', 'workflow_dispatch', '-i', 'mode=history']
    // spawned, not spawnSync: the emulator answers from this process's event loop
    const child = spawn(process.execPath, [bin, ...args, '--post', '--json'], {
      env: {
        ...process.env,
        GITHUB_API_URL: emulator.url,
        GITHUB_TOKEN: TOKEN,
        GH_TOKEN: '',
        GITHUB_REPOSITORY: REPO
      },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let stdout = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    const status = await new Promise<number | null>((done) => child.on('exit', done))
    const r = { status, stdout }
    expect(r.status).toBe(0)
    const out = JSON.parse(r.stdout) as {
      exitCode: number
      outputs: Record<string, string>
      post: unknown
    }
    expect(out.exitCode).toBe(0)
    expect(out.outputs['commit-sha']).toMatch(/^[0-9a-f]{40}$/)
    expect(out.post).toEqual({ exitCode: 0 })
  })
})
