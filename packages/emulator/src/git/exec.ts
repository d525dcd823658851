import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/** Default identity of commits made by the emulator when none is given. */
export const GITHUB_IDENT = { name: 'GitHub', email: 'noreply@github.com' }

/** What a finished git child process left: exit code, stdout bytes, stderr text. */
export interface ExecResult {
  code: number | null
  stdout: Buffer
  stderr: string
}

/**
 * Runs git child processes for one emulator instance. The user's and the system's git config
 * never leak in (`HOME` = a private directory under the store root, `GIT_CONFIG_NOSYSTEM=1`),
 * identities are fixed and nothing prompts.
 */
export class GitExec {
  /** The git home of this emulator's children (under the store root). */
  readonly home: string

  constructor(root: string) {
    this.home = join(root, 'home')
    mkdirSync(this.home, { recursive: true })
    if (!existsSync(join(this.home, '.gitconfig'))) writeFileSync(join(this.home, '.gitconfig'), '')
  }

  /** Environment for git child processes (see the class comment), plus `extra`. */
  env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    return {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: this.home,
      XDG_CONFIG_HOME: join(this.home, '.config'),
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: join(this.home, '.gitconfig'),
      GIT_TERMINAL_PROMPT: '0',
      GIT_AUTHOR_NAME: GITHUB_IDENT.name,
      GIT_AUTHOR_EMAIL: GITHUB_IDENT.email,
      GIT_COMMITTER_NAME: GITHUB_IDENT.name,
      GIT_COMMITTER_EMAIL: GITHUB_IDENT.email,
      LC_ALL: 'C',
      ...extra
    }
  }

  /** Runs `git <args>` (no shell) with `input` on stdin; resolves whatever the exit code. */
  run(args: string[], input?: Buffer | string): Promise<ExecResult> {
    return new Promise((resolve, reject) => {
      const child = spawn('git', args, { env: this.env(), stdio: ['pipe', 'pipe', 'pipe'] })
      const out: Buffer[] = []
      const err: Buffer[] = []
      child.stdout.on('data', (c: Buffer) => out.push(c))
      child.stderr.on('data', (c: Buffer) => err.push(c))
      child.on('error', reject)
      child.on('close', (code) =>
        resolve({
          code,
          stdout: Buffer.concat(out),
          stderr: Buffer.concat(err).toString('utf8')
        })
      )
      child.stdin.on('error', () => undefined)
      child.stdin.end(input)
    })
  }
}
