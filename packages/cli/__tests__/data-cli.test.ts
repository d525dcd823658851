/**
 * `hubstore data …` as a user runs it (in-process through the CLI's `run`; `watch` spawned, for its
 * signals), against the emulator over real HTTP: backups,
 * restore (byte-identical, --if-missing, --restore-point), status, history, --json shapes,
 * progress on stderr, `watch` with SIGTERM, and the token in no output.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createGitHubClient } from '@hubstore/core'
import { listBackups } from '@hubstore/core/data'
import { startEmulator, type Emulator } from '@hubstore/emulator'
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { fileURLToPath } from 'node:url'
import { runCli } from './support/in-process.js'

const bin = fileURLToPath(new URL('../bin/hubstore.js', import.meta.url))
const TOKEN = 'ghp_dataCliDistinctiveToken7f3a9'
let emulator: Emulator
const work = mkdtempSync(join(tmpdir(), 'hubstore-data-cli-'))
const outputs: string[] = []
let repoCount = 0

beforeAll(async () => {
  emulator = await startEmulator()
  await emulator.admin.createToken({ token: TOKEN, login: 'octocat', permission: 'admin' })
})
afterAll(async () => {
  await emulator.close()
  rmSync(work, { recursive: true, force: true })
})

async function freshRepo(): Promise<string> {
  const repo = `octocat/data-cli-${++repoCount}`
  await emulator.admin.createRepo({ full_name: repo })
  return repo
}

/** What every run sets in its environment. */
function overrides(): Record<string, string> {
  return {
    GITHUB_API_URL: emulator.url,
    GITHUB_SERVER_URL: '',
    GITHUB_TOKEN: TOKEN,
    GH_TOKEN: '',
    GITHUB_REPOSITORY: '',
    XDG_CACHE_HOME: join(work, 'cache')
  }
}

const env = (): NodeJS.ProcessEnv => ({ ...process.env, ...overrides() })

function start(args: string[]): {
  child: ChildProcess
  done: Promise<{ status: number | null; stdout: string; stderr: string }>
  stdout: () => string
  stderr: () => string
} {
  const child = spawn(process.execPath, [bin, ...args], {
    env: env(),
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()))
  const done = new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('exit', (status) => {
      outputs.push(stdout, stderr)
      resolve({ status, stdout, stderr })
    })
  )
  return { child, done, stdout: () => stdout, stderr: () => stderr }
}

/**
 * Runs one command in-process (support/in-process.ts: exit code, stdout, stderr as a child
 * shows them); `watch`, which runs until a signal, goes through {@link start}.
 */
async function hubstore(
  args: string[]
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const r = await runCli(args, { env: overrides() })
  outputs.push(r.stdout, r.stderr)
  return { status: r.code, stdout: r.stdout, stderr: r.stderr }
}

/** Every regular file under `dir`, relative POSIX path → bytes. */
function filesOf(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>()
  for (const name of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const abs = join(dir, name)
    if (statSync(abs).isFile()) out.set(relative(dir, abs).split('\\').join('/'), readFileSync(abs))
  }
  return out
}

function rows(db: string): unknown[] {
  const d = new DatabaseSync(db, { readOnly: true })
  try {
    return d
      .prepare('SELECT id, body FROM messages ORDER BY id')
      .all()
      .map((r) => ({ ...r }))
  } finally {
    d.close()
  }
}

function seed(dir: string): void {
  mkdirSync(join(dir, 'chroma_db', 'seg'), { recursive: true })
  const db = new DatabaseSync(join(dir, 'chatbot.db'))
  db.exec('PRAGMA journal_mode = WAL')
  db.exec('CREATE TABLE messages (id INTEGER PRIMARY KEY, body TEXT NOT NULL)')
  const insert = db.prepare('INSERT INTO messages (body) VALUES (?)')
  for (let i = 0; i < 200; i++) insert.run(`message ${i}`.padEnd(300, '.'))
  db.close()
  writeFileSync(join(dir, 'chroma_db', 'seg', 'data_level0.bin'), randomBytes(300_000))
  writeFileSync(join(dir, 'notes.csv'), 'id,text\n1,hello\n')
}

/** Waits until the data branch of `repo` holds `n` backups (bounded: 60 s). */
async function untilBackups(repo: string, n: number): Promise<void> {
  const [owner, name] = repo.split('/') as [string, string]
  const ctx = {
    octokit: createGitHubClient({ token: TOKEN, baseUrl: emulator.url }),
    owner,
    repo: name
  }
  const deadline = Date.now() + 60_000
  for (;;) {
    const { backups } = await listBackups(ctx).catch(() => ({ backups: [] }))
    if (backups.length >= n) return
    if (Date.now() > deadline)
      throw new Error(`${repo}: ${backups.length} backup(s), waited for ${n}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

describe('hubstore data', () => {
  it('backup → change → backup → wipe → restore: byte-identical, --json shapes, progress on stderr', async () => {
    const repo = await freshRepo()
    const data = join(work, 'app1', 'data')
    seed(data)
    const first = await hubstore(['data', 'backup', data, '--repo', repo, '--json'])
    expect(first.status).toBe(0)
    expect(first.stderr).toBe('') // --json and stderr not a terminal: no progress
    const b1 = JSON.parse(first.stdout) as Record<string, unknown>
    expect(b1).toEqual({
      backupId: expect.stringMatching(/^\d{8}T\d{6}Z-[0-9a-f]{6}$/),
      commitSha: expect.stringMatching(/^[0-9a-f]{40}$/),
      files: 3,
      bytes: expect.any(Number),
      newBytes: expect.any(Number),
      uploadedBytes: expect.any(Number),
      packs: { created: 1, uploaded: 1 },
      verified: true,
      warnings: []
    })
    const v1 = filesOf(data)

    writeFileSync(join(data, 'notes.csv'), 'id,text\n1,hello\n2,again\n')
    const db = new DatabaseSync(join(data, 'chatbot.db'))
    db.prepare('UPDATE messages SET body = ? WHERE id = 7').run('edited')
    db.close()
    const status = await hubstore(['data', 'status', data, '--repo', repo, '--json'])
    const s = JSON.parse(status.stdout) as {
      changed: boolean
      entries: Array<{ path: string; state: string }>
    }
    expect(s.changed).toBe(true)
    expect(s.entries.filter((e) => e.state !== 'unchanged').map((e) => e.path)).toEqual([
      'chatbot.db',
      'notes.csv'
    ])

    const second = await hubstore(['data', 'backup', data, '--repo', repo])
    expect(second.status).toBe(0)
    expect(second.stdout).toMatch(
      /^backup \S+: 3 file\(s\), [\d.]+ KiB; [\d.]+ (B|KiB) new, [\d.]+ (B|KiB) uploaded \(1 pack\(s\)\); commit [0-9a-f]{40}\n$/
    )
    expect(second.stderr).toMatch(
      /^hubstore: captured 3\/3 file\(s\), .*\nhubstore: uploaded 1\/1 pack\(s\), /
    )
    const b2 = JSON.parse(
      (await hubstore(['data', 'history', '--repo', repo, '--json'])).stdout
    ) as {
      commitSha: string
      backups: Array<{ id: string; status: string; uploadedBytes: number }>
    }
    expect(b2.backups.map((b) => b.id).at(-1)).toBe(b1.backupId)
    expect(b2.backups).toHaveLength(2)
    expect(b2.backups[0]?.uploadedBytes).toBeLessThan(b1.uploadedBytes as number)
    const history = await hubstore(['data', 'history', '--repo', repo])
    expect(history.stdout.split('\n')[0]).toBe(
      `2 backup(s) on hubstore-data (commit ${b2.commitSha}):`
    )
    const v2 = filesOf(data)
    const rows2 = rows(join(data, 'chatbot.db'))

    rmSync(join(work, 'app1'), { recursive: true, force: true })
    const restore = await hubstore(['data', 'restore', data, '--repo', repo, '--json'])
    expect(restore.status).toBe(0)
    expect(JSON.parse(restore.stdout)).toEqual({
      restored: true,
      backupId: b2.backups[0]?.id,
      commitSha: b2.commitSha,
      files: 3,
      bytes: expect.any(Number),
      downloadedBytes: expect.any(Number),
      packs: { needed: 2, downloaded: 2, cached: 0 }
    })
    const restored = filesOf(data)
    expect([...restored.keys()].sort()).toEqual(
      [...v2.keys()].filter((k) => !k.includes('-')).sort()
    )
    for (const [path, bytes] of restored)
      if (path !== 'chatbot.db')
        expect({ path, same: bytes.equals(v2.get(path) as Buffer) }).toEqual({ path, same: true })
    expect(rows(join(data, 'chatbot.db'))).toEqual(rows2)

    // an older restore point, by id
    const old = join(work, 'old', 'data')
    const point = await hubstore([
      'data',
      'restore',
      old,
      '--repo',
      repo,
      '--restore-point',
      String(b1.backupId)
    ])
    expect(point.stdout).toMatch(new RegExp(`^restored ${String(b1.backupId)} into `))
    expect(filesOf(old).get('notes.csv')).toEqual(v1.get('notes.csv'))
  })

  it('restore --if-missing: a non-empty directory is left alone; an empty one is restored; the cache makes a repeat download nothing', async () => {
    const repo = await freshRepo()
    const data = join(work, 'app2', 'data')
    seed(data)
    expect((await hubstore(['data', 'backup', data, '--repo', repo])).status).toBe(0)
    writeFileSync(join(data, 'notes.csv'), 'local edits the backup does not have\n')
    const before = filesOf(data)
    const skip = await hubstore(['data', 'restore', data, '--if-missing', '--repo', repo, '--json'])
    expect(skip.status).toBe(0)
    expect(JSON.parse(skip.stdout)).toMatchObject({ restored: false, downloadedBytes: 0, files: 0 })
    expect(filesOf(data)).toEqual(before)
    const human = await hubstore(['data', 'restore', data, '--if-missing', '--repo', repo])
    expect(human.stdout).toBe(`${data} is not empty: nothing restored (--if-missing)\n`)

    const empty = join(work, 'app2', 'empty')
    mkdirSync(empty)
    const cache = join(work, 'app2', 'packs')
    const r1 = await hubstore([
      'data',
      'restore',
      empty,
      '--if-missing',
      '--cache-dir',
      cache,
      '--repo',
      repo,
      '--json'
    ])
    expect(JSON.parse(r1.stdout)).toMatchObject({
      restored: true,
      files: 3,
      packs: { downloaded: 1 }
    })
    const again = join(work, 'app2', 'again')
    const r2 = await hubstore(['data', 'restore', again, '--cache-dir', cache, '--repo', repo])
    expect(r2.stdout).toMatch(/: 3 file\(s\), .*; 0 B downloaded \(0 pack\(s\), 1 cached\)\n$/)
    expect(r2.stderr).toMatch(/^hubstore: written 3\/3 file\(s\), /)
    expect(filesOf(again).get('chroma_db/seg/data_level0.bin')).toEqual(
      before.get('chroma_db/seg/data_level0.bin')
    )
  })

  it('watch --interval 300ms: backs up when a file changed; SIGTERM ends it with exit 0', async () => {
    const repo = await freshRepo()
    const data = join(work, 'watch1', 'data')
    seed(data)
    const w = start(['data', 'watch', data, '--interval', '300ms', '--repo', repo])
    await untilBackups(repo, 1)
    writeFileSync(join(data, 'notes.csv'), 'id,text\n1,changed while watched\n')
    await untilBackups(repo, 2)
    w.child.kill('SIGTERM')
    const r = await w.done
    expect(r.status).toBe(0)
    const lines = r.stdout.trim().split('\n')
    expect(lines.filter((l) => / backup \S+: /.test(l))).toHaveLength(2)
    expect(lines.at(-1)).toMatch(/ final check: unchanged since backup /)
    expect(r.stderr).toMatch(/^hubstore: watching .* every 300 ms/)
  })

  it('watch: a change made just before SIGTERM is in the last backup (--json lines)', async () => {
    const repo = await freshRepo()
    const data = join(work, 'watch2', 'data')
    seed(data)
    // a long interval: after the first check, only the final one can see the change
    const w = start(['data', 'watch', data, '--interval', '30m', '--repo', repo, '--json'])
    await untilBackups(repo, 1)
    writeFileSync(join(data, 'chroma_db', 'seg', 'data_level0.bin'), randomBytes(300_000))
    w.child.kill('SIGTERM')
    const r = await w.done
    expect(r.status).toBe(0)
    const events = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; final: boolean; changedFiles?: number })
    expect(events.map((e) => [e.type, e.final, e.changedFiles])).toEqual([
      ['backup', false, 3],
      ['backup', true, 1]
    ])
    await untilBackups(repo, 2)
    const status = await hubstore(['data', 'status', data, '--repo', repo, '--json'])
    expect(JSON.parse(status.stdout)).toMatchObject({ changed: false })
  })

  it('watch: a failing check is logged with a growing retry delay; the final failure exits 2', async () => {
    const repo = await freshRepo()
    const data = join(work, 'watch3', 'data')
    seed(data)
    symlinkSync('/etc/passwd', join(data, 'link')) // the capture refuses symlinks
    const w = start(['data', 'watch', data, '--interval', '200ms', '--repo', repo])
    const deadline = Date.now() + 60_000
    while (!/failure 2, retry in 400 ms/.test(w.stderr()) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50))
    w.child.kill('SIGTERM')
    const r = await w.done
    expect(r.stderr).toMatch(
      /backup failed \(DATA_CAPTURE_FAILED: .*\); failure 1, retry in 200 ms\n/
    )
    expect(r.stderr).toMatch(/failure 2, retry in 400 ms\n/)
    expect(r.stderr).toMatch(/hubstore: DATA_CAPTURE_FAILED: /)
    expect(r.status).toBe(2)
  })

  it('backup --pre-backup/--post-backup: the hooks run around the capture; a failing hook is exit 2 and nothing is committed', async () => {
    const repo = await freshRepo()
    const data = join(work, 'hooks', 'data')
    seed(data)
    const script = join(work, 'hooks', 'hook.mjs')
    const log = join(work, 'hooks', 'hook.log')
    writeFileSync(
      script,
      "import { appendFileSync } from 'node:fs'\n" +
        'appendFileSync(process.argv[3], `${process.argv[2]} ${process.cwd()}\\n`)\n' +
        // a hook never sees the token: were it in the environment, this would write it to disk
        "appendFileSync(process.argv[3] + '.env', JSON.stringify(process.env))\n" +
        "if (process.argv[2] === 'fail') process.exit(3)\n"
    )
    const hook = (word: string) => `"${process.execPath}" "${script}" ${word} "${log}"`
    const ok = await hubstore([
      'data',
      'backup',
      data,
      '--repo',
      repo,
      '--json',
      '--pre-backup',
      hook('pre'),
      '--post-backup',
      hook('post')
    ])
    expect(ok.status).toBe(0)
    expect(JSON.parse(ok.stdout)).toMatchObject({ verified: true, files: 3 })
    expect(readFileSync(log, 'utf8')).toBe(`pre ${data}\npost ${data}\n`)
    expect(readFileSync(`${log}.env`, 'utf8')).toContain('GITHUB_API_URL') // the rest is inherited
    expect(readFileSync(`${log}.env`, 'utf8')).not.toContain(TOKEN)

    const failed = await hubstore([
      'data',
      'backup',
      data,
      '--repo',
      repo,
      '--pre-backup',
      hook('fail')
    ])
    expect(failed.status).toBe(2)
    expect(failed.stderr).toMatch(/^hubstore: DATA_CAPTURE_FAILED: /m)
    const history = JSON.parse(
      (await hubstore(['data', 'history', '--repo', repo, '--json'])).stdout
    ) as { backups: unknown[] }
    expect(history.backups).toHaveLength(1)

    const bad = await hubstore([
      'data',
      'backup',
      data,
      '--repo',
      repo,
      '--pre-backup',
      '"unclosed'
    ])
    expect(bad.status).toBe(2)
    expect(bad.stderr).toContain('--pre-backup takes a command')
    const fast = await hubstore(['data', 'watch', data, '--repo', repo, '--interval', '0'])
    expect(fast.status).toBe(2)
    expect(fast.stderr).toContain(
      '--interval takes at least 100ms (a check costs 3 requests), got "0".'
    )
    expect(fast.stderr).not.toContain('watching')
  })

  it('restore --restore-point naming no backup: RESTORE_POINT_NOT_FOUND, exit 2, the target untouched', async () => {
    const repo = await freshRepo()
    const data = join(work, 'points', 'data')
    seed(data)
    expect((await hubstore(['data', 'backup', data, '--repo', repo])).status).toBe(0)
    const before = filesOf(data)
    const r = await hubstore([
      'data',
      'restore',
      data,
      '--repo',
      repo,
      '--restore-point',
      'before:2000-01-01T00:00:00Z'
    ])
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(/^hubstore: RESTORE_POINT_NOT_FOUND: /)
    expect(r.stdout).toBe('')
    expect(filesOf(data)).toEqual(before)
  })

  it('the token appears in no output of any run', () => {
    expect(outputs.length).toBeGreaterThan(10)
    expect(outputs.filter((o) => o.includes(TOKEN))).toEqual([])
    const onDisk = [...filesOf(work)].filter(([, b]) => b.includes(Buffer.from(TOKEN)))
    expect(onDisk.map(([p]) => p)).toEqual([])
  })
})
