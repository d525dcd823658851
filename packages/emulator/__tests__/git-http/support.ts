import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach } from '@jest/globals'
import type { Emulator } from '../../src/index.js'
import { OWNER, uniqueRepo } from '../support.js'

/** What a git child process did. */
export interface GitRun {
  code: number | null
  stdout: string
  stderr: string
}

/** A temporary directory per test (used as `HOME` and as the parent of work trees). */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `hubstore-git-http-${prefix}-`))
}

/** Removes directories made by `tempDir`. */
export function removeDirs(dirs: string[]): void {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
}

/** Scratch directories for a test file: the returned function makes one; all go after each test. */
export function useScratchDirs(): (prefix: string) => string {
  const dirs: string[] = []
  afterEach(() => removeDirs(dirs))
  return (prefix) => {
    const dir = tempDir(prefix)
    dirs.push(dir)
    return dir
  }
}

/**
 * Creates `octo/<unique>` (auto-initialised with README.md unless `empty`) and returns it with
 * its clone URL.
 */
export async function newGitRepo(
  emulator: Emulator,
  prefix: string,
  options: { private?: boolean; empty?: boolean } = {}
): Promise<{ owner: string; repo: string; url: string }> {
  const name = uniqueRepo(prefix)
  await emulator.admin.createRepo({
    full_name: `${OWNER}/${name}`,
    private: options.private ?? false,
    auto_init: !options.empty
  })
  return { owner: OWNER, repo: name, url: `${emulator.url}/${OWNER}/${name}.git` }
}

/** `Authorization: Basic base64(x-access-token:<token>)`, as GitHub's git clients send it. */
export function basicAuth(token: string): string {
  return `Basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}`
}

/**
 * Environment for the real `git` / `git-lfs`: nothing inherited but `PATH`; `HOME` = a temp
 * dir, no system config, no prompts, fixed identities. The token (if any) goes in as
 * `http.extraHeader` through `GIT_CONFIG_COUNT/KEY/VALUE` — never in a URL, argv or file.
 */
export function gitEnv(home: string, token?: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
    GIT_AUTHOR_NAME: 'Test Author',
    GIT_AUTHOR_EMAIL: 'author@example.com',
    GIT_COMMITTER_NAME: 'Test Committer',
    GIT_COMMITTER_EMAIL: 'committer@example.com',
    LC_ALL: 'C'
  }
  if (token !== undefined) {
    env.GIT_CONFIG_COUNT = '1'
    env.GIT_CONFIG_KEY_0 = 'http.extraHeader'
    env.GIT_CONFIG_VALUE_0 = `Authorization: ${basicAuth(token)}`
  }
  return env
}

/** Runs `git <args>` (no shell) in `cwd` with `env`; resolves with exit code and output. */
export function git(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<GitRun> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout.on('data', (c: Buffer) => out.push(c))
    child.stderr.on('data', (c: Buffer) => err.push(c))
    child.on('error', reject)
    child.on('close', (code) =>
      resolve({
        code,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8')
      })
    )
  })
}

/** Like `git`, but throws (with git's stderr) unless the exit code is 0; resolves stdout. */
export async function gitOk(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  const r = await git(args, cwd, env)
  if (r.code !== 0)
    throw new Error(`git ${args.join(' ')} exited with ${String(r.code)}:\n${r.stderr}`)
  return r.stdout
}

/**
 * Fails (never skips) when git-lfs is missing: the LFS round trip is an acceptance criterion
 * of the issue, so an environment without `git lfs` must show up as a failure.
 */
export async function requireGitLfs(home: string): Promise<void> {
  const r = await git(['lfs', 'version'], home, gitEnv(home)).catch((error: unknown) => ({
    code: -1,
    stdout: '',
    stderr: String(error)
  }))
  if (r.code !== 0)
    throw new Error(
      `git-lfs is required for the Git LFS tests, but \`git lfs version\` failed ` +
        `(exit ${String(r.code)}): ${r.stderr.trim()} — install git-lfs (Debian: apt-get install git-lfs)`
    )
}

/** sha256 of a file's bytes, hex. */
export function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex')
}

/** Every regular file below `dir` (recursively) whose bytes contain `needle`. */
export function filesContaining(dir: string, needle: string): string[] {
  const found: string[] = []
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name)
      const s = statSync(path, { throwIfNoEntry: false })
      if (!s) continue
      if (s.isDirectory()) walk(path)
      else if (s.isFile() && readFileSync(path).includes(needle)) found.push(path)
    }
  }
  walk(dir)
  return found
}
