/**
 * JSON documents at paths on a branch, every write a compare-and-swap on the branch head, several
 * files in one atomic commit. A change is a function of the documents it read: when another
 * writer moves the branch first, the documents are read again and the function applied again
 * (full-jitter backoff, bounded), so no update is lost (docs/architecture.md §4.3).
 */
import { randomUUID } from 'node:crypto'
import type { z } from 'zod'
import type { RepoContext } from '../github/context.js'
import { repositoryName } from '../github/context.js'
import { hasControlCharacter } from '../text.js'
import { InvalidOptionsError, StateBranchNotFoundError, StateConflictError } from '../errors.js'
import {
  compareAndSwap,
  resolveRetryOptions,
  type ResolvedRetryOptions,
  type RetryOptions
} from '../github/cas.js'
import { isAmbiguous } from '../github/request.js'
import { DEFAULT_STATE_BRANCH } from './constants.js'
import { checkPaths, DocumentCodec, type ChangeSet, type Documents } from './documents.js'
import {
  BranchGit,
  type BranchHead,
  type CommitOutcome,
  type CommitVia,
  type FileAddition,
  type ReadVia,
  type Snapshot as BranchSnapshot
} from './git.js'
import { describe, hasTrailer, withTrailer } from './message.js'
import { applyMergePatch } from './merge-patch.js'

export { emptyDocuments, type ChangeSet, type Documents } from './documents.js'

/** How a missing branch is created on the first write. */
export type CreateBranchMode = 'orphan' | 'default-branch' | false

/** Options of {@link BranchStore}; every field is optional (see `BRANCH_STORE_DEFAULTS`). */
export interface BranchStoreOptions {
  /** The branch holding the documents. */
  branch?: string
  /**
   * On the first write to a missing branch: `orphan` (a root commit holding only the written
   * files), `default-branch` (branch off the default branch's head), or `false` (throw
   * `STATE_BRANCH_NOT_FOUND`). Reads of a missing branch see no documents either way.
   */
  createBranch?: CreateBranchMode
  /**
   * zod schemas by path pattern (`*` = one path segment, `**` = any number): documents read
   * from or written to a matching path must pass it (first matching pattern wins).
   */
  schemas?: Record<string, z.ZodType>
  /**
   * Budget and backoff of each change: attempts (the first included) before `STATE_CONFLICT`,
   * full-jitter waits between them, an event hook for logs.
   */
  retry?: RetryOptions
  /** `graphql`: head + files in one query. `rest`: branches, contents (raw), trees, blobs. */
  readVia?: ReadVia
  /** `graphql`: `createCommitOnBranch` (signed, exact-head CAS). `git-data`: blobs, tree, commit, `PATCH ref force:false`. */
  commitVia?: CommitVia
  /** Prefix of commit headlines. */
  messagePrefix?: string
}

/** Defaults of {@link BranchStoreOptions}. */
export const BRANCH_STORE_DEFAULTS = {
  /** `automation-state` */
  branch: DEFAULT_STATE_BRANCH,
  /** `orphan`: state stays off the code history */
  createBranch: 'orphan' as CreateBranchMode,
  schemas: {} as Record<string, z.ZodType>,
  /**
   * 8 attempts (with 12 writers on one branch every writer still lands, see tests), no time
   * bound, full-jitter waits below min(3,000, 100 × 2^(n−1)) ms before retry n
   */
  retry: { maxAttempts: 8, maxElapsedMs: Number.POSITIVE_INFINITY, baseMs: 100, maxMs: 3000 },
  readVia: 'graphql' as ReadVia,
  commitVia: 'graphql' as CommitVia,
  messagePrefix: 'hubstore state'
} satisfies Required<BranchStoreOptions>

/** A change: the documents read at the current head in, what to write out. Pure: it may run again. */
export type ChangeFunction = (
  documents: Documents,
  info: { attempt: number; headSha: string | null }
) => ChangeSet | undefined | Promise<ChangeSet | undefined>

/** What a committed (or no-op) change did. */
export interface CommitResult {
  /** the new commit, `null` when nothing changed (no write was made) */
  commitSha: string | null
  /** the branch head after the change (`null`: the branch still does not exist) */
  headSha: string | null
  /** attempts made, the first included */
  attempts: number
  /** paths written or deleted by the commit */
  changed: string[]
  /** HTTP requests this call spent (the client's counter) */
  requests: number
}

/** One document read from the branch. */
export interface StateDocument<T = unknown> {
  path: string
  value: T
  /** the commit it was read at */
  commitSha: string
}

/**
 * A store of JSON documents on one branch.
 *
 * ```ts
 * const store = new BranchStore(ctx, { branch: 'automation-state' })
 * await store.set('primary-account/global/config.json', { hashtags: true })
 * await store.update(['a.json', 'b.json'], (docs) => ({ write: { 'a.json': 1, 'b.json': 2 } }))
 * ```
 *
 * Cost of a change on an existing branch, by default (GraphQL): 1 query (head + every file,
 * up to 100 per query) + 1 `createCommitOnBranch` = 2 requests per attempt. With `readVia:
 * 'rest'`: 1 + 1 per file (≤ 4 files) or 2 + 1 per existing file. With `commitVia: 'git-data'`:
 * 3 writes (+1 per file over 256 KB). The first write to a missing branch costs 3 writes
 * (`orphan`: tree, commit, ref) or 3 requests (`default-branch`: repo, ref, create ref) more.
 */
export class BranchStore {
  readonly branch: string
  private readonly git: BranchGit
  private readonly options: Required<BranchStoreOptions>
  private readonly retry: ResolvedRetryOptions
  private readonly documents: DocumentCodec

  constructor(
    readonly ctx: RepoContext,
    options: BranchStoreOptions = {}
  ) {
    const o = { ...BRANCH_STORE_DEFAULTS, ...definedOnly(options) }
    this.retry = resolveRetryOptions(options.retry, BRANCH_STORE_DEFAULTS.retry)
    if (!isValidBranchName(o.branch))
      throw new InvalidOptionsError(
        'branch',
        'a valid branch name (e.g. "automation-state")',
        o.branch
      )
    if (!['orphan', 'default-branch', false].includes(o.createBranch))
      throw new InvalidOptionsError(
        'createBranch',
        '"orphan", "default-branch" or false',
        o.createBranch
      )
    this.options = o
    this.branch = o.branch
    this.git = new BranchGit(ctx, o.branch, o.readVia, o.commitVia)
    this.documents = new DocumentCodec(ctx, o.branch, o.schemas)
  }

  /** The branch head, or `null` when the branch does not exist. 1 request. */
  head(): Promise<BranchHead | null> {
    return this.git.readHead()
  }

  /** One document, or `undefined` when the file (or the branch) does not exist. */
  async get<T = unknown>(path: string): Promise<StateDocument<T> | undefined> {
    return (await this.getMany<T>([path])).get(path)
  }

  /** Several documents read at one commit; absent ones are missing from the map. */
  async getMany<T = unknown>(paths: readonly string[]): Promise<Map<string, StateDocument<T>>> {
    const unique = checkPaths(paths)
    const snapshot = await this.git.readSnapshot(unique)
    const docs = this.documents.parseAll(snapshot.files)
    const out = new Map<string, StateDocument<T>>()
    if (!snapshot.head) return out
    for (const p of unique)
      if (docs[p] !== undefined)
        out.set(p, { path: p, value: docs[p] as T, commitSha: snapshot.head.commitSha })
    return out
  }

  /** Every file under `directory` at the head: name, path, blob SHA, size in bytes. */
  listDirectory(directory: string) {
    checkPaths([directory])
    return this.git.listDirectory(directory)
  }

  /** Writes one document (whole replacement). */
  set(path: string, value: unknown, options: { message?: string } = {}): Promise<CommitResult> {
    return this.update([path], () => ({
      write: { [path]: value },
      message: options.message ?? `${this.options.messagePrefix}: set ${path}`
    }))
  }

  /** Writes several documents in one commit (whole replacements). */
  setMany(
    documents: Record<string, unknown>,
    options: { message?: string } = {}
  ): Promise<CommitResult> {
    const paths = Object.keys(documents)
    return this.update(paths, () => ({
      write: documents,
      message: options.message ?? `${this.options.messagePrefix}: set ${describe(paths)}`
    }))
  }

  /**
   * Merges `patch` into the document as a JSON Merge Patch (RFC 7396): objects merge
   * recursively, `null` removes a key, anything else replaces. A missing document is `{}`.
   * Returns the merged value.
   */
  async merge(
    path: string,
    patch: unknown,
    options: { message?: string } = {}
  ): Promise<CommitResult & { value: unknown }> {
    let value: unknown
    const result = await this.update([path], (docs) => {
      value = applyMergePatch(docs[path], patch)
      return {
        write: { [path]: value },
        message: options.message ?? `${this.options.messagePrefix}: merge into ${path}`
      }
    })
    return { ...result, value }
  }

  /** Deletes a document; `existed: false` (and no write) when it was not there. */
  async delete(
    path: string,
    options: { message?: string } = {}
  ): Promise<CommitResult & { existed: boolean }> {
    let existed = false
    const result = await this.update([path], (docs) => {
      existed = docs[path] !== undefined
      return existed
        ? {
            delete: [path],
            message: options.message ?? `${this.options.messagePrefix}: delete ${path}`
          }
        : undefined
    })
    return { ...result, existed }
  }

  /**
   * The compare-and-swap loop. Reads `paths` at the branch head, calls `change`, and commits
   * what it returns as one commit guarded by that head. When another writer moved the branch
   * first, waits (full jitter), reads again and calls `change` again, up to `maxAttempts`
   * times. A write whose answer is lost (5xx, network) is resolved by reading the head back
   * and looking for this change's `Hubstore-Change` trailer, never by guessing. Values equal
   * to what is stored are not rewritten; when nothing differs no commit is made.
   *
   * @throws StateConflictError after `maxAttempts` lost races; InvalidStateDocumentError when
   *   a read document is not JSON or fails its schema, or a written value fails its schema
   *   (nothing written); StateBranchNotFoundError (`createBranch: false`);
   *   InvalidOptionsError for a bad path; GitHubRequestError.
   */
  async update(paths: readonly string[], change: ChangeFunction): Promise<CommitResult> {
    const read = checkPaths(paths)
    const startRequests = this.ctx.octokit.hubstore.requests
    const changeId = randomUUID()
    const result = (
      commitSha: string | null,
      headSha: string | null,
      attempts: number,
      changed: string[]
    ) => ({
      commitSha,
      headSha,
      attempts,
      changed,
      requests: this.ctx.octokit.hubstore.requests - startRequests
    })

    const outcome = await compareAndSwap<BranchSnapshot, PlannedCommit, CommitResult>(
      {
        read: () => this.git.readSnapshot(read),
        plan: async (snapshot, attempt) => {
          const headSha = snapshot.head?.commitSha ?? null
          const docs = this.documents.parseAll(snapshot.files)
          const plan = await change(docs, { attempt, headSha })
          const { additions, deletions } = this.documents.prepare(plan, docs, snapshot.files, read)
          const changed = [...additions.map((a) => a.path), ...deletions]
          if (changed.length === 0) return { finish: result(null, headSha, attempt, []) }
          const message = withTrailer(
            plan?.message ?? `${this.options.messagePrefix}: update ${describe(changed)}`,
            changeId
          )
          return { write: { additions, deletions, changed, message } }
        },
        write: async (snapshot, { additions, deletions, changed, message }, attempt) => {
          let outcome: CommitOutcome
          try {
            if (snapshot.head)
              outcome = await this.git.commit(snapshot.head, additions, deletions, message)
            else {
              const created = await this.createBranch(additions, message)
              // `default-branch` creation made a ref, not our commit: read again on the new branch.
              if (created.branchOnly && created.outcome.kind === 'committed')
                return { kind: 'conflict', problem: 'the branch was just created', then: 'redo' }
              outcome = created.outcome
            }
          } catch (error) {
            if (!isAmbiguous(error)) throw error
            return { kind: 'ambiguous', problem: (error as Error).message, error }
          }
          if (outcome.kind === 'conflict') return outcome
          return {
            kind: 'written',
            value: result(outcome.commitSha, outcome.commitSha, attempt, changed)
          }
        },
        settle: async ({ plan, outcome, attempt }) => {
          if (outcome.kind === 'conflict') return { retry: {} }
          // The answer was lost: did the commit land? The head tells (its trailer).
          const head = await this.git.readHead()
          if (head && hasTrailer(head.message, changeId))
            return {
              finish: result(head.commitSha, head.commitSha, attempt, plan.changed),
              how: 'trailer'
            }
          return { retry: { problem: `answer lost (${outcome.problem})`, how: 'trailer' } }
        }
      },
      this.retry
    )
    if (outcome.kind === 'finished') return outcome.value
    throw new StateConflictError(
      repositoryName(this.ctx),
      this.branch,
      [...read],
      outcome.attempts,
      outcome.problem
    )
  }

  /** Creates the missing branch; `branchOnly` when it holds no commit of this change yet. */
  private async createBranch(
    additions: FileAddition[],
    message: string
  ): Promise<{ outcome: CommitOutcome; branchOnly: boolean }> {
    const mode = this.options.createBranch
    if (mode === false) throw new StateBranchNotFoundError(repositoryName(this.ctx), this.branch)
    if (mode === 'default-branch') {
      const created = await this.git.createFromDefaultBranch()
      if (created) return { outcome: created, branchOnly: true }
      // Empty repository: nothing to branch from, so start an orphan.
    }
    return { outcome: await this.git.createOrphan(additions, message), branchOnly: false }
  }
}

/** The commit an attempt plans. */
interface PlannedCommit {
  additions: FileAddition[]
  deletions: string[]
  changed: string[]
  message: string
}

/** `git check-ref-format --branch`, the common cases. */
function isValidBranchName(name: string): boolean {
  return (
    typeof name === 'string' &&
    name.length > 0 &&
    !hasControlCharacter(name) &&
    !/(^[-/.])|([/.]$)|\.\.|\/\/|@\{|[ ~^:?*[\\]|\.lock$|\/\./.test(name)
  )
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>
}
