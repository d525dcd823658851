import {
  GitRepositoryIsEmpty,
  GraphqlNotFound,
  GraphqlStaleData,
  GraphqlUnprocessable,
  NoCommitFoundForSha,
  NotFound
} from '../errors.js'
import type { CommitObject, GitIdent } from '../git/objects.js'
import { GitBranchNotFound, GitPathNotFound, GitStaleHead } from '../git/errors.js'
import type { GitStore } from '../git/store.js'
import type { RepoRecord, Store } from '../state.js'
import { accountForIdent } from './authors.js'
import { DomainEvents, pushEvent } from '../events.js'
import { fullName } from './access.js'
import type { ContentsModel } from './contents.js'
import { isMalformedPath } from './paths.js'
import type { Caller } from './users.js'

/** Most commits `repos/list-commits` walks (the answer is paginated from these). */
export const COMMITS_LIST_MAX = 10_000

/** One changed file of `repos/get-commit`. */
export interface CommitFile {
  sha: string
  filename: string
  status: 'added' | 'removed' | 'modified' | 'renamed' | 'changed'
  additions: number
  deletions: number
  changes: number
}

/** Filters of `repos/list-commits` (docs/github-behaviour.md §12.1). */
export interface CommitFilter {
  /** Branch, tag or SHA to start from (default: the default branch). */
  sha?: string | null
  /** Only commits touching this path. */
  path?: string | null
  /** ISO 8601: only commits whose committer date is at or after it. */
  since?: string | null
  /** ISO 8601: only commits whose committer date is at or before it. */
  until?: string | null
  /** A login (the account the author e-mail belongs to) or an e-mail address. */
  author?: string | null
  committer?: string | null
}

/** Input of `createCommitOnBranch`, decoded from the GraphQL `CreateCommitOnBranchInput`. */
export interface CreateCommitOnBranchInput {
  /** Branch name without `refs/heads/`. */
  branch: string
  expectedHeadOid: string
  headline: string
  body?: string | null
  /** `contents` base64, as GraphQL's `FileAddition` sends it. */
  additions: Array<{ path: string; contents: string }>
  deletions: Array<{ path: string }>
}

/** The identity hubstore's commits get for the token's user (GitHub's noreply address). */
export function callerIdent(caller: Caller): { name: string; email: string } {
  const { login, id } = caller.user
  return { name: login, email: `${id}+${login}@users.noreply.github.com` }
}

/**
 * `repos/list-commits` and `repos/get-commit` over `GitStore` (docs/github-behaviour.md §9 item 5).
 */
export class CommitsModel {
  constructor(
    private readonly contents: ContentsModel,
    private readonly git: GitStore,
    private readonly store: Store,
    private readonly events: DomainEvents = new DomainEvents()
  ) {}

  /**
   * Commits reachable from `sha` (branch, tag or commit SHA; default: the default branch),
   * newest first, optionally only those touching `path`. 409 `Git Repository is empty.`,
   * 404 `No commit found for SHA: <sha>`.
   */
  async list(
    caller: Caller | null,
    owner: string,
    name: string,
    options: CommitFilter = {}
  ): Promise<{ repo: RepoRecord; commits: Array<{ sha: string; commit: CommitObject }> }> {
    const repo = await this.contents.repo(caller, owner, name, 'read')
    if (await this.git.isEmpty(repo.owner, repo.name)) throw new GitRepositoryIsEmpty()
    const start = options.sha ?? repo.default_branch
    const head = await this.git.resolveRef(repo.owner, repo.name, start)
    if (!head) throw new NoCommitFoundForSha(404, start)
    const path = options.path?.replace(/^\/+|\/+$/g, '') || undefined
    const shas = await this.git.log(repo.owner, repo.name, head, { path, max: COMMITS_LIST_MAX })
    const since = options.since ? Date.parse(options.since) : null
    const until = options.until ? Date.parse(options.until) : null
    const commits = []
    for (const sha of shas) {
      const commit = await this.git.readCommit(repo.owner, repo.name, sha)
      if (!commit) continue
      const date = Date.parse(commit.committer.date)
      if (since !== null && date < since) continue
      if (until !== null && date > until) continue
      if (options.author && !this.identMatches(commit.author, options.author)) continue
      if (options.committer && !this.identMatches(commit.committer, options.committer)) continue
      commits.push({ sha, commit })
    }
    return { repo, commits }
  }

  /** Whether `who` (a login or an e-mail address) is this identity, as `author=` filters. */
  private identMatches(ident: GitIdent, who: string): boolean {
    if (who.includes('@')) return ident.email.toLowerCase() === who.toLowerCase()
    const user = accountForIdent(this.store, ident)
    return user !== null && user.login.toLowerCase() === who.toLowerCase()
  }

  /**
   * `repos/get-commit`: the commit `ref` (SHA, branch or tag) names, with its changed files
   * (against the first parent) and stats. 422 `No commit found for SHA: <ref>`; 409 when empty.
   */
  async get(
    caller: Caller | null,
    owner: string,
    name: string,
    ref: string
  ): Promise<{
    repo: RepoRecord
    sha: string
    commit: CommitObject
    files: CommitFile[]
  }> {
    const repo = await this.contents.repo(caller, owner, name, 'read')
    if (await this.git.isEmpty(repo.owner, repo.name)) throw new GitRepositoryIsEmpty()
    const sha = await this.git.resolveRef(repo.owner, repo.name, ref)
    if (!sha) throw new NoCommitFoundForSha(422, ref)
    const commit = await this.git.readCommit(repo.owner, repo.name, sha)
    if (!commit) throw new NotFound()
    return { repo, sha, commit, files: await this.diff(repo, sha, commit.parents[0] ?? null) }
  }

  /** The files changed from `parent` (`null`: the empty tree) to `sha`, as `repos/get-commit` lists them. */
  async diff(repo: RepoRecord, sha: string, parent: string | null): Promise<CommitFile[]> {
    const base = parent ? [parent, sha] : ['--root', sha]
    const common = ['diff-tree', '-r', '--no-commit-id', '--no-renames', '-z']
    const raw = (await this.git.run(repo.owner, repo.name, [...common, '--raw', ...base]))
      .toString('utf8')
      .split('\0')
    const numstat = (await this.git.run(repo.owner, repo.name, [...common, '--numstat', ...base]))
      .toString('utf8')
      .split('\0')
    const counts = new Map<string, { additions: number; deletions: number }>()
    for (const item of numstat) {
      const m = /^(\d+|-)\t(\d+|-)\t(.*)$/s.exec(item)
      if (m)
        counts.set(m[3], {
          additions: m[1] === '-' ? 0 : Number(m[1]),
          deletions: m[2] === '-' ? 0 : Number(m[2])
        })
    }
    const files: CommitFile[] = []
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const meta = /^:(\d+) (\d+) ([0-9a-f]+) ([0-9a-f]+) (\w)/.exec(raw[i])
      if (!meta) continue
      const filename = raw[i + 1]
      const c = counts.get(filename) ?? { additions: 0, deletions: 0 }
      const status =
        meta[5] === 'A'
          ? 'added'
          : meta[5] === 'D'
            ? 'removed'
            : meta[5] === 'M'
              ? 'modified'
              : 'changed'
      files.push({
        sha: meta[5] === 'D' ? meta[3] : meta[4],
        filename,
        status,
        additions: c.additions,
        deletions: c.deletions,
        changes: c.additions + c.deletions
      })
    }
    return files
  }

  /**
   * `createCommitOnBranch` (docs/github-behaviour.md §2.2): one commit whose parent is the
   * branch head, authored by the token's user, committed by GitHub, moving the branch only if
   * it still points at `expectedHeadOid` — `GitStore.commitFiles` checks and moves under the
   * repository lock, so of N concurrent calls with the same `expectedHeadOid` exactly one
   * succeeds and the others get `STALE_DATA` with GitHub's exact message. Needs push access
   * (the REST access error is thrown for the caller to translate); a missing branch is
   * NOT_FOUND; an empty headline, an invalid path or deleting a missing path is UNPROCESSABLE.
   */
  async createCommitOnBranch(
    caller: Caller,
    repo: RepoRecord,
    input: CreateCommitOnBranchInput
  ): Promise<{ commitSha: string; ref: string }> {
    await this.contents.ensure(repo)
    await this.contents.repo(caller, repo.owner, repo.name, 'write')
    const headline = input.headline
    if (headline.trim() === '')
      throw new GraphqlUnprocessable('A commit message headline is required.')
    for (const change of [...input.additions, ...input.deletions])
      if (isMalformedPath(change.path))
        throw new GraphqlUnprocessable(`The path '${change.path}' is not a valid file path.`)
    const expected = input.expectedHeadOid
    const ref = `refs/heads/${input.branch}`
    try {
      const result = await this.git.commitFiles(repo.owner, repo.name, {
        branch: input.branch,
        expectedHeadOid: expected,
        additions: input.additions.map((a) => ({
          path: a.path,
          content: Buffer.from(a.contents, 'base64')
        })),
        deletions: input.deletions.map((d) => d.path),
        message: input.body ? `${headline}\n\n${input.body}` : headline,
        author: callerIdent(caller)
      })
      this.events.emit(
        pushEvent(fullName(repo), ref, result.parentSha, result.commitSha, caller.user.login)
      )
      return { commitSha: result.commitSha, ref }
    } catch (error) {
      if (error instanceof GitStaleHead) throw new GraphqlStaleData(expected)
      if (error instanceof GitBranchNotFound)
        throw new GraphqlNotFound(`Could not resolve to a Ref with the name '${ref}'.`)
      if (error instanceof GitPathNotFound)
        throw new GraphqlUnprocessable(
          `A path was requested for deletion which does not exist as of commit oid \`${expected}\``
        )
      throw error
    }
  }
}
