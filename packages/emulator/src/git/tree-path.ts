import { entryType, type CommitObject, type TreeEntry } from './objects.js'
import type { PathObject } from './types.js'

/** How `readPath` reads objects of one repository. */
export interface TreePathIo {
  readCommit(sha: string): Promise<CommitObject | null>
  readTree(sha: string): Promise<readonly TreeEntry[] | null>
  readBlob(sha: string): Promise<Buffer | null>
}

/**
 * What lives at `path` (slash-separated, no leading slash; `''` = the root tree) in commit
 * `commitSha`: `{type, sha, mode}` (mode six digits) plus `content` for blobs; `null` when
 * absent. Walks one tree per path segment.
 */
export async function readPath(
  io: TreePathIo,
  commitSha: string,
  path: string
): Promise<PathObject | null> {
  const commit = await io.readCommit(commitSha)
  if (!commit) return null
  let current: PathObject = { type: 'tree', sha: commit.tree, mode: '040000' }
  for (const part of path.split('/').filter((p) => p !== '')) {
    if (current.type !== 'tree') return null
    const entries = await io.readTree(current.sha)
    const entry = entries?.find((e) => e.name === part)
    if (!entry) return null
    current = { type: entryType(entry.mode), sha: entry.sha, mode: entry.mode.padStart(6, '0') }
  }
  if (current.type === 'blob') {
    const content = await io.readBlob(current.sha)
    if (!content) return null
    return { ...current, content }
  }
  return current
}
