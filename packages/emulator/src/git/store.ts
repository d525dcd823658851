import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { mkdir, rename, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { Clock } from '../clock.js'
import { CatFileReaders } from './cat-file.js'
import {
  GitBranchNotFound,
  GitCommandError,
  GitNotFastForward,
  GitObjectNotFound,
  GitStaleHead
} from './errors.js'
import { GitExec, GITHUB_IDENT } from './exec.js'
import { KeyedMutex } from './lock.js'
import { moveLooseRef, writeLooseObject } from './loose.js'
import { ObjectCache, type RawObject } from './object-cache.js'
import {
  decodeCommit,
  decodeTagTarget,
  decodeTree,
  encodeCommit,
  encodeTree,
  entryType,
  hashObject,
  isFullSha,
  ZERO_SHA,
  type CommitObject,
  type GitIdent,
  type GitObjectType,
  type TreeEntry
} from './objects.js'
import type { RefHistoryEntry } from './ref-history.js'
import { candidateRefNames, RepoRefs } from './refs.js'
import { EMPTY_TREE_SHA, editTree, type TreeEdit } from './tree-edit.js'

export { ZERO_SHA, type CommitObject, type GitIdent, type GitObjectType, type TreeEntry }
export {
  GitBranchNotFound,
  GitCommandError,
  GitNotFastForward,
  GitObjectNotFound,
  GitPathNotFound,
  GitStaleHead
} from './errors.js'
export { EMPTY_TREE_SHA, type RefHistoryEntry, type TreeEdit }

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
 * This class is the facade; each job lives in its own module: `exec.ts` (git child processes
 * and their environment), `lock.ts` (the per-repository lock), `ref-history.ts`,
 * `refs.ts` (the ref cache), `object-cache.ts`, `loose.ts` (object writes), `cat-file.ts` (the `git cat-file --batch` readers), `tree-edit.ts`
 * (nested tree edits) and `errors.ts`.
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

interface RepoState {
  key: string
  path: string
  refs: RepoRefs
}

/** Options of `GitStore`. */
export interface GitStoreOptions {
  /** When set, repositories live in `<dataDir>/git` and survive restarts. */
  dataDir?: string
  clock: Clock
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
  private readonly cache = new ObjectCache()
  private readonly readers: CatFileReaders
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
    this.readers = new CatFileReaders(() => this.env())
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
   * Throws `GitCommandError` on a non-zero exit unless `allowFailure` (then resolves the code).
   */
  async run(owner: string, repo: string, args: string[], input?: Buffer | string): Promise<Buffer> {
    const r = await this.exec(['--git-dir', this.repoPath(owner, repo), ...args], input)
    if (r.code !== 0) throw new GitCommandError(args, r.code, r.stderr)
    return r.stdout
  }

  private exec(args: string[], input?: Buffer | string) {
    return this.git.run(args, input)
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
    await mkdir(dirname(path), { recursive: true })
    const r = await this.exec([
      'init',
      '--bare',
      '--quiet',
      `--initial-branch=${options.defaultBranch}`,
      path
    ])
    if (r.code !== 0) throw new GitCommandError(['init', path], r.code, r.stderr)
    this.forget(this.key(owner, repo))
    if (!options.autoInit) return
    const author = options.author ?? {
      name: owner,
      email: `${owner.toLowerCase()}@users.noreply.github.com`
    }
    await this.commitFiles(owner, repo, {
      branch: options.defaultBranch,
      additions: [{ path: 'README.md', content: Buffer.from(`# ${repo}\n`) }],
      deletions: [],
      message: 'Initial commit',
      author,
      committer: GITHUB_IDENT,
      createIfEmpty: true
    })
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
    const all = await this.refs(owner, repo)
    return [...all]
      .filter(([ref]) => ref.startsWith(prefix))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([ref, sha]) => ({ ref, sha }))
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
    if (isFullSha(ref)) {
      const peeled = await this.peelToCommit(owner, repo, ref)
      if (peeled) return peeled
    }
    const refs = await this.refs(owner, repo)
    for (const name of candidateRefNames(ref)) {
      const sha = refs.get(name)
      if (!sha) continue
      const target =
        options.asOf === undefined ? sha : (this.refAt(owner, repo, name, options.asOf) ?? sha)
      return this.peelToCommit(owner, repo, target)
    }
    if (/^[0-9a-f]{4,39}$/.test(ref)) {
      const r = await this.exec([
        '--git-dir',
        this.repoPath(owner, repo),
        'rev-parse',
        '--verify',
        '--quiet',
        `${ref}^{commit}`
      ])
      if (r.code === 0) return r.stdout.toString('utf8').trim()
    }
    return null
  }

  /** The full ref name `ref` resolves to (`refs/heads/x` …), or `null` for SHAs and misses. */
  async refName(owner: string, repo: string, ref: string): Promise<string | null> {
    const refs = await this.refs(owner, repo)
    return candidateRefNames(ref).find((name) => refs.has(name)) ?? null
  }

  /** Follows annotated tags to a commit; `null` when `sha` is missing or not a commit. */
  private async peelToCommit(owner: string, repo: string, sha: string): Promise<string | null> {
    let current = sha
    for (let i = 0; i < 10; i++) {
      const obj = await this.readObject(owner, repo, current)
      if (!obj) return null
      if (obj.type === 'commit') return current
      if (obj.type !== 'tag') return null
      current = decodeTagTarget(obj.data).sha
    }
    return null
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
    if (!isFullSha(sha)) return null
    const state = this.state(owner, repo)
    const cached = this.cache.get(state.key, sha)
    if (cached) return cached
    if (!existsSync(state.path)) return null
    const obj = await this.readers.read(state.key, state.path, sha)
    if (obj) this.cache.remember(state.key, sha, obj)
    return obj
  }

  /** A blob's bytes, or `null`. */
  async readBlob(owner: string, repo: string, sha: string): Promise<Buffer | null> {
    const obj = await this.readObject(owner, repo, sha)
    return obj?.type === 'blob' ? obj.data : null
  }

  /** A tree's entries (git order), or `null`. */
  async readTree(owner: string, repo: string, sha: string): Promise<TreeEntry[] | null> {
    const obj = await this.readObject(owner, repo, sha)
    return obj?.type === 'tree' ? decodeTree(obj.data) : null
  }

  /** A parsed commit, or `null`. */
  async readCommit(owner: string, repo: string, sha: string): Promise<CommitObject | null> {
    const obj = await this.readObject(owner, repo, sha)
    return obj?.type === 'commit' ? decodeCommit(obj.data) : null
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
    const commit = await this.readCommit(owner, repo, commitSha)
    if (!commit) return null
    let current: PathObject = { type: 'tree', sha: commit.tree, mode: '040000' }
    for (const part of path.split('/').filter((p) => p !== '')) {
      if (current.type !== 'tree') return null
      const entries = await this.readTree(owner, repo, current.sha)
      const entry = entries?.find((e) => e.name === part)
      if (!entry) return null
      current = { type: entryType(entry.mode), sha: entry.sha, mode: entry.mode.padStart(6, '0') }
    }
    if (current.type === 'blob') {
      const content = await this.readBlob(owner, repo, current.sha)
      if (!content) return null
      return { ...current, content }
    }
    return current
  }

  /** Writes an object (loose, git's format) and returns its SHA; idempotent. */
  async writeObject(
    owner: string,
    repo: string,
    type: GitObjectType,
    data: Buffer
  ): Promise<string> {
    const sha = hashObject(type, data)
    const state = this.state(owner, repo)
    if (this.cache.has(state.key, sha)) return sha
    writeLooseObject(state.path, sha, type, data)
    this.cache.remember(state.key, sha, { type, data })
    return sha
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
  writeCommit(
    owner: string,
    repo: string,
    input: {
      tree: string
      parents: string[]
      message: string
      author?: IdentInput
      committer?: IdentInput
    }
  ): Promise<string> {
    const now = this.clock.now().toISOString()
    const committer = { ...GITHUB_IDENT, ...input.committer }
    const author = { ...(input.author ?? committer) }
    const commit: CommitObject = {
      tree: input.tree,
      parents: input.parents,
      author: { name: author.name, email: author.email, date: author.date ?? now },
      committer: { name: committer.name, email: committer.email, date: committer.date ?? now },
      message: input.message
    }
    return this.writeObject(owner, repo, 'commit', encodeCommit(commit))
  }

  /**
   * Applies `edits` to tree `base` (`null` = start empty) and writes the result: nested paths
   * create subtrees, `sha: null` deletes (throws `GitPathNotFound` when the path is absent),
   * directories left empty disappear. Returns the new root tree SHA.
   */
  editTree(owner: string, repo: string, base: string | null, edits: TreeEdit[]): Promise<string> {
    return editTree(
      {
        readTree: (sha) => this.readTree(owner, repo, sha),
        writeTree: (entries) => this.writeTree(owner, repo, entries)
      },
      base,
      edits
    )
  }

  /**
   * Commits `additions` and `deletions` on `branch` as one commit whose parent is the branch
   * head, then moves the branch with compare-and-swap, all under the repository lock.
   * Throws `GitBranchNotFound` (no such branch, unless `createIfEmpty` on an empty repository),
   * `GitStaleHead` (`expectedHeadOid` ≠ head, or the ref moved underneath), `GitPathNotFound`
   * (a deletion of a missing path). docs/github-behaviour.md §1.2, §2.2.
   */
  commitFiles(owner: string, repo: string, input: CommitFilesInput): Promise<CommitFilesResult> {
    return this.withRepoLock(owner, repo, async () => {
      const ref = `refs/heads/${input.branch}`
      const head = await this.getRef(owner, repo, ref)
      if (!head && !(input.createIfEmpty && (await this.isEmpty(owner, repo))))
        throw new GitBranchNotFound(input.branch)
      if (input.expectedHeadOid !== undefined && input.expectedHeadOid !== head)
        throw new GitStaleHead(input.expectedHeadOid, head, ref)
      const baseTree = head ? ((await this.readCommit(owner, repo, head))?.tree ?? null) : null
      const edits: TreeEdit[] = input.deletions.map((path) => ({ path, sha: null }))
      for (const add of input.additions) {
        const sha = await this.writeBlob(owner, repo, add.content)
        edits.push({ path: add.path, sha, mode: add.mode ?? '100644' })
      }
      const treeSha = await this.editTree(owner, repo, baseTree, edits)
      const commitSha = await this.writeCommit(owner, repo, {
        tree: treeSha,
        parents: head ? [head] : [],
        message: input.message,
        author: input.author,
        committer: input.committer
      })
      await this.updateRefs(owner, repo, [{ ref, expected: head, sha: commitSha }])
      return { commitSha, treeSha, parentSha: head ?? '' }
    })
  }

  /**
   * Moves refs atomically (one `git update-ref --stdin` transaction, or git's lock-file
   * protocol in-process for one existing loose ref moving: `moveLooseRef`) under the repository
   * lock, after checking each `expected` (`GitStaleHead`), that new targets exist
   * (`GitObjectNotFound`) and, with `fastForwardOnly`, descend from the current target
   * (`GitNotFastForward`). docs/github-behaviour.md §2.1, §2.3.
   */
  updateRefs(owner: string, repo: string, updates: RefUpdate[]): Promise<void> {
    return this.withRepoLock(owner, repo, async () => {
      const state = this.state(owner, repo)
      const refs = await this.refs(owner, repo)
      const lines: string[] = []
      const seen: Array<string | null> = []
      for (const u of updates) {
        const current = refs.get(u.ref) ?? null
        seen.push(current)
        if (u.expected !== undefined && u.expected !== current)
          throw new GitStaleHead(u.expected, current, u.ref)
        if (u.sha !== null) {
          const obj = await this.readObject(owner, repo, u.sha)
          if (!obj || (u.ref.startsWith('refs/heads/') && obj.type !== 'commit'))
            throw new GitObjectNotFound(u.sha)
          if (u.fastForwardOnly && current && !(await this.isAncestor(owner, repo, current, u.sha)))
            throw new GitNotFastForward(u.ref, current, u.sha)
        }
        if (u.sha === null) lines.push(`delete ${u.ref} ${current ?? ''}`.trimEnd())
        else lines.push(`update ${u.ref} ${u.sha} ${current ?? ZERO_SHA}`)
      }
      if (lines.length === 0) return
      // One branch moving forward (every contents write and commit): git's lock-file protocol
      // in-process instead of a `git update-ref` child.
      const [only] = updates
      if (
        updates.length === 1 &&
        only.sha !== null &&
        seen[0] !== null &&
        !only.ref.split('/').some((part) => part === '' || part === '.' || part === '..') &&
        moveLooseRef(state.path, only.ref, seen[0], only.sha)
      ) {
        state.refs.moved(updates)
        return
      }
      const r = await this.exec(
        ['--git-dir', state.path, 'update-ref', '--stdin'],
        `start\n${lines.join('\n')}\nprepare\ncommit\n`
      )
      if (r.code !== 0) {
        state.refs.invalidate()
        const fresh = await this.refs(owner, repo)
        const i = Math.max(
          0,
          updates.findIndex((u, n) => (fresh.get(u.ref) ?? null) !== seen[n])
        )
        throw new GitStaleHead(seen[i], fresh.get(updates[i].ref) ?? null, updates[i].ref)
      }
      state.refs.moved(updates)
    })
  }

  /** Whether commit `ancestor` is `descendant` or one of its ancestors (`git merge-base --is-ancestor`). */
  async isAncestor(
    owner: string,
    repo: string,
    ancestor: string,
    descendant: string
  ): Promise<boolean> {
    if (ancestor === descendant) return true
    // A child of the current target (every guarded ref move makes one) needs no git process.
    if ((await this.readCommit(owner, repo, descendant))?.parents.includes(ancestor)) return true
    const r = await this.exec([
      '--git-dir',
      this.repoPath(owner, repo),
      'merge-base',
      '--is-ancestor',
      ancestor,
      descendant
    ])
    return r.code === 0
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
    const args = ['rev-list', `--max-count=${options.max ?? 10_000}`, sha]
    if (options.path) args.push('--', options.path)
    const out = await this.run(owner, repo, args)
    return out
      .toString('utf8')
      .split('\n')
      .filter((l) => l !== '')
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
    this.readers.stopAll()
    this.repos.clear()
    this.cache.clear()
    this.staleReadLagMs = 0
    await rm(join(this.root, 'repos'), { recursive: true, force: true })
    await mkdir(join(this.root, 'repos'), { recursive: true })
  }

  /** Stops the `cat-file` processes; removes the root when it is temporary. */
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    this.readers.stopAll()
    this.repos.clear()
    this.cache.clear()
    if (this.temporary) rmSync(this.root, { recursive: true, force: true })
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
    this.readers.stop(key)
    state.refs.forget()
  }
}
