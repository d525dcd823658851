import { GitRepositoryIsEmpty, NotFound } from '../errors.js'
import { NoCommonAncestor } from '../errors-activity.js'
import type { CommitObject } from '../git/objects.js'
import type { GitStore } from '../git/store.js'
import type { RepoRecord, Store, UserRecord } from '../state.js'
import { accountForIdent } from './authors.js'
import type { CommitFile, CommitsModel } from './commits.js'
import type { ContentsModel } from './contents.js'
import type { Caller } from './users.js'

/** Most commits `repos/compare-commits` lists (GitHub's cap, docs/github-behaviour.md §12.1). */
export const COMPARE_COMMITS_MAX = 250

/** What `repos/compare-commits` answers before encoding. */
export interface Comparison {
  repo: RepoRecord
  base: { sha: string; commit: CommitObject }
  headSha: string
  mergeBase: { sha: string; commit: CommitObject }
  status: 'identical' | 'ahead' | 'behind' | 'diverged'
  aheadBy: number
  behindBy: number
  /** merge base → head, oldest first, at most `COMPARE_COMMITS_MAX`. */
  commits: Array<{ sha: string; commit: CommitObject }>
  totalCommits: number
  files: CommitFile[]
}

/** One entry of `repos/list-contributors`: an account, or (with `anon`) an e-mail without one. */
export type Contributor =
  | { kind: 'user'; user: UserRecord; contributions: number }
  | { kind: 'anonymous'; name: string; email: string; contributions: number }

/**
 * Read-only activity views over the git history (docs/github-behaviour.md §12.1):
 * `repos/compare-commits` and `repos/list-contributors`.
 */
export class ActivityModel {
  constructor(
    private readonly s: Store,
    private readonly contents: ContentsModel,
    private readonly commits: CommitsModel,
    private readonly git: GitStore
  ) {}

  /**
   * `repos/compare-commits` of `basehead` = `<base>...<head>` (refs or SHAs): ahead/behind
   * counts from the merge base, the head's commits since it (oldest first) and the files changed
   * from the merge base to the head (three-dot diff). 404 `Not Found` for an unknown ref or a
   * malformed `basehead`, 404 `No common ancestor …` for unrelated histories, 409 when empty.
   */
  async compare(
    caller: Caller | null,
    owner: string,
    name: string,
    basehead: string
  ): Promise<Comparison> {
    const repo = await this.contents.repo(caller, owner, name, 'read')
    const m = /^(.+?)\.\.\.?(.+)$/.exec(basehead)
    if (!m) throw new NotFound()
    const { owner: o, name: n } = repo
    if (await this.git.isEmpty(o, n)) throw new GitRepositoryIsEmpty()
    const baseSha = await this.git.resolveRef(o, n, m[1])
    const headSha = await this.git.resolveRef(o, n, m[2])
    if (!baseSha || !headSha) throw new NotFound()
    let mergeBaseSha: string
    try {
      mergeBaseSha = (await this.git.run(o, n, ['merge-base', baseSha, headSha]))
        .toString('utf8')
        .trim()
    } catch {
      throw new NoCommonAncestor(m[1], m[2])
    }
    const ahead = await this.range(repo, mergeBaseSha, headSha)
    const behindBy = (await this.range(repo, mergeBaseSha, baseSha)).length
    const aheadBy = ahead.length
    const status =
      aheadBy === 0 && behindBy === 0
        ? 'identical'
        : behindBy === 0
          ? 'ahead'
          : aheadBy === 0
            ? 'behind'
            : 'diverged'
    const commits = []
    for (const sha of [...ahead].reverse().slice(0, COMPARE_COMMITS_MAX)) {
      const commit = await this.git.readCommit(o, n, sha)
      if (commit) commits.push({ sha, commit })
    }
    return {
      repo,
      base: { sha: baseSha, commit: (await this.git.readCommit(o, n, baseSha))! },
      headSha,
      mergeBase: { sha: mergeBaseSha, commit: (await this.git.readCommit(o, n, mergeBaseSha))! },
      status,
      aheadBy,
      behindBy,
      commits,
      totalCommits: aheadBy,
      files: mergeBaseSha === headSha ? [] : await this.commits.diff(repo, headSha, mergeBaseSha)
    }
  }

  /**
   * `repos/list-contributors`: commits on the default branch counted per account (the author
   * e-mail's account, `accountForIdent`), most first (ties: login order); with `anon` the
   * commits of e-mails no account has are listed too, one entry per e-mail. `null` for an
   * empty repository (GitHub answers 204).
   */
  async contributors(
    caller: Caller | null,
    owner: string,
    name: string,
    anon: boolean
  ): Promise<{ repo: RepoRecord; contributors: Contributor[] | null }> {
    const repo = await this.contents.repo(caller, owner, name, 'read')
    const { owner: o, name: n } = repo
    const head = await this.git.resolveRef(o, n, repo.default_branch)
    if (!head) return { repo, contributors: null }
    const users = new Map<number, { user: UserRecord; contributions: number }>()
    const others = new Map<string, { name: string; email: string; contributions: number }>()
    for (const sha of await this.git.log(o, n, head)) {
      const commit = await this.git.readCommit(o, n, sha)
      if (!commit) continue
      const user = accountForIdent(this.s, commit.author)
      if (user) {
        const entry = users.get(user.id) ?? { user, contributions: 0 }
        entry.contributions += 1
        users.set(user.id, entry)
      } else if (anon) {
        const email = commit.author.email.toLowerCase()
        const entry = others.get(email) ?? { name: commit.author.name, email, contributions: 0 }
        entry.contributions += 1
        others.set(email, entry)
      }
    }
    const list: Contributor[] = [
      ...[...users.values()].map((u) => ({ kind: 'user' as const, ...u })),
      ...[...others.values()].map((a) => ({ kind: 'anonymous' as const, ...a }))
    ]
    const label = (c: Contributor) => (c.kind === 'user' ? c.user.login : c.email).toLowerCase()
    list.sort((a, b) => b.contributions - a.contributions || (label(a) < label(b) ? -1 : 1))
    return { repo, contributors: list }
  }

  /** Commits reachable from `to` but not from `from`, newest first. */
  private async range(repo: RepoRecord, from: string, to: string): Promise<string[]> {
    if (from === to) return []
    return (await this.git.run(repo.owner, repo.name, ['rev-list', `${from}..${to}`]))
      .toString('utf8')
      .split('\n')
      .filter((l) => l !== '')
  }
}
