import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { mkdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { deflateSync } from 'node:zlib'
import type { Clock } from '../clock.js'
import { KeyedMutex } from './lock.js'
import {
  decodeCommit,
  decodeTagTarget,
  decodeTree,
  encodeCommit,
  encodeTree,
  entryType,
  hashObject,
  isFullSha,
  objectBytes,
  ZERO_SHA,
  type CommitObject,
  type GitIdent,
  type GitObjectType,
  type TreeEntry
} from './objects.js'

export { ZERO_SHA, type CommitObject, type GitIdent, type GitObjectType, type TreeEntry }

/**
 * Repository content as real git (reference/github-api.md §1, §2, §8 items 2–3): one bare
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
 */

/** `commitFiles` found the branch head elsewhere than `expectedHeadOid`. */
export class GitStaleHead extends Error {
  constructor(
    readonly expected: string | null,
    readonly actual: string | null,
    readonly ref = ''
  ) {
    super(`${ref || 'ref'} is at ${actual ?? ZERO_SHA} but expected ${expected ?? ZERO_SHA}`)
    this.name = 'GitStaleHead'
  }
}

/** The branch named in a write does not exist. */
export class GitBranchNotFound extends Error {
  constructor(readonly branch: string) {
    super(`Branch ${branch} not found`)
    this.name = 'GitBranchNotFound'
  }
}

/** A deletion named a path that does not exist in the base tree. */
export class GitPathNotFound extends Error {
  constructor(readonly path: string) {
    super(`${path} does not exist`)
    this.name = 'GitPathNotFound'
  }
}

/** An object id that is not in the repository (or not of the needed type). */
export class GitObjectNotFound extends Error {
  constructor(readonly sha: string) {
    super(`Object ${sha} does not exist`)
    this.name = 'GitObjectNotFound'
  }
}

/** A ref update with `fastForwardOnly` whose new commit does not descend from the current one. */
export class GitNotFastForward extends Error {
  constructor(
    readonly ref: string,
    readonly current: string,
    readonly next: string
  ) {
    super(`Update of ${ref} from ${current} to ${next} is not a fast forward`)
    this.name = 'GitNotFastForward'
  }
}

/** A failed git command (exit code and stderr). */
export class GitCommandError extends Error {
  constructor(
    readonly args: string[],
    readonly code: number | null,
    readonly stderr: string
  ) {
    super(`git ${args.join(' ')} exited ${code}: ${stderr.trim()}`)
    this.name = 'GitCommandError'
  }
}

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

/** One change of `editTree`: set `path` to an object, or delete it (`sha: null`). */
export interface TreeEdit {
  path: string
  /** `100644` (default for blobs), `100755`, `120000`, `040000`/`40000`, `160000`. */
  mode?: string
  sha: string | null
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

/** One entry of a ref's history: the target from `time` (ms since epoch, emulator clock) on. */
export interface RefHistoryEntry {
  time: number
  sha: string | null
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
  refs: Map<string, string> | null
  refsLoading: Promise<Map<string, string>> | null
  /** Bumped on every ref move; a `loadRefs` that saw another generation reads again. */
  gen: number
  history: Map<string, RefHistoryEntry[]>
  batch: CatFileBatch | null
  /** Closes an unused `cat-file --batch` after `CAT_FILE_IDLE_MS`. */
  idleTimer: NodeJS.Timeout | null
}

/** Bytes of object data kept in the in-memory object cache. */
const OBJECT_CACHE_MAX_BYTES = 64 * 1024 * 1024
/** Objects bigger than this are not cached. */
const OBJECT_CACHE_MAX_OBJECT_BYTES = 8 * 1024 * 1024
/** A repository's `git cat-file --batch` process stops after this long without reads, ms. */
const CAT_FILE_IDLE_MS = 15_000
/** Default identity of commits made by the emulator when none is given. */
const GITHUB_IDENT = { name: 'GitHub', email: 'noreply@github.com' }

/** The SHA of the empty tree. */
export const EMPTY_TREE_SHA = hashObject('tree', Buffer.alloc(0))

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
  private readonly home: string
  private readonly clock: Clock
  private readonly lock = new KeyedMutex()
  private readonly repos = new Map<string, RepoState>()
  private readonly cache = new Map<string, { type: GitObjectType; data: Buffer }>()
  private cacheBytes = 0
  private closed = false
  /** Replication lag of stale-read mode in ms (0 = off); see `setStaleReads`. */
  staleReadLagMs = 0

  constructor(options: GitStoreOptions) {
    this.clock = options.clock
    this.temporary = !options.dataDir
    this.root = options.dataDir
      ? join(options.dataDir, 'git')
      : mkdtempSync(join(tmpdir(), 'hubstore-git-'))
    this.home = join(this.root, 'home')
    mkdirSync(join(this.root, 'repos'), { recursive: true })
    mkdirSync(this.home, { recursive: true })
    if (!existsSync(join(this.home, '.gitconfig'))) writeFileSync(join(this.home, '.gitconfig'), '')
  }

  /**
   * Environment for git child processes: the user's and the system's git config never leak in
   * (`HOME` = a private directory, `GIT_CONFIG_NOSYSTEM=1`), fixed identities, no prompts.
   */
  env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    return {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: this.home,
      XDG_CONFIG_HOME: join(this.home, '.config'),
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: join(this.home, '.gitconfig'),
      GIT_TERMINAL_PROMPT: '0',
      GIT_AUTHOR_NAME: GITHUB_IDENT.name,
      GIT_AUTHOR_EMAIL: GITHUB_IDENT.email,
      GIT_COMMITTER_NAME: GITHUB_IDENT.name,
      GIT_COMMITTER_EMAIL: GITHUB_IDENT.email,
      LC_ALL: 'C',
      ...extra
    }
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

  private exec(
    args: string[],
    input?: Buffer | string
  ): Promise<{ code: number | null; stdout: Buffer; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn('git', args, { env: this.env(), stdio: ['pipe', 'pipe', 'pipe'] })
      const out: Buffer[] = []
      const err: Buffer[] = []
      child.stdout.on('data', (c: Buffer) => out.push(c))
      child.stderr.on('data', (c: Buffer) => err.push(c))
      child.on('error', reject)
      child.on('close', (code) =>
        resolve({
          code,
          stdout: Buffer.concat(out),
          stderr: Buffer.concat(err).toString('utf8')
        })
      )
      child.stdin.on('error', () => undefined)
      child.stdin.end(input)
    })
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
    const state = this.state(owner, repo)
    state.gen += 1
    state.refs = null
    state.refsLoading = null
    this.refs(owner, repo).catch(() => undefined)
  }

  /** Every ref (`refs/...` → SHA), from the cache or read with `git for-each-ref`. */
  async refs(owner: string, repo: string): Promise<Map<string, string>> {
    const state = this.state(owner, repo)
    if (state.refs) return state.refs
    if (!state.refsLoading) {
      const loading = this.loadRefs(state).finally(() => {
        if (state.refsLoading === loading) state.refsLoading = null
      })
      state.refsLoading = loading
    }
    return state.refsLoading
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
    return [...(this.state(owner, repo).history.get(ref) ?? [])]
  }

  /**
   * The target `ref` had at `time` (ms since epoch): the last history entry at or before it,
   * else the oldest known one (history starts when the emulator first read the ref).
   */
  refAt(owner: string, repo: string, ref: string, time: number): string | null {
    const history = this.state(owner, repo).history.get(ref) ?? []
    let found: RefHistoryEntry | undefined
    for (const entry of history) if (entry.time <= time) found = entry
    return (found ?? history[0])?.sha ?? null
  }

  /** The emulator clock, ms since epoch (the time base of the ref history). */
  clockNow(): number {
    return this.clock.now().getTime()
  }

  /** Stale-read mode (reference/github-api.md §8 item 6): reads by ref lag `lagMs` (0 = off). */
  setStaleReads(lagMs: number): void {
    this.staleReadLagMs = Math.max(0, lagMs)
  }

  /** Reads an object (`null` when the repository does not have it). */
  async readObject(
    owner: string,
    repo: string,
    sha: string
  ): Promise<{ type: GitObjectType; data: Buffer } | null> {
    if (!isFullSha(sha)) return null
    const state = this.state(owner, repo)
    const cacheKey = `${state.key}\0${sha}`
    const cached = this.cache.get(cacheKey)
    if (cached) return cached
    if (!existsSync(state.path)) return null
    if (!state.batch || state.batch.dead) state.batch = new CatFileBatch(state.path, this.env())
    const batch = state.batch
    if (state.idleTimer) clearTimeout(state.idleTimer)
    const obj = await batch.read(sha)
    if (obj) this.remember(cacheKey, obj)
    if (state.idleTimer) clearTimeout(state.idleTimer)
    state.idleTimer = setTimeout(() => {
      if (batch.idle && state.batch === batch) {
        batch.close()
        state.batch = null
      }
    }, CAT_FILE_IDLE_MS)
    state.idleTimer.unref()
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
    const cacheKey = `${state.key}\0${sha}`
    if (this.cache.has(cacheKey)) return sha
    const file = join(state.path, 'objects', sha.slice(0, 2), sha.slice(2))
    // small synchronous writes: cheaper than a round trip through the thread pool
    if (!existsSync(file)) {
      const dir = dirname(file)
      if (!existsSync(dir)) mkdirSync(dir, { recursive: true })
      const tmp = join(state.path, 'objects', `tmp_obj_${randomBytes(6).toString('hex')}`)
      writeFileSync(tmp, deflateSync(objectBytes(type, data), { level: 1 }), { mode: 0o444 })
      renameSync(tmp, file)
    }
    this.remember(cacheKey, { type, data })
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
  async editTree(
    owner: string,
    repo: string,
    base: string | null,
    edits: TreeEdit[]
  ): Promise<string> {
    const clean = edits.map((e) => ({ ...e, parts: e.path.split('/').filter((p) => p !== '') }))
    for (const e of clean) if (e.parts.length === 0) throw new GitPathNotFound(e.path)
    return this.applyEdits(owner, repo, base, clean, '')
  }

  private async applyEdits(
    owner: string,
    repo: string,
    base: string | null,
    edits: Array<TreeEdit & { parts: string[] }>,
    prefix: string
  ): Promise<string> {
    const entries = new Map<string, TreeEntry>()
    if (base) {
      const tree = await this.readTree(owner, repo, base)
      if (!tree) throw new GitObjectNotFound(base)
      for (const e of tree) entries.set(e.name, e)
    }
    const nested = new Map<string, Array<TreeEdit & { parts: string[] }>>()
    for (const e of edits) {
      const [first, ...rest] = e.parts
      if (rest.length === 0) {
        if (e.sha === null) {
          if (!entries.delete(first)) throw new GitPathNotFound(prefix + first)
        } else entries.set(first, { name: first, mode: normaliseMode(e.mode), sha: e.sha })
      } else {
        const list = nested.get(first) ?? []
        list.push({ ...e, parts: rest })
        nested.set(first, list)
      }
    }
    for (const [name, list] of nested) {
      const existing = entries.get(name)
      const subBase = existing && entryType(existing.mode) === 'tree' ? existing.sha : null
      if (!subBase && list.every((e) => e.sha === null))
        throw new GitPathNotFound(prefix + name + '/' + list[0].parts.join('/'))
      const sub = await this.applyEdits(owner, repo, subBase, list, `${prefix}${name}/`)
      if (sub === EMPTY_TREE_SHA) entries.delete(name)
      else entries.set(name, { name, mode: '40000', sha: sub })
    }
    return this.writeTree(owner, repo, [...entries.values()])
  }

  /**
   * Commits `additions` and `deletions` on `branch` as one commit whose parent is the branch
   * head, then moves the branch with compare-and-swap, all under the repository lock.
   * Throws `GitBranchNotFound` (no such branch, unless `createIfEmpty` on an empty repository),
   * `GitStaleHead` (`expectedHeadOid` ≠ head, or the ref moved underneath), `GitPathNotFound`
   * (a deletion of a missing path). reference/github-api.md §1.2, §2.2.
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
   * Moves refs atomically (one `git update-ref --stdin` transaction) under the repository
   * lock, after checking each `expected` (`GitStaleHead`), that new targets exist
   * (`GitObjectNotFound`) and, with `fastForwardOnly`, descend from the current target
   * (`GitNotFastForward`). reference/github-api.md §2.1, §2.3.
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
      const r = await this.exec(
        ['--git-dir', state.path, 'update-ref', '--stdin'],
        `start\n${lines.join('\n')}\nprepare\ncommit\n`
      )
      if (r.code !== 0) {
        state.gen += 1
        state.refs = null
        const fresh = await this.refs(owner, repo)
        const i = Math.max(
          0,
          updates.findIndex((u, n) => (fresh.get(u.ref) ?? null) !== seen[n])
        )
        throw new GitStaleHead(seen[i], fresh.get(updates[i].ref) ?? null, updates[i].ref)
      }
      state.gen += 1
      const time = this.clock.now().getTime()
      for (const u of updates) {
        if (u.sha === null) state.refs?.delete(u.ref)
        else state.refs?.set(u.ref, u.sha)
        appendHistory(state, u.ref, u.sha, time)
      }
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

  /** Removes every repository (admin reset). */
  async reset(): Promise<void> {
    for (const state of this.repos.values()) this.stopBatch(state)
    this.repos.clear()
    this.cache.clear()
    this.cacheBytes = 0
    this.staleReadLagMs = 0
    await rm(join(this.root, 'repos'), { recursive: true, force: true })
    await mkdir(join(this.root, 'repos'), { recursive: true })
  }

  /** Stops the `cat-file` processes; removes the root when it is temporary. */
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    for (const state of this.repos.values()) this.stopBatch(state)
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
        refs: null,
        refsLoading: null,
        gen: 0,
        history: new Map(),
        batch: null,
        idleTimer: null
      }
      this.repos.set(key, state)
    }
    return state
  }

  private forget(key: string): void {
    const state = this.repos.get(key)
    if (!state) return
    this.stopBatch(state)
    state.refs = null
    state.refsLoading = null
  }

  private stopBatch(state: RepoState): void {
    if (state.idleTimer) clearTimeout(state.idleTimer)
    state.idleTimer = null
    state.batch?.close()
    state.batch = null
  }

  private async loadRefs(state: RepoState): Promise<Map<string, string>> {
    for (;;) {
      const gen = state.gen
      const refs = new Map<string, string>()
      if (existsSync(state.path)) {
        const r = await this.exec([
          '--git-dir',
          state.path,
          'for-each-ref',
          '--format=%(objectname) %(refname)'
        ])
        if (r.code !== 0) throw new GitCommandError(['for-each-ref'], r.code, r.stderr)
        for (const line of r.stdout.toString('utf8').split('\n')) {
          const space = line.indexOf(' ')
          if (space > 0) refs.set(line.slice(space + 1), line.slice(0, space))
        }
      }
      if (gen !== state.gen) continue
      const time = this.clock.now().getTime()
      const names = new Set([...refs.keys(), ...state.history.keys()])
      for (const name of names) appendHistory(state, name, refs.get(name) ?? null, time)
      state.refs = refs
      return refs
    }
  }

  private remember(key: string, obj: { type: GitObjectType; data: Buffer }): void {
    if (obj.data.length > OBJECT_CACHE_MAX_OBJECT_BYTES) return
    this.cache.set(key, obj)
    this.cacheBytes += obj.data.length
    while (this.cacheBytes > OBJECT_CACHE_MAX_BYTES) {
      const oldest = this.cache.keys().next()
      if (oldest.done) break
      this.cacheBytes -= this.cache.get(oldest.value)!.data.length
      this.cache.delete(oldest.value)
    }
  }
}

function appendHistory(state: RepoState, ref: string, sha: string | null, time: number): void {
  const list = state.history.get(ref) ?? []
  if (list.length > 0 && list[list.length - 1].sha === sha) return
  if (list.length === 0 && sha === null) return
  list.push({ time, sha })
  state.history.set(ref, list)
}

/** The full ref names `ref` may mean, in lookup order (branches before tags). */
function candidateRefNames(ref: string): string[] {
  if (ref.startsWith('refs/')) return [ref]
  return [`refs/heads/${ref}`, `refs/tags/${ref}`, `refs/${ref}`]
}

function normaliseMode(mode: string | undefined): string {
  if (!mode) return '100644'
  return mode === '040000' ? '40000' : mode
}

/** One long-lived `git cat-file --batch`; requests answered in order. */
class CatFileBatch {
  dead = false
  private readonly child: ChildProcessWithoutNullStreams
  private readonly pending: Array<{
    resolve: (v: { type: GitObjectType; data: Buffer } | null) => void
    reject: (e: Error) => void
  }> = []
  private buffer: Buffer = Buffer.alloc(0)

  constructor(gitDir: string, env: NodeJS.ProcessEnv) {
    this.child = spawn('git', ['--git-dir', gitDir, 'cat-file', '--batch'], {
      env,
      stdio: ['pipe', 'pipe', 'pipe']
    })
    this.child.stdout.on('data', (chunk: Buffer) => {
      this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk])
      this.drain()
    })
    this.child.stderr.on('data', () => undefined)
    this.child.stdin.on('error', () => undefined)
    const fail = (error: Error) => {
      this.dead = true
      for (const p of this.pending.splice(0)) p.reject(error)
    }
    this.child.on('error', fail)
    this.child.on('close', () => fail(new Error('git cat-file --batch exited')))
  }

  /** Whether no read is waiting for an answer. */
  get idle(): boolean {
    return this.pending.length === 0
  }

  read(sha: string): Promise<{ type: GitObjectType; data: Buffer } | null> {
    return new Promise((resolve, reject) => {
      if (this.dead) return reject(new Error('git cat-file --batch is not running'))
      this.pending.push({ resolve, reject })
      this.child.stdin.write(`${sha}\n`)
    })
  }

  close(): void {
    this.dead = true
    this.child.stdin.end()
    this.child.kill()
  }

  private drain(): void {
    for (;;) {
      const nl = this.buffer.indexOf(0x0a)
      if (nl < 0) return
      const header = this.buffer.toString('utf8', 0, nl)
      if (header.endsWith(' missing') || header.endsWith(' ambiguous')) {
        this.buffer = this.buffer.subarray(nl + 1)
        this.pending.shift()?.resolve(null)
        continue
      }
      const [, type, sizeText] = header.split(' ')
      const size = Number(sizeText)
      if (this.buffer.length < nl + 1 + size + 1) return
      const data = Buffer.from(this.buffer.subarray(nl + 1, nl + 1 + size))
      this.buffer = this.buffer.subarray(nl + 1 + size + 1)
      this.pending.shift()?.resolve({ type: type as GitObjectType, data })
    }
  }
}
