import { GitNotFastForward, GitObjectNotFound, GitStaleHead } from './errors.js'
import type { GitExec } from './exec.js'
import { createLooseRef, moveLooseRef } from './loose.js'
import type { RawObject } from './object-cache.js'
import { ZERO_SHA } from './objects.js'
import type { RepoRefs } from './refs.js'
import type { RefUpdate } from './types.js'

/** What `applyRefUpdates` needs of one bare repository. */
export interface RefUpdateIo {
  /** The bare repository directory. */
  path: string
  refs: RepoRefs
  git: GitExec
  readObject(sha: string): Promise<RawObject | null>
  isAncestor(ancestor: string, descendant: string): Promise<boolean>
}

/**
 * Moves refs atomically: one `git update-ref --stdin` transaction, or git's lock-file protocol
 * in-process for one existing loose ref moving or one new ref (`moveLooseRef`, `createLooseRef`). Checks first each `expected`
 * (`GitStaleHead`), that new targets exist and branches point at commits (`GitObjectNotFound`)
 * and, with `fastForwardOnly`, that the new commit descends from the current one
 * (`GitNotFastForward`). A transaction git refuses (a ref moved underneath) re-reads the refs
 * and throws `GitStaleHead` for the first ref that changed. The caller holds the repository
 * lock. docs/github-behaviour.md §2.1, §2.3.
 */
export async function applyRefUpdates(io: RefUpdateIo, updates: RefUpdate[]): Promise<void> {
  const refs = await io.refs.get()
  const lines: string[] = []
  const seen: Array<string | null> = []
  for (const u of updates) {
    const current = refs.get(u.ref) ?? null
    seen.push(current)
    if (u.expected !== undefined && u.expected !== current)
      throw new GitStaleHead(u.expected, current, u.ref)
    if (u.sha !== null) {
      const obj = await io.readObject(u.sha)
      if (!obj || (u.ref.startsWith('refs/heads/') && obj.type !== 'commit'))
        throw new GitObjectNotFound(u.sha)
      if (u.fastForwardOnly && current && !(await io.isAncestor(current, u.sha)))
        throw new GitNotFastForward(u.ref, current, u.sha)
    }
    if (u.sha === null) lines.push(`delete ${u.ref} ${current ?? ''}`.trimEnd())
    else lines.push(`update ${u.ref} ${u.sha} ${current ?? ZERO_SHA}`)
  }
  if (lines.length === 0) return
  // One ref moving forward (every contents write and commit) or created (a branch, a lease):
  // git's lock-file protocol in-process instead of a `git update-ref` child.
  const [only] = updates
  if (
    updates.length === 1 &&
    only.sha !== null &&
    inProcess(io.path, only.ref, seen[0], only.sha)
  ) {
    io.refs.moved(updates)
    return
  }
  const r = await io.git.run(
    ['--git-dir', io.path, 'update-ref', '--stdin'],
    `start\n${lines.join('\n')}\nprepare\ncommit\n`
  )
  if (r.code !== 0) {
    io.refs.invalidate()
    const fresh = await io.refs.get()
    const i = Math.max(
      0,
      updates.findIndex((u, n) => (fresh.get(u.ref) ?? null) !== seen[n])
    )
    throw new GitStaleHead(seen[i], fresh.get(updates[i].ref) ?? null, updates[i].ref)
  }
  io.refs.moved(updates)
}

/** One ref moved or created in-process; `false` (nothing changed) leaves it to git. */
function inProcess(gitDir: string, ref: string, current: string | null, sha: string): boolean {
  if (ref.split('/').some((part) => part === '' || part === '.' || part === '..')) return false
  return current === null
    ? createLooseRef(gitDir, ref, sha)
    : moveLooseRef(gitDir, ref, current, sha)
}
