import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { mkdir, rename, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Clock } from '../clock.js'
import { isAncestor, log } from './commit-graph.js'
import { commitFiles, commitObject } from './commit-files.js'
import { GitCommandError } from './errors.js'
import { GitExec } from './exec.js'
import { initBare, readmeCommit } from './init.js'
import { KeyedMutex } from './lock.js'
import { decoded, type RawObject } from './object-cache.js'
import { ObjectStore } from './object-store.js'
import {
  decodeCommit,
  decodeTree,
  encodeCommit,
  encodeTree,
  type CommitObject,
  type GitObjectType,
  type TreeEntry
} from './objects.js'
import type { RefHistoryEntry } from './ref-history.js'
import { applyRefUpdates } from './ref-update.js'
import { RepoRefs } from './refs.js'
import { refName, resolveRef } from './resolve.js'
import { editTree, type TreeEdit } from './tree-edit.js'
import { readPath } from './tree-path.js'
import type {
  CommitFilesInput,
  CommitFilesResult,
  CommitInput,
  GitStoreOptions,
  IdentInput,
  PathObject,
  RefUpdate
} from './types.js'

// The test suite imports the git errors from here.
export {
  GitBranchNotFound,
  GitCommandError,
  GitNotFastForward,
  GitObjectNotFound,
  GitPathNotFound,
  GitStaleHead
} from './errors.js'

/**
 * Repository content as real git (docs/github-behaviour.md §1, §2, §8 items 2–3): one bare
 * repository per emulated repository at `<root>/repos/<owner>/<repo>.git` (owner and name
 * lower-cased, as GitHub's names are case-insensitive), objects with git's real SHAs, refs moved
 * only with `git update-ref` compare-and-swap under one async lock per repository.
 *
 * Objects are immutable, so they are cached by SHA in memory (bounded) and read through one
 * long-lived `git cat-file --batch` per repository; new objects are written as loose objects in
 * git's own format (the same bytes `git hash-object -w` / `mktree` / `commit-tree` write). Refs
 * are cached per repository and re-read after `refsChanged` (call it whenever something outside
 * this class, such as `git receive-pack`, moved refs). Every ref move made here or observed by
 * `refsChanged` is appended to an in-memory ref history (`refHistory`, `refAt`).
 *
 * This class is the facade: it owns the repositories (paths, lifecycle, per-repository state)
 * and hands every other job to one module of `src/git/` (the package README's layout lists
 * them): `resolve.ts`, `ref-update.ts`, `commit-graph.ts`, `object-store.ts`, `tree-path.ts`,
 * `tree-edit.ts`, `commit-files.ts`, `init.ts`; shapes in `types.ts`.
 */

interface RepoState {
  key: string
  path: string
  refs: RepoRefs
}

/** The git object store of one emulator instance; see the module comment. */
export class GitStore {
  /** `<dataDir>/git`, or a temporary directory removed by `close()`. */
  readonly root: string
  private readonly temporary: boolean
  private readonly git: GitExec
  private readonly clock: Clock
  private readonly lock = new KeyedMutex()
  private readonly repos = new Map<string, RepoState>()
  private readonly objects: ObjectStore
  private closed = false
  /** Replication lag of stale-read mode in ms (0 = off); see `setStaleReads`. */
  staleReadLagMs = 0

  constructor(options: GitStoreOptions) {
    this.clock = options.clock
    this.temporary = !options.dataDir
    this.root = options.dataDir
      ? join(options.dataDir, 'git')
      : mkdtempSync(join(tmpdir(), 'hubstore-git-'))
    mkdirSync(join(this.root, 'repos'), { recursive: true })
    this.git = new GitExec(this.root)
    this.objects = new ObjectStore(() => this.env())
  }

  /** Environment for git child processes (`GitExec.env`): no user or system config leaks in. */
  env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    return this.git.env(extra)
  }

  /** The bare repository directory of `owner/repo` (lower-cased names). */
  repoPath(owner: string, repo: string): string {
    return join(this.root, 'repos', owner.toLowerCase(), `${repo.toLowerCase()}.git`)
  }

  /** Whether the bare repository of `owner/repo` exists on disk. */
  exists(owner: string, repo: string): boolean {
    return existsSync(join(this.repoPath(owner, repo), 'HEAD'))
  }

  /**
   * Runs `git --git-dir=<repo> <args>` (no shell) with `input` on stdin; resolves stdout.
   * Throws `GitCommandError` on a non-zero exit.
   */
  async run(owner: string, repo: string, args: string[], input?: Buffer | string): Promise<Buffer> {
    const r = await this.git.run(['--git-dir', this.repoPath(owner, repo), ...args], input)
    if (r.code !== 0) throw new GitCommandError(args, r.code, r.stderr)
    return r.stdout
  }

  /**
   * Creates the bare repository (`git init --bare --initial-branch=<defaultBranch>`); a no-op
   * when it already exists (restart with `dataDir`). With `autoInit` commits `README.md` =
   * `# <repo>\n` as "Initial commit" on the default branch (GitHub's "Initialize this
   * repository with a README").
   */
  async init(
    owner: string,
    repo: string,
    options: { defaultBranch: string; autoInit: boolean; author?: IdentInput }
  ): Promise<void> {
    const path = this.repoPath(owner, repo)
    if (existsSync(join(path, 'HEAD'))) return
    const made = await initBare(this.git, path, options.defaultBranch)
    this.forget(this.key(owner, repo))
    // a copy of the template has no refs: nothing to read with `git for-each-ref`
    if (made === 'copied') this.state(owner, repo).refs.seed(new Map())
    if (options.autoInit)
      await this.commitFiles(
        owner,
        repo,
        readmeCommit(owner, repo, options.defaultBranch, options.author)
      )
  }

  /**
   * Creates the bare repository of `owner/repo` as a copy of `from`'s (same objects and refs,
   * so the same commit SHAs): bulk seeding without one `git init` child process per
   * repository. A no-op when it already exists.
   */
  async copyRepository(
    owner: string,
    repo: string,
    from: { owner: string; repo: string }
  ): Promise<void> {
    const path = this.repoPath(owner, repo)
    if (existsSync(join(path, 'HEAD'))) return
    const source = this.repoPath(from.owner, from.repo)
    const refs = await this.withRepoLock(from.owner, from.repo, async () => {
      copyTree(source, path)
      return this.state(from.owner, from.repo).refs.get()
    })
    this.state(owner, repo).refs.seed(refs)
  }

  /** Runs `fn` holding the one lock of `owner/repo` (re-entrant within `fn`'s async chain). */
  withRepoLock<T>(owner: string, repo: string, fn: () => Promise<T>): Promise<T> {
    return this.lock.run(this.key(owner, repo), fn)
  }

  /**
   * Call after anything outside this class (e.g. `git receive-pack`) moved refs of
   * `owner/repo`: refs are re-read (under the repository lock) and changes appended to the
   * ref history.
   */
  refsChanged(owner: string, repo: string): void {
    const refs = this.state(owner, repo).refs
    refs.invalidate()
    refs.get().catch(() => undefined)
  }

  /** Every ref (`refs/...` → SHA), from the cache or read with `git for-each-ref`. */
  async refs(owner: string, repo: string): Promise<Map<string, string>> {
    return this.state(owner, repo).refs.get()
  }

  /** The SHA of the full ref name `ref` (e.g. `refs/heads/main`), or `null`. */
  async getRef(owner: string, repo: string, ref: string): Promise<string | null> {
    return (await this.refs(owner, repo)).get(ref) ?? null
  }

  /** Refs whose full name starts with `prefix` (e.g. `refs/heads/`), sorted by name. */
  async listRefs(
    owner: string,
    repo: string,
    prefix = 'refs/'
  ): Promise<Array<{ ref: string; sha: string }>> {
    return this.state(owner, repo).refs.list(prefix)
  }

  /** Whether the repository has no branch (no commits reachable from a ref). */
  async isEmpty(owner: string, repo: string): Promise<boolean> {
    return (await this.listRefs(owner, repo, 'refs/heads/')).length === 0
  }

  /**
   * Resolves `ref` to a commit SHA: `refs/heads/x`, `heads/x`, `tags/x`, a branch or tag name
   * (branches win), or a commit SHA (full, or an unambiguous abbreviation of 4+ hex digits).
   * Annotated tags are peeled. With `asOf` (ms since epoch, emulator clock) a named ref is
   * resolved from the ref history as it was then (stale reads); SHAs are unaffected. `null`
   * when nothing matches.
   */
  async resolveRef(
    owner: string,
    repo: string,
    ref: string,
    options: { asOf?: number } = {}
  ): Promise<string | null> {
    return resolveRef(this.io(owner, repo), ref, options)
  }

  /** The full ref name `ref` resolves to (`refs/heads/x` …), or `null` for SHAs and misses. */
  async refName(owner: string, repo: string, ref: string): Promise<string | null> {
    return refName(this.io(owner, repo), ref)
  }

  /** The ref history of `ref` (full name), oldest first. */
  refHistory(owner: string, repo: string, ref: string): RefHistoryEntry[] {
    return this.state(owner, repo).refs.history.list(ref)
  }

  /**
   * The target `ref` had at `time` (ms since epoch): the last history entry at or before it,
   * else the oldest known one (history starts when the emulator first read the ref).
   */
  refAt(owner: string, repo: string, ref: string, time: number): string | null {
    return this.state(owner, repo).refs.history.at(ref, time)
  }

  /** The emulator clock, ms since epoch (the time base of the ref history). */
  clockNow(): number {
    return this.clock.now().getTime()
  }

  /** Stale-read mode (docs/github-behaviour.md §8 item 6): reads by ref lag `lagMs` (0 = off). */
  setStaleReads(lagMs: number): void {
    this.staleReadLagMs = Math.max(0, lagMs)
  }

  /** Reads an object (`null` when the repository does not have it). */
  async readObject(owner: string, repo: string, sha: string): Promise<RawObject | null> {
    return this.objects.read(this.state(owner, repo), sha)
  }

  /** A blob's bytes, or `null`. */
  async readBlob(owner: string, repo: string, sha: string): Promise<Buffer | null> {
    const obj = await this.readObject(owner, repo, sha)
    return obj?.type === 'blob' ? obj.data : null
  }

  /** A tree's entries (git order), or `null`. Read-only: the array and entries are frozen. */
  async readTree(owner: string, repo: string, sha: string): Promise<readonly TreeEntry[] | null> {
    const obj = await this.readObject(owner, repo, sha)
    return obj?.type === 'tree' ? decoded(obj, () => decodeTree(obj.data)) : null
  }

  /** A parsed commit, or `null`. Read-only: the commit and its fields are frozen. */
  async readCommit(owner: string, repo: string, sha: string): Promise<CommitObject | null> {
    const obj = await this.readObject(owner, repo, sha)
    return obj?.type === 'commit' ? decoded(obj, () => decodeCommit(obj.data)) : null
  }

  /**
   * What lives at `path` (slash-separated, no leading slash; `''` = the root tree) in commit
   * `commitSha`: `{type, sha, mode}` plus `content` for blobs; `null` when absent.
   */
  async readPath(
    owner: string,
    repo: string,
    commitSha: string,
    path: string
  ): Promise<PathObject | null> {
    return readPath(this.io(owner, repo), commitSha, path)
  }

  /** Writes an object (loose, git's format) and returns its SHA; idempotent. */
  async writeObject(
    owner: string,
    repo: string,
    type: GitObjectType,
    data: Buffer
  ): Promise<string> {
    return this.objects.write(this.state(owner, repo), type, data)
  }

  /** Writes a blob; returns its SHA (= `git hash-object`). */
  writeBlob(owner: string, repo: string, content: Buffer): Promise<string> {
    return this.writeObject(owner, repo, 'blob', content)
  }

  /** Writes a tree from entries (sorted in git's order here); returns its SHA. */
  writeTree(owner: string, repo: string, entries: TreeEntry[]): Promise<string> {
    return this.writeObject(owner, repo, 'tree', encodeTree(entries))
  }

  /**
   * Writes a commit; `author` defaults to `committer`, which defaults to
   * `GitHub <noreply@github.com>`; dates default to the emulator clock. Returns its SHA.
   */
  writeCommit(owner: string, repo: string, input: CommitInput): Promise<string> {
    const commit = commitObject(input, this.clock.now().toISOString())
    return this.writeObject(owner, repo, 'commit', encodeCommit(commit))
  }

  /**
   * Applies `edits` to tree `base` (`null` = start empty) and writes the result: nested paths
   * create subtrees, `sha: null` deletes (throws `GitPathNotFound` when the path is absent),
   * directories left empty disappear. Returns the new root tree SHA.
   */
  editTree(owner: string, repo: string, base: string | null, edits: TreeEdit[]): Promise<string> {
    return editTree(this.io(owner, repo), base, edits)
  }

  /**
   * Commits `additions` and `deletions` on `branch` as one commit whose parent is the branch
   * head, then moves the branch with compare-and-swap, all under the repository lock.
   * Throws `GitBranchNotFound` (no such branch, unless `createIfEmpty` on an empty repository),
   * `GitStaleHead` (`expectedHeadOid` ≠ head, or the ref moved underneath), `GitPathNotFound`
   * (a deletion of a missing path). docs/github-behaviour.md §1.2, §2.2.
   */
  commitFiles(owner: string, repo: string, input: CommitFilesInput): Promise<CommitFilesResult> {
    return this.withRepoLock(owner, repo, () => commitFiles(this.io(owner, repo), input))
  }

  /**
   * Moves refs atomically (one `git update-ref --stdin` transaction, or git's lock-file
   * protocol in-process for one existing loose ref moving: `moveLooseRef`) under the repository
   * lock, after checking each `expected` (`GitStaleHead`), that new targets exist
   * (`GitObjectNotFound`) and, with `fastForwardOnly`, descend from the current target
   * (`GitNotFastForward`). docs/github-behaviour.md §2.1, §2.3.
   */
  updateRefs(owner: string, repo: string, updates: RefUpdate[]): Promise<void> {
    return this.withRepoLock(owner, repo, () => applyRefUpdates(this.io(owner, repo), updates))
  }

  /** Whether commit `ancestor` is `descendant` or one of its ancestors (`git merge-base --is-ancestor`). */
  async isAncestor(
    owner: string,
    repo: string,
    ancestor: string,
    descendant: string
  ): Promise<boolean> {
    return isAncestor(this.io(owner, repo), ancestor, descendant)
  }

  /**
   * Commit SHAs reachable from `sha`, newest first (`git rev-list`), optionally only those
   * touching `path`.
   */
  async log(
    owner: string,
    repo: string,
    sha: string,
    options: { path?: string; max?: number } = {}
  ): Promise<string[]> {
    return log(this.io(owner, repo), sha, options)
  }

  /**
   * Moves the bare repository of `owner/from` to `owner/to` (a rename), or deletes it when `to`
   * is `null`, under the repository lock; readers and cached refs of the old name are dropped.
   */
  relocate(owner: string, from: string, to: string | null): Promise<void> {
    return this.withRepoLock(owner, from, async () => {
      this.forget(this.key(owner, from))
      this.repos.delete(this.key(owner, from))
      const path = this.repoPath(owner, from)
      if (to === null) return void (await rm(path, { recursive: true, force: true }))
      if (to.toLowerCase() === from.toLowerCase()) return
      if (existsSync(path)) await rename(path, this.repoPath(owner, to))
    })
  }

  /** Removes every repository (admin reset). */
  async reset(): Promise<void> {
    this.objects.clear()
    this.repos.clear()
    this.staleReadLagMs = 0
    await rm(join(this.root, 'repos'), { recursive: true, force: true })
    await mkdir(join(this.root, 'repos'), { recursive: true })
  }

  /** Stops the `cat-file` processes; removes the root when it is temporary. */
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    this.objects.clear()
    this.repos.clear()
    if (this.temporary) rmSync(this.root, { recursive: true, force: true })
  }

  /** One repository as the job modules see it (`resolve.ts`, `ref-update.ts`, …). */
  private io(owner: string, repo: string) {
    const state = this.state(owner, repo)
    return {
      path: state.path,
      refs: state.refs,
      git: this.git,
      readObject: (sha: string) => this.readObject(owner, repo, sha),
      readCommit: (sha: string) => this.readCommit(owner, repo, sha),
      readTree: (sha: string) => this.readTree(owner, repo, sha),
      readBlob: (sha: string) => this.readBlob(owner, repo, sha),
      writeTree: (entries: TreeEntry[]) => this.writeTree(owner, repo, entries),
      isAncestor: (ancestor: string, descendant: string) =>
        this.isAncestor(owner, repo, ancestor, descendant),
      getRef: (ref: string) => this.getRef(owner, repo, ref),
      isEmpty: () => this.isEmpty(owner, repo),
      writeBlob: (content: Buffer) => this.writeBlob(owner, repo, content),
      editTree: (base: string | null, edits: TreeEdit[]) => this.editTree(owner, repo, base, edits),
      writeCommit: (commit: CommitInput) => this.writeCommit(owner, repo, commit),
      updateRefs: (updates: RefUpdate[]) => this.updateRefs(owner, repo, updates)
    }
  }

  private key(owner: string, repo: string): string {
    return `${owner}/${repo}`.toLowerCase()
  }

  private state(owner: string, repo: string): RepoState {
    const key = this.key(owner, repo)
    let state = this.repos.get(key)
    if (!state) {
      state = {
        key,
        path: this.repoPath(owner, repo),
        refs: new RepoRefs(this.repoPath(owner, repo), this.git, () => this.clockNow())
      }
      this.repos.set(key, state)
    }
    return state
  }

  private forget(key: string): void {
    const state = this.repos.get(key)
    if (!state) return
    this.objects.forget(key)
    state.refs.forget()
  }
}

/**
 * Copies the directory `from` to `to` with plain synchronous file copies, leaving out the hook
 * samples (no hook runs here): a few dozen small files, far cheaper than `fs.cp`'s per-entry
 * checks when a thousand repositories are seeded.
 */
function copyTree(from: string, to: string): void {
  mkdirSync(to, { recursive: true })
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    if (entry.name === 'hooks') continue
    const source = join(from, entry.name)
    if (entry.isDirectory()) copyTree(source, join(to, entry.name))
    else if (entry.isFile()) copyFileSync(source, join(to, entry.name))
  }
}
