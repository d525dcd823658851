import { createHash } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach } from '@jest/globals'
import type { Emulator } from '../../src/index.js'
import { OWNER, uniqueRepo } from '../support.js'
import { git, gitEnv } from '../../../../test-support/git-cli.js'

// One git runner for every suite: test-support/git-cli.ts.
export { basicAuth, git, gitEnv, gitOk, type GitRun } from '../../../../test-support/git-cli.js'

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
