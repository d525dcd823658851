import { GitRepositoryIsEmpty, NoCommitFoundForSha, NotFound } from '../errors.js'
import type { CommitObject } from '../git/objects.js'
import type { GitStore } from '../git/store.js'
import type { RepoRecord } from '../state.js'
import type { ContentsModel } from './contents.js'
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

/** `repos/list-commits` and `repos/get-commit` over `GitStore` (reference/github-api.md §9 item 5). */
export class CommitsModel {
  constructor(
    private readonly contents: ContentsModel,
    private readonly git: GitStore
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
    options: { sha?: string | null; path?: string | null } = {}
  ): Promise<{ repo: RepoRecord; commits: Array<{ sha: string; commit: CommitObject }> }> {
    const repo = await this.contents.repo(caller, owner, name, 'read')
    if (await this.git.isEmpty(repo.owner, repo.name)) throw new GitRepositoryIsEmpty()
    const start = options.sha ?? repo.default_branch
    const head = await this.git.resolveRef(repo.owner, repo.name, start)
    if (!head) throw new NoCommitFoundForSha(404, start)
    const path = options.path?.replace(/^\/+|\/+$/g, '') || undefined
    const shas = await this.git.log(repo.owner, repo.name, head, { path, max: COMMITS_LIST_MAX })
    const commits = []
    for (const sha of shas) {
      const commit = await this.git.readCommit(repo.owner, repo.name, sha)
      if (commit) commits.push({ sha, commit })
    }
    return { repo, commits }
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

  private async diff(repo: RepoRecord, sha: string, parent: string | null): Promise<CommitFile[]> {
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
}
