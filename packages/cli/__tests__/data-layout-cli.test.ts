/**
 * `hubstore data backup --layout …` spawned as a user runs it, against the emulator over real
 * HTTP: lfs-files puts the files under `data/` on the branch and restores them; an unknown
 * layout is a usage error naming the choices; the token is in no output.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startEmulator, type Emulator } from '@hubstore/emulator'
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const bin = fileURLToPath(new URL('../bin/hubstore.js', import.meta.url))
const TOKEN = 'ghp_dataLayoutCliDistinct52e8f1'
const REPO = 'octocat/data-layout-cli'
let emulator: Emulator
const work = mkdtempSync(join(tmpdir(), 'hubstore-data-layout-cli-'))
const outputs: string[] = []

beforeAll(async () => {
  emulator = await startEmulator()
  await emulator.admin.createToken({ token: TOKEN, login: 'octocat', permission: 'admin' })
  await emulator.admin.createRepo({ full_name: REPO })
})
afterAll(async () => {
  await emulator.close()
  rmSync(work, { recursive: true, force: true })
})

function hubstore(
  args: string[]
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [bin, ...args], {
    env: {
      ...process.env,
      GITHUB_API_URL: emulator.url,
      GITHUB_SERVER_URL: '',
      GITHUB_TOKEN: TOKEN,
      GH_TOKEN: '',
      GITHUB_REPOSITORY: '',
      XDG_CACHE_HOME: join(work, 'cache')
    },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  return new Promise((resolve) =>
    child.on('exit', (status) => {
      outputs.push(stdout, stderr)
      resolve({ status, stdout, stderr })
    })
  )
}

describe('hubstore data --layout', () => {
  it('backup --layout lfs-files --json: files under data/ on the branch; restore gives them back', async () => {
    const dir = join(work, 'data')
    mkdirSync(dir)
    writeFileSync(join(dir, 'notes.csv'), 'id,text\n1,hello\n')
    writeFileSync(join(dir, 'app.log'), 'started\n')
    const b = await hubstore([
      'data',
      'backup',
      dir,
      '--repo',
      REPO,
      '--layout',
      'lfs-files',
      '--json'
    ])
    expect(b.status).toBe(0)
    const result = JSON.parse(b.stdout) as { files: number; uploadedBytes: number; packs: unknown }
    expect(result).toMatchObject({
      files: 2,
      uploadedBytes: 16,
      packs: { created: 1, uploaded: 1 }
    })
    const res = await fetch(
      `${emulator.url}/repos/${REPO}/contents/data/app.log?ref=hubstore-data`,
      {
        headers: { authorization: `Bearer ${TOKEN}`, accept: 'application/vnd.github.raw+json' }
      }
    )
    expect(await res.text()).toBe('started\n')

    const target = join(work, 'restored')
    const r = await hubstore(['data', 'restore', target, '--repo', REPO, '--json'])
    expect(r.status).toBe(0)
    expect(readFileSync(join(target, 'notes.csv'), 'utf8')).toBe('id,text\n1,hello\n')
    expect(readFileSync(join(target, 'app.log'), 'utf8')).toBe('started\n')
  }, 30_000)

  it('--layout zip is a usage error naming the choices', async () => {
    const r = await hubstore([
      'data',
      'backup',
      work,
      '--repo',
      'octocat/nothing-here',
      '--layout',
      'zip'
    ])
    expect(r.status).not.toBe(0)
    expect(r.stderr).toMatch(/--layout/)
    expect(r.stderr).toMatch(/chunked, lfs-files/)
  })

  it('the token appears in no output of any run', () => {
    expect(outputs.filter((o) => o.includes(TOKEN))).toEqual([])
  })
})
