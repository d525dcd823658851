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

/**
 * Whether commit `ancestor` is `descendant` or one of its ancestors: a direct parent is read
 * from the object cache, anything further asks `git merge-base --is-ancestor`.
 */
export async function isAncestor(
  io: CommitGraphIo,
  ancestor: string,
  descendant: string
): Promise<boolean> {
  if (ancestor === descendant) return true
  // A child of the current target (every guarded ref move makes one) needs no git process.
  if ((await io.readCommit(descendant))?.parents.includes(ancestor)) return true
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

/**
 * Commit SHAs reachable from `sha`, newest first (`git rev-list --max-count`, default 10 000),
 * optionally only those touching `path`. Throws `GitCommandError` when git fails.
 */
export async function log(
  io: CommitGraphIo,
  sha: string,
  options: { path?: string; max?: number } = {}
): Promise<string[]> {
  const args = ['rev-list', `--max-count=${options.max ?? 10_000}`, sha]
  if (options.path) args.push('--', options.path)
  const r = await io.git.run(['--git-dir', io.path, ...args])
  if (r.code !== 0) throw new GitCommandError(args, r.code, r.stderr)
  return r.stdout
    .toString('utf8')
    .split('\n')
    .filter((l) => l !== '')
}
