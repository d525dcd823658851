import { mkdir } from 'node:fs/promises'
import { dirname } from 'node:path'
import { GitCommandError } from './errors.js'
import { GITHUB_IDENT, type GitExec } from './exec.js'
import type { CommitFilesInput, IdentInput } from './types.js'

/**
 * Creates the bare repository at `path` (`git init --bare --initial-branch=<defaultBranch>`),
 * making its parent directory first. Throws `GitCommandError` when git fails.
 */
export async function initBare(git: GitExec, path: string, defaultBranch: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true })
  const r = await git.run(['init', '--bare', '--quiet', `--initial-branch=${defaultBranch}`, path])
  if (r.code !== 0) throw new GitCommandError(['init', path], r.code, r.stderr)
}

/**
 * The first commit of a repository created with `auto_init` (GitHub's "Initialize this
 * repository with a README"): `README.md` = `# <repo>\n` as "Initial commit" on the default
 * branch, authored by `author` (default: the owner's noreply address), committed by GitHub.
 */
export function readmeCommit(
  owner: string,
  repo: string,
  defaultBranch: string,
  author?: IdentInput
): CommitFilesInput {
  return {
    branch: defaultBranch,
    additions: [{ path: 'README.md', content: Buffer.from(`# ${repo}\n`) }],
    deletions: [],
    message: 'Initial commit',
    author: author ?? { name: owner, email: `${owner.toLowerCase()}@users.noreply.github.com` },
    committer: GITHUB_IDENT,
    createIfEmpty: true
  }
}
