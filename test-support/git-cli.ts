/**
 * The real `git` and `git-lfs` for tests against the emulator's smart HTTP and LFS: an
 * environment that inherits nothing but `PATH`, and a token that travels only as an
 * `http.extraHeader` set through `GIT_CONFIG_COUNT/KEY/VALUE` variables — never in a URL, an
 * argument or a config file. Every argv run is recorded, so a test can show the token is in none.
 */
import { spawn } from 'node:child_process'
import { join } from 'node:path'

/** Every argument list passed to `git` by {@link gitOk}, in order. */
export const gitArgvLog: string[][] = []

/** `HOME` = `home`, no system config, no prompts, fixed identities; the token as a header. */
export function gitEnv(
  home: string,
  token?: string,
  extra: NodeJS.ProcessEnv = {}
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
    GIT_AUTHOR_NAME: 'Seed Script',
    GIT_AUTHOR_EMAIL: 'seed@example.com',
    GIT_COMMITTER_NAME: 'Seed Script',
    GIT_COMMITTER_EMAIL: 'seed@example.com',
    LC_ALL: 'C',
    ...extra
  }
  if (token !== undefined) {
    const basic = Buffer.from(`x-access-token:${token}`).toString('base64')
    env.GIT_CONFIG_COUNT = '1'
    env.GIT_CONFIG_KEY_0 = 'http.extraHeader'
    env.GIT_CONFIG_VALUE_0 = `Authorization: Basic ${basic}`
  }
  return env
}

/** Runs `git <args>` (no shell) in `cwd`; resolves stdout, throws with stderr on a non-zero exit. */
export function gitOk(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  gitArgvLog.push([...args])
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] })
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout.on('data', (c: Buffer) => out.push(c))
    child.stderr.on('data', (c: Buffer) => err.push(c))
    child.on('error', reject)
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out).toString('utf8'))
      else
        reject(
          new Error(
            `git ${args.join(' ')} exited with ${String(code)}:\n${Buffer.concat(err).toString('utf8')}`
          )
        )
    })
    child.stdin.end()
  })
}

/** Like {@link gitOk} with `input` on standard input (`git mktree`, `git hash-object --stdin`). */
export function gitInput(
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  input: string | Buffer
): Promise<string> {
  gitArgvLog.push([...args])
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] })
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout.on('data', (c: Buffer) => out.push(c))
    child.stderr.on('data', (c: Buffer) => err.push(c))
    child.on('error', reject)
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out).toString('utf8').trim())
      else
        reject(
          new Error(
            `git ${args.join(' ')} exited with ${String(code)}:\n${Buffer.concat(err).toString('utf8')}`
          )
        )
    })
    child.stdin.end(input)
  })
}
