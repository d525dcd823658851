import { GitBranchNotFound, GitStaleHead } from './errors.js'
import { GITHUB_IDENT } from './exec.js'
import type { CommitObject } from './objects.js'
import type { TreeEdit } from './tree-edit.js'
import type {
  CommitFilesInput,
  CommitFilesResult,
  CommitInput,
  IdentInput,
  RefUpdate
} from './types.js'

/**
 * The commit object `writeCommit` writes: `author` defaults to `committer`, which defaults to
 * `GitHub <noreply@github.com>` (`GITHUB_IDENT`); dates default to `now` (ISO 8601).
 */
export function commitObject(input: CommitInput, now: string): CommitObject {
  const committer: IdentInput = { ...GITHUB_IDENT, ...input.committer }
  const author: IdentInput = { ...(input.author ?? committer) }
  return {
    tree: input.tree,
    parents: input.parents,
    author: { name: author.name, email: author.email, date: author.date ?? now },
    committer: { name: committer.name, email: committer.email, date: committer.date ?? now },
    message: input.message
  }
}

/** What `commitFiles` needs of one repository (the `GitStore` methods of the same names). */
export interface CommitFilesIo {
  getRef(ref: string): Promise<string | null>
  isEmpty(): Promise<boolean>
  readCommit(sha: string): Promise<CommitObject | null>
  writeBlob(content: Buffer): Promise<string>
  editTree(base: string | null, edits: TreeEdit[]): Promise<string>
  writeCommit(input: CommitInput): Promise<string>
  updateRefs(updates: RefUpdate[]): Promise<void>
}

/**
 * Commits `additions` and `deletions` on `input.branch` as one commit whose parent is the
 * branch head, then moves the branch with compare-and-swap. The caller holds the repository
 * lock. Throws `GitBranchNotFound`, `GitStaleHead`, `GitPathNotFound` (see
 * `GitStore.commitFiles`). docs/github-behaviour.md §1.2, §2.2.
 */
export async function commitFiles(
  io: CommitFilesIo,
  input: CommitFilesInput
): Promise<CommitFilesResult> {
  const ref = `refs/heads/${input.branch}`
  const head = await io.getRef(ref)
  if (!head && !(input.createIfEmpty && (await io.isEmpty())))
    throw new GitBranchNotFound(input.branch)
  if (input.expectedHeadOid !== undefined && input.expectedHeadOid !== head)
    throw new GitStaleHead(input.expectedHeadOid, head, ref)
  const baseTree = head ? ((await io.readCommit(head))?.tree ?? null) : null
  const edits: TreeEdit[] = input.deletions.map((path) => ({ path, sha: null }))
  for (const add of input.additions) {
    const sha = await io.writeBlob(add.content)
    edits.push({ path: add.path, sha, mode: add.mode ?? '100644' })
  }
  const treeSha = await io.editTree(baseTree, edits)
  const commitSha = await io.writeCommit({
    tree: treeSha,
    parents: head ? [head] : [],
    message: input.message,
    author: input.author,
    committer: input.committer
  })
  await io.updateRefs([{ ref, expected: head, sha: commitSha }])
  return { commitSha, treeSha, parentSha: head ?? '' }
}
