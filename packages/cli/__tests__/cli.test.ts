import { describe, expect, it } from '@jest/globals'
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const bin = fileURLToPath(new URL('../bin/hubstore.js', import.meta.url))
const hubstore = (...args: string[]) =>
  spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 60_000 })

describe('hubstore CLI', () => {
  it('README: "npm run hubstore -- --help" from the repository root works with no pnpm on PATH', () => {
    const root = fileURLToPath(new URL('../../..', import.meta.url))
    const readme = readFileSync(join(root, 'README.md'), 'utf8')
    const rows = [...readme.matchAll(/^\| `(npm run hubstore -- [^`]*)` \|/gm)].map((m) => m[1])
    expect(rows).toContain('npm run hubstore -- --help')
    // PATH holds node, npm, git and sh only: what a fresh clone has after `npm run demo`
    const bin = mkdtempSync(join(tmpdir(), 'hubstore-path-'))
    try {
      for (const tool of ['node', 'npm', 'git', 'sh']) {
        const found = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' })
        symlinkSync(found.stdout.trim(), join(bin, tool))
      }
      const r = spawnSync('npm', ['run', 'hubstore', '--', '--help'], {
        cwd: root,
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, PATH: bin }
      })
      expect(spawnSync('sh', ['-c', 'command -v pnpm'], { env: { PATH: bin } }).status).not.toBe(0)
      expect([r.status, r.stderr]).toEqual([0, ''])
      expect(r.stdout).toMatch(/\nUsage: hubstore /)
    } finally {
      rmSync(bin, { recursive: true, force: true })
    }
  })

  it.each(['', 'emulator', 'run-action', 'demo'])(
    '--help: "hubstore %s --help" prints usage, exit 0',
    (cmd) => {
      const r = hubstore(...(cmd ? [cmd] : []), '--help')
      expect(r.status).toBe(0)
      expect(r.stdout).toMatch(/^Usage: hubstore/)
    }
  )

  it('--version: "hubstore --version" prints the version in packages/cli/package.json, exit 0', () => {
    const { version } = JSON.parse(
      readFileSync(new URL('../package.json', import.meta.url), 'utf8')
    ) as { version: string }
    for (const flag of ['--version', '-V']) {
      const r = hubstore(flag)
      expect(r.status).toBe(0)
      expect(r.stdout).toBe(`${version}\n`)
    }
  })

  it('emulator: a malformed --token is one line with the fix, exit 2', () => {
    const r = hubstore('emulator', '--token', 'onlytoken')
    expect(r.status).toBe(2)
    expect(r.stderr).toContain('--token takes TOKEN:login:permission')
  })

  it('run-action: a missing repository is one line with the fix, exit 2', () => {
    const r = spawnSync(
      process.execPath,
      [bin, 'run-action', 'process-updates', '--event', 'schedule'],
      {
        encoding: 'utf8',
        env: { ...process.env, GITHUB_REPOSITORY: '' }
      }
    )
    expect(r.status).toBe(2)
    expect(r.stderr.trim()).toBe(
      'hubstore: Say which repository: --repo owner/name (or set GITHUB_REPOSITORY).'
    )
  })

  it('emulator: --port 0 prints the URL it listens on; --repo and --token are ready', async () => {
    const args = [
      'emulator',
      '--port',
      '0',
      '--repo',
      'octocat/quick',
      '--token',
      'sekret:octocat:admin'
    ]
    const child = spawn(process.execPath, [bin, ...args], {
      stdio: ['ignore', 'pipe', 'inherit']
    })
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = ''
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString()
          const m = /http:\/\/127\.0\.0\.1:\d+/.exec(out)
          if (m) resolve(m[0])
        })
        child.on('exit', () => reject(new Error(`exited before listening: ${out}`)))
      })
      const res = await fetch(`${url}/repos/octocat/quick`, {
        headers: { authorization: 'token sekret' }
      })
      expect(res.status).toBe(200)
      expect(((await res.json()) as { permissions: { admin: boolean } }).permissions.admin).toBe(
        true
      )
    } finally {
      child.kill('SIGTERM')
    }
  })
})
