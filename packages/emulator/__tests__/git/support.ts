import { execFileSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const home = mkdtempSync(join(tmpdir(), 'hubstore-git-test-home-'))

/** Runs the real git CLI (no shell, no user config) and returns stdout. */
export function git(args: string[], input?: string | Buffer): string {
  return execFileSync('git', args, {
    input,
    env: {
      PATH: process.env.PATH,
      HOME: home,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_AUTHOR_NAME: 'Test',
      GIT_AUTHOR_EMAIL: 'test@example.com',
      GIT_COMMITTER_NAME: 'Test',
      GIT_COMMITTER_EMAIL: 'test@example.com'
    },
    maxBuffer: 64 * 1024 * 1024
  }).toString('utf8')
}

/** `git hash-object --stdin` of `bytes`. */
export function hashObject(bytes: string | Buffer): string {
  return git(['hash-object', '--stdin'], bytes).trim()
}

/** Base64 of UTF-8 text. */
export function b64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64')
}

/** A contents `file` answer, as the tests look at it. */
export interface FileAnswer {
  type: string
  encoding: string
  content: string
  sha: string
  size: number
  name: string
  path: string
  url: string
  git_url: string
  html_url: string
  download_url: string | null
  _links: { self: string; git: string; html: string }
}

/** Like `git` but returns stdout as bytes. */
export function gitBytes(args: string[]): Buffer {
  return execFileSync('git', args, {
    env: { PATH: process.env.PATH, HOME: home, GIT_CONFIG_NOSYSTEM: '1' },
    maxBuffer: 64 * 1024 * 1024
  })
}
