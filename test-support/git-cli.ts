/**
 * The real `git` and `git-lfs` for tests and bench runs against the emulator's smart HTTP and
 * LFS — the one runner every suite uses (the emulator's git-http tests, core's data tests and
 * the seed baseline in `bench/baselines/seed-backup.ts`). The environment inherits nothing but
 * `PATH`; the token travels only as an `http.extraHeader` set through
 * `GIT_CONFIG_COUNT/KEY/VALUE` variables — never in a URL, an argument or a config file
 * (docs/persist-data.md §4: HTTP Basic `x-access-token:<token>`). Every argument list run is
 * recorded in {@link gitArgvLog}, so a test can show the token is in none.
 */
import { spawn } from 'node:child_process'
import { join } from 'node:path'

/** Every argument list passed to `git` by this module, in order. */
export const gitArgvLog: string[][] = []

/** What a git child process did. */
export interface GitRun {
  code: number | null
  stdout: string
  stderr: string
}

/** Author and committer of the commits git makes in a test. */
export interface GitIdentity {
  name: string
  email: string
}

/** The identity used unless a caller passes one. */
export const TEST_GIT_IDENTITY: GitIdentity = { name: 'Test Author', email: 'author@example.com' }

/** `Authorization: Basic base64(x-access-token:<token>)`, as GitHub's git clients send it. */
export function basicAuth(token: string): string {
  return `Basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}`
}

/**
 * `HOME` = `home`, no system config, no prompts, a fixed identity; the token (if any) as an
 * `http.extraHeader`. `extra` is merged last (e.g. `GIT_LFS_SKIP_SMUDGE`).
 */
export function gitEnv(
  home: string,
  token?: string,
  extra: NodeJS.ProcessEnv = {},
  identity: GitIdentity = TEST_GIT_IDENTITY
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
    GIT_AUTHOR_NAME: identity.name,
    GIT_AUTHOR_EMAIL: identity.email,
    GIT_COMMITTER_NAME: identity.name,
    GIT_COMMITTER_EMAIL: identity.email,
    LC_ALL: 'C',
    ...extra
  }
  if (token !== undefined) {
    env.GIT_CONFIG_COUNT = '1'
    env.GIT_CONFIG_KEY_0 = 'http.extraHeader'
    env.GIT_CONFIG_VALUE_0 = `Authorization: ${basicAuth(token)}`
  }
  return env
}

/**
 * Runs `git <args>` (no shell) in `cwd` with `env`, `input` (if any) on standard input;
 * resolves with the exit code and output, whatever the exit code.
 */
export function git(
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  input?: string | Buffer
): Promise<GitRun> {
  gitArgvLog.push([...args])
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] })
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
    // a git command that exits without reading stdin: EPIPE is no failure, its exit code decides
    child.stdin.on('error', () => undefined)
    child.stdin.end(input)
  })
}

/** Like {@link git}, but throws (with git's stderr) unless the exit code is 0; resolves stdout. */
export async function gitOk(
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  input?: string | Buffer
): Promise<string> {
  const r = await git(args, cwd, env, input)
  if (r.code !== 0)
    throw new Error(`git ${args.join(' ')} exited with ${String(r.code)}:\n${r.stderr}`)
  return r.stdout
}

/** {@link gitOk} with `input` on standard input, stdout trimmed (`git mktree`, `hash-object --stdin`). */
export async function gitInput(
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  input: string | Buffer
): Promise<string> {
  return (await gitOk(args, cwd, env, input)).trim()
}
