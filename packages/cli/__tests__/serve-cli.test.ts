/**
 * `hubstore serve` as a user runs it: `--emulator` starts a local GitHub with an App
 * installed on three repositories; the `installation.created` delivery arrives, is processed
 * (a line per delivery) and shows in `GET /api/sync/health`; SIGTERM shuts down with exit 0.
 * Without a webhook secret, the server refuses to start with one line and exit 2.
 * `hubstore activity dashboard --out` writes the static page with the data embedded, safely.
 */
import { expect, test } from '@jest/globals'
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { finishJob, openActivityDb, startJob } from '@hubstore/core/activity'

const bin = fileURLToPath(new URL('../bin/hubstore.js', import.meta.url))

test('serve --emulator: the installation delivery is processed and on /api/sync/health, a repository sync and a sweep answer 200; SIGTERM exits 0', async () => {
  const env: NodeJS.ProcessEnv = { ...process.env }
  delete env.HUBSTORE_ADMIN_TOKEN
  delete env.NODE_OPTIONS
  const dir = mkdtempSync(join(tmpdir(), 'hubstore-serve-cli-'))
  const database = `sqlite:${join(dir, 'activity.db')}`
  const child = spawn(
    process.execPath,
    [bin, 'serve', '--emulator', '--port', '0', '--sweep-cron', 'off', '--database', database],
    {
      env,
      stdio: ['ignore', 'pipe', 'pipe']
    }
  )
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
  let out = ''
  child.stdout.on('data', (c: Buffer) => void (out += c.toString()))
  let err = ''
  child.stderr.on('data', (c: Buffer) => void (err += c.toString()))
  try {
    const line = async (re: RegExp): Promise<RegExpExecArray> => {
      for (let i = 0; i < 1200; i++) {
        const m = re.exec(out)
        if (m) return m
        if (child.exitCode !== null) break
        await new Promise((r) => setTimeout(r, 25))
      }
      throw new Error(`no ${re} in: ${out} ${err}`)
    }
    const [, url] = await line(/listening on (http:\/\/127\.0\.0\.1:\d+)/)
    const [, token] = await line(/admin token \(this run only\): (\S+)/)
    const [, link] = await line(/dashboard: (\S+)/)
    expect(link).toBe(`${url}/#token=${encodeURIComponent(token!)}`)
    await line(/delivery \S+ \(installation\) processed/)
    const res = await fetch(`${url}/api/sync/health`, {
      headers: { authorization: `Bearer ${token}` }
    })
    const health = (await res.json()) as {
      total_repositories: number
      deliveries: { processed: number }
    }
    expect(health.total_repositories).toBe(3)
    expect(health.deliveries.processed).toBeGreaterThanOrEqual(1)
    expect((await fetch(`${url}/api/sync/health`)).status).toBe(401)

    // one repository, then a sweep, through the admin API against the emulator
    const db = await openActivityDb(database)
    const repo = await db.get<{ id: number }>('SELECT id FROM repositories ORDER BY id LIMIT 1')
    await db.close()
    const auth = { authorization: `Bearer ${token}` }
    const one = await fetch(`${url}/api/sync/repository/${repo!.id}`, {
      method: 'POST',
      headers: auth
    })
    expect(one.status).toBe(200)
    expect(((await one.json()) as { job: unknown }).job).toMatchObject({
      type: 'repository',
      status: 'succeeded',
      repositories_processed: 1
    })
    const sweep = await fetch(`${url}/api/sync/periodic`, { method: 'POST', headers: auth })
    expect(sweep.status).toBe(200)
    expect(((await sweep.json()) as { job: unknown }).job).toMatchObject({
      type: 'periodic',
      status: 'succeeded'
    })
  } finally {
    child.kill('SIGTERM')
  }
  expect(await exited).toBe(0)
  rmSync(dir, { recursive: true, force: true })
})

test('serve without GITHUB_WEBHOOK_SECRET: one line naming the variable, exit 2', () => {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GITHUB_TOKEN: 'unused',
    HUBSTORE_ADMIN_TOKEN: 'x'
  }
  delete env.GITHUB_WEBHOOK_SECRET
  delete env.NODE_OPTIONS
  const r = spawnSync(
    process.execPath,
    [bin, 'serve', '--port', '0', '--repo', 'octo/web', '--database', 'sqlite::memory:'],
    { env, encoding: 'utf8', timeout: 60_000 }
  )
  expect(r.stderr).toMatch(/GITHUB_WEBHOOK_SECRET/)
  expect(r.stderr.trim().split('\n')).toHaveLength(1)
  expect(r.status).toBe(2)
})

test('activity dashboard --out: the page with the jobs embedded; no value can end the script element', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hubstore-dash-cli-'))
  try {
    const database = `sqlite:${join(dir, 'activity.db')}`
    const db = await openActivityDb(database)
    const hostile = '</script><img src=x onerror=alert(1)>'
    const id = await startJob(db, 'periodic')
    await finishJob(db, id, { status: 'failed', errors: [{ code: 'ERROR', message: hostile }] })
    await db.close()
    const env: NodeJS.ProcessEnv = { ...process.env }
    delete env.NODE_OPTIONS
    const out = join(dir, 'site')
    const r = spawnSync(
      process.execPath,
      [bin, 'activity', 'dashboard', '--database', database, '--out', out],
      { env, encoding: 'utf8', timeout: 60_000 }
    )
    expect([r.status, r.stderr]).toEqual([0, ''])
    expect(r.stdout).toMatch(/dashboard written to .* \(4 files, 1 jobs, 0 repositories\)/)
    expect(readdirSync(out).sort()).toEqual([
      'chart.umd.min.js',
      'dashboard.css',
      'dashboard.js',
      'index.html'
    ])
    const html = readFileSync(join(out, 'index.html'), 'utf8')
    expect(html).not.toContain('<img')
    const json = /<script type="application\/json" id="hubstore-data">(.*?)<\/script>/s.exec(html)
    const data = JSON.parse(json![1]!) as { jobs: Array<{ id: number; errors: string }> }
    expect(data.jobs.map((j) => j.id)).toEqual([id])
    expect(JSON.parse(data.jobs[0]!.errors)).toEqual([{ code: 'ERROR', message: hostile }])
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
