import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { mkdir, rm } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { GitCommandError } from './errors.js'
import { GITHUB_IDENT, type GitExec } from './exec.js'
import { plainRefName } from './loose.js'
import type { CommitFilesInput, IdentInput } from './types.js'

/** Per emulator (its `GitExec`): a bare repository made by `git init`, copied for every new one. */
const templates = new WeakMap<GitExec, Promise<string>>()

/**
 * Creates the bare repository at `path` as `git init --bare --initial-branch=<defaultBranch>`
 * would, making its parent directory first. git runs once per emulator, into a template
 * directory beside the git home; each new repository is a copy of it with `HEAD` naming
 * `defaultBranch` (the only file the initial branch changes), so git's own layout, config and
 * hooks are kept without a `git` process per repository. An existing `path` (which git
 * reinitialises) and a branch name outside `plainRefName` (which git checks) go to git itself.
 * Answers which it was: a copy has no refs yet, for certain. Throws `GitCommandError` when git
 * fails.
 */
export async function initBare(
  git: GitExec,
  path: string,
  defaultBranch: string
): Promise<'copied' | 'git'> {
  await mkdir(dirname(path), { recursive: true })
  if (existsSync(path) || !plainRefName(`refs/heads/${defaultBranch}`)) {
    await gitInit(git, path, defaultBranch)
    return 'git'
  }
  let template = templates.get(git)
  if (!template) {
    template = makeTemplate(git)
    templates.set(git, template)
    template.catch(() => templates.delete(git))
  }
  copyAll(await template, path)
  writeFileSync(join(path, 'HEAD'), `ref: refs/heads/${defaultBranch}\n`)
  return 'copied'
}

/** Plain synchronous copies (a few dozen small files); `copyFileSync` keeps each file's mode. */
function copyAll(from: string, to: string): void {
  mkdirSync(to)
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = join(from, entry.name)
    if (entry.isDirectory()) copyAll(source, join(to, entry.name))
    else copyFileSync(source, join(to, entry.name))
  }
}

async function makeTemplate(git: GitExec): Promise<string> {
  const dir = join(git.home, 'bare-template.git')
  await rm(dir, { recursive: true, force: true })
  await gitInit(git, dir, 'main')
  return dir
}

async function gitInit(git: GitExec, path: string, defaultBranch: string): Promise<void> {
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
