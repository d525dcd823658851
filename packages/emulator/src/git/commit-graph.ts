import { GitCommandError } from './errors.js'
import type { GitExec } from './exec.js'
import type { CommitObject } from './objects.js'

/** What commit-graph queries need of one bare repository. */
export interface CommitGraphIo {
  /** The bare repository directory. */
  path: string
  git: GitExec
  readCommit(sha: string): Promise<CommitObject | null>
}

/** Commits `isAncestor` walks in-process before it asks git instead. */
const WALK_LIMIT = 2_000

/**
 * Whether commit `ancestor` is `descendant` or one of its ancestors, as `git merge-base
 * --is-ancestor` answers: a breadth-first walk of parents through the object cache, up to
 * `WALK_LIMIT` commits. Anything the walk cannot decide exactly asks git: `ancestor` or a commit
 * on the way that is not a readable commit (a tag to peel, a missing object), or a longer
 * history. Each spared `git` process saved a fork of the whole emulator process.
 */
export async function isAncestor(
  io: CommitGraphIo,
  ancestor: string,
  descendant: string
): Promise<boolean> {
  if (ancestor === descendant) return true
  const walked = await walkParents(io, ancestor, descendant)
  if (walked !== null) return walked
  const r = await io.git.run([
    '--git-dir',
    io.path,
    'merge-base',
    '--is-ancestor',
    ancestor,
    descendant
  ])
  return r.code === 0
}

/** `true`/`false` when the parents walk from `descendant` decides; `null` when git must. */
async function walkParents(
  io: CommitGraphIo,
  ancestor: string,
  descendant: string
): Promise<boolean | null> {
  const seen = new Set([descendant])
  const queue = [descendant]
  for (let i = 0; i < queue.length; i++) {
    const commit = await io.readCommit(queue[i])
    if (!commit) return null
    for (const parent of commit.parents) {
      if (parent === ancestor) return true
      if (seen.has(parent)) continue
      if (seen.size >= WALK_LIMIT) return null
      seen.add(parent)
      queue.push(parent)
    }
  }
  // Not reachable: exact only when `ancestor` is itself a commit (git peels a tag first).
  return (await io.readCommit(ancestor)) ? false : null
}

/**
 * Commit SHAs reachable from `sha`, newest first (`git rev-list --max-count`, default 10 000),
 * optionally only those touching `path`. A history without merges, read without `path`, is
 * walked in-process (see `linearLog`); anything else asks git. Throws `GitCommandError` when
 * git fails.
 */
export async function log(
  io: CommitGraphIo,
  sha: string,
  options: { path?: string; max?: number } = {}
): Promise<string[]> {
  const max = options.max ?? 10_000
  if (!options.path) {
    const chain = await linearLog(io, sha, max)
    if (chain !== null) return chain
  }
  const args = ['rev-list', `--max-count=${max}`, sha]
  if (options.path) args.push('--', options.path)
  const r = await io.git.run(['--git-dir', io.path, ...args])
  if (r.code !== 0) throw new GitCommandError(args, r.code, r.stderr)
  return r.stdout
    .toString('utf8')
    .split('\n')
    .filter((l) => l !== '')
}

/**
 * `git rev-list --max-count=<max> <sha>` for a linear history: every commit has one parent, so
 * git's walk has a single candidate at each step and lists the parent chain in order, whatever
 * the dates. `null` (ask git) at a merge, at anything that is not a readable commit (a tag git
 * would peel, a name, a missing object) and past `WALK_LIMIT` commits.
 */
async function linearLog(io: CommitGraphIo, sha: string, max: number): Promise<string[] | null> {
  const out: string[] = []
  let at: string | undefined = sha
  while (at !== undefined && out.length < max) {
    if (out.length >= WALK_LIMIT) return null
    const commit = await io.readCommit(at)
    if (!commit || commit.parents.length > 1) return null
    out.push(at)
    at = commit.parents[0]
  }
  return out
}
