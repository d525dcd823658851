/**
 * Baseline: the seed's data-repo algorithm (a Streamlit chatbot's `utils/github_sync.py`),
 * re-implemented for `bench/persist-data.ts` (bench only, never shipped). Backup = `git clone`
 * of the data repo (every LFS file smudged), `git lfs pull`, remove `data/`, copy the live
 * directory to `data/`, `git add .`, commit "Auto backup - <iso>", `git push`. Restore = clone +
 * `git lfs pull` + copy `data/` into place. With the seed's `.gitattributes`. Unlike the seed,
 * the token goes in as `http.extraHeader` through `GIT_CONFIG_*` variables, never in a URL or
 * argv (docs/persist-data.md §4: HTTP Basic `x-access-token:<token>`).
 */
import { cp, mkdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { gitEnv, gitOk as git } from '../../test-support/git-cli.js'

/** The seed's `.gitattributes` patterns. */
export const SEED_LFS_PATTERNS = [
  '*.sqlite3',
  '*.db',
  'data/chroma_db/*',
  '*.parquet',
  '*.pkl',
  '*.bak',
  'data/*.csv'
]

/** Environment for git and git-lfs: a private HOME, no prompts, the token as a header. */
export function seedGitEnv(home: string, token: string): NodeJS.ProcessEnv {
  return gitEnv(home, token, {}, { name: 'seed', email: 'seed@example.com' })
}

/** `git lfs install` into the private HOME (once per HOME). */
export async function installLfs(home: string, token: string): Promise<void> {
  await mkdir(home, { recursive: true })
  await git(['lfs', 'install', '--skip-repo'], home, seedGitEnv(home, token))
}

/** `git clone <url> <dir>` + `git lfs pull`: what the seed's restore and backup start with. */
export async function seedClone(url: string, dir: string, env: NodeJS.ProcessEnv): Promise<void> {
  await rm(dir, { recursive: true, force: true })
  await git(['clone', '--quiet', url, dir], process.cwd(), env)
  await git(['lfs', 'pull'], dir, env)
}

/** The seed's backup of `live` to the data repo at `url`; `work` is a scratch directory. */
export async function seedBackup(
  url: string,
  live: string,
  work: string,
  env: NodeJS.ProcessEnv,
  now: Date
): Promise<void> {
  const clone = join(work, 'seed-clone')
  await seedClone(url, clone, env)
  await writeFile(
    join(clone, '.gitattributes'),
    SEED_LFS_PATTERNS.map((p) => `${p} filter=lfs diff=lfs merge=lfs -text\n`).join('')
  )
  await rm(join(clone, 'data'), { recursive: true, force: true })
  await cp(live, join(clone, 'data'), { recursive: true })
  await git(['add', '.'], clone, env)
  await git(['commit', '--quiet', '-m', `Auto backup - ${now.toISOString()}`], clone, env)
  await git(['push', '--quiet', 'origin', 'HEAD'], clone, env)
}

/** The seed's restore: clone + `git lfs pull`, then `data/` copied to `target`. */
export async function seedRestore(
  url: string,
  target: string,
  work: string,
  env: NodeJS.ProcessEnv
): Promise<void> {
  const clone = join(work, 'seed-restore')
  await seedClone(url, clone, env)
  await cp(join(clone, 'data'), target, { recursive: true })
}
