/**
 * `hubstore data prune` and the quota warnings of `hubstore data backup`, spawned as a user runs
 * them, against the emulator over real HTTP. Backups at chosen times are made through core (the
 * backup clock is a parameter); the CLI then prunes them.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createGitHubClient } from '@hubstore/core'
import { backupDirectory, listBackups } from '@hubstore/core/data'
import { startEmulator, type Emulator } from '@hubstore/emulator'
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const bin = fileURLToPath(new URL('../bin/hubstore.js', import.meta.url))
const TOKEN = 'ghp_dataPruneCliDistinctToken4e1'
const REPO = 'octocat/prune-cli'
let emulator: Emulator
const work = mkdtempSync(join(tmpdir(), 'hubstore-prune-cli-'))
const data = join(work, 'data')
const ids: string[] = []

const ctx = () => ({
  octokit: createGitHubClient({ token: TOKEN, baseUrl: emulator.url }),
  owner: 'octocat',
  repo: 'prune-cli'
})

beforeAll(async () => {
  emulator = await startEmulator()
  await emulator.admin.createToken({ token: TOKEN, login: 'octocat', permission: 'admin' })
  await emulator.admin.createRepo({ full_name: REPO })
  mkdirSync(data, { recursive: true })
  for (const t of ['2026-11-01T10:00:00Z', '2026-11-01T20:00:00Z', '2026-11-02T10:00:00Z']) {
    writeFileSync(join(data, 'v.bin'), randomBytes(20_000))
    ids.push((await backupDirectory(ctx(), data, { now: () => new Date(t) })).backupId)
  }
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
      GITHUB_REPOSITORY: REPO,
      XDG_CACHE_HOME: join(work, 'cache')
    },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  return new Promise((resolve) => child.on('exit', (status) => resolve({ status, stdout, stderr })))
}

describe('hubstore data prune', () => {
  it('--dry-run --json reports without committing; then prune removes; the token is in no output', async () => {
    const before = (await listBackups(ctx())).commitSha
    const dry = await hubstore(['data', 'prune', data, '--keep-daily', '2', '--dry-run', '--json'])
    expect(dry.status).toBe(0)
    const report = JSON.parse(dry.stdout) as {
      dryRun: boolean
      commitSha: null
      kept: Array<{ id: string; reasons: string[] }>
      removed: Array<{ id: string }>
      lfs: { storedBytes: number; referencedBytes: number; unreferencedBytes: number }
    }
    expect(report.dryRun).toBe(true)
    expect(report.kept.map((b) => b.id)).toEqual([ids[2], ids[1]])
    expect(report.removed.map((b) => b.id)).toEqual([ids[0]])
    const usage = await emulator.admin.lfsUsage(REPO)
    expect(report.lfs.storedBytes).toBe(usage.stored_bytes)
    expect((await listBackups(ctx())).commitSha).toBe(before)

    const run = await hubstore(['data', 'prune', '--keep-last', '1'])
    expect(run.status).toBe(0)
    expect(run.stdout).toMatch(
      /^removed 2 backup\(s\), kept 1 on hubstore-data \(commit [0-9a-f]{40}\)/
    )
    expect(run.stdout).toContain(`keep    ${ids[2]}`)
    expect(run.stdout).toMatch(
      /Git LFS: .* referenced by kept backups \(1 pack\(s\)\), .* unreferenced/
    )
    expect((await listBackups(ctx())).backups.map((b) => b.id)).toEqual([ids[2]])
    for (const text of [dry.stdout, dry.stderr, run.stdout, run.stderr])
      expect(text).not.toContain(TOKEN)
  })

  it('without --keep-last or --keep-daily: a usage error, nothing requested', async () => {
    const r = await hubstore(['data', 'prune', '--keep-last', '0'])
    expect(r.status).not.toBe(0)
    expect(r.stderr).toContain('prune needs --keep-last or --keep-daily')
  })

  it('backup --lfs-quota --warn-at: the warning on stderr, the result on stdout', async () => {
    writeFileSync(join(data, 'w.bin'), randomBytes(30_000))
    const r = await hubstore([
      'data',
      'backup',
      data,
      '--lfs-quota',
      '100KB',
      '--warn-at',
      '10',
      '--json'
    ])
    expect(r.status).toBe(0)
    expect(r.stderr).toMatch(
      /^hubstore: warning: LFS_STORAGE_(NEAR|OVER)_QUOTA: Git LFS storage would be /m
    )
    const result = JSON.parse(r.stdout) as { warnings: string[] }
    expect(result.warnings).toHaveLength(1)
    const bad = await hubstore(['data', 'backup', data, '--warn-at', '120'])
    expect(bad.status).not.toBe(0)
    expect(bad.stderr).toContain('--warn-at takes a percentage')
  })
})
