import type { Clock } from '../clock.js'

/**
 * The input and result shapes of `GitStore` (`store.ts`), shared by the modules that do its
 * jobs (`commit-files.ts`, `ref-update.ts`, `tree-path.ts`) and by the models.
 */

/** Author / committer input; `date` ISO 8601 (default: the emulator clock). */
export interface IdentInput {
  name: string
  email: string
  date?: string
}

/** Input of `commitFiles`. */
export interface CommitFilesInput {
  /** Branch name without `refs/heads/`. */
  branch: string
  /** When given, the branch head must be exactly this commit (else `GitStaleHead`). */
  expectedHeadOid?: string
  additions: Array<{ path: string; content: Buffer; mode?: string }>
  deletions: string[]
  message: string
  author?: IdentInput
  committer?: IdentInput
  /**
   * When the repository has no branch at all, create `branch` with a root commit instead of
   * throwing `GitBranchNotFound` (contents PUT on an empty repository). Default `false`.
   */
  createIfEmpty?: boolean
}

/** Result of `commitFiles`. `parentSha` is `''` for a root commit (`createIfEmpty`). */
export interface CommitFilesResult {
  commitSha: string
  treeSha: string
  parentSha: string
}

/** Input of `writeCommit`: tree and parent SHAs, message, optional identities. */
export interface CommitInput {
  tree: string
  parents: string[]
  message: string
  author?: IdentInput
  committer?: IdentInput
}

/** One ref change of `updateRefs` (one atomic `git update-ref --stdin` transaction). */
export interface RefUpdate {
  /** Full ref name, e.g. `refs/heads/main`. */
  ref: string
  /** `undefined`: no check; `null`: the ref must not exist; a SHA: the ref must point there. */
  expected?: string | null
  /** New target; `null` deletes the ref. */
  sha: string | null
  /** Require the new commit to descend from the current one (`GitNotFastForward`). */
  fastForwardOnly?: boolean
}

/** What `readPath` finds. `content` is set for blobs. */
export interface PathObject {
  type: 'blob' | 'tree' | 'commit'
  sha: string
  mode: string
  content?: Buffer
}

/** Options of `GitStore`. */
export interface GitStoreOptions {
  /** When set, repositories live in `<dataDir>/git` and survive restarts. */
  dataDir?: string
  clock: Clock
}
