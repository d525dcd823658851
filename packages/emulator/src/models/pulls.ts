import { NotFound, RequiresAuthentication } from '../errors.js'
import {
  HeadBranchWasModified,
  MergeMethodNotAllowed,
  PullRequestInvalid,
  PullRequestNotMergeable
} from '../errors-activity.js'
import type { DomainEvents } from '../events.js'
import { GitStaleHead, type GitStore } from '../git/store.js'
import { dictionary, type PullRecord, type RepoRecord, type Store } from '../state.js'
import { authorize, authorizeAuthorOrWrite, fullName } from './access.js'
import { callerIdent, type CommitFile, type CommitsModel } from './commits.js'
import type { ContentsModel } from './contents.js'
import { sameName, type Caller } from './users.js'

/** See `PullsModel.view`. */
export interface PullView {
  headSha: string
  baseSha: string
  commits: number
  files: CommitFile[]
}

/** Body of `pulls/create` (the fields served). */
export interface CreatePullBody {
  title: string
  /** A branch of this repository, optionally `owner:branch` with this repository's owner. */
  head: string
  base: string
  body?: string | null
  draft?: boolean
}

/** Body of `pulls/update`. */
export interface UpdatePullBody {
  title?: string
  body?: string | null
  state?: 'open' | 'closed'
  base?: string
}

/** Query of `pulls/list`. */
export interface ListPullsQuery {
  /** `open` (default), `closed`, `all`. */
  state?: string | null
  /** `owner:branch` (or a bare branch name). */
  head?: string | null
  base?: string | null
  /** `created` (default), `updated`, `popularity`, `long-running`. */
  sort?: string | null
  /** Default `desc` for `created` (or no sort), else `asc`. */
  direction?: string | null
}

/** Body of `pulls/merge`. */
export interface MergePullBody {
  commit_title?: string
  commit_message?: string
  /** When given, the head commit must still be this SHA (409 otherwise). */
  sha?: string
  /** `merge` (default), `squash`, `rebase`. */
  merge_method?: string
}

/**
 * Pull requests between branches of one repository (docs/github-behaviour.md §12.3). Numbers
 * come from the issue sequence (a pull request is an issue on GitHub); the emulator keeps them
 * apart from `repo.issues`, so the issues endpoints do not list them. Merging writes real git
 * commits (`git merge-tree --write-tree`) and moves the base branch by compare-and-swap.
 * Emits `pull_request` domain events (`opened`, `edited`, `closed`, `reopened`; a merge is
 * `closed` with `merged_at` set) and `push` when a merge moves the base branch.
 */
export class PullsModel {
  constructor(
    private readonly s: Store,
    private readonly contents: ContentsModel,
    private readonly git: GitStore,
    private readonly events: DomainEvents,
    private readonly commits: CommitsModel
  ) {}

  /**
   * What the `pull-request` shape needs beyond the record: the head and base SHAs (the branch
   * heads while open, the recorded ones once closed), and the commits and files from the merge
   * base to the head.
   */
  async view(repo: RepoRecord, pull: PullRecord): Promise<PullView> {
    const { owner: o, name: n } = repo
    const open = pull.state === 'open'
    const headSha =
      (open && (await this.git.getRef(o, n, `refs/heads/${pull.head}`))) || pull.head_sha
    const baseSha =
      (open && (await this.git.getRef(o, n, `refs/heads/${pull.base}`))) || pull.base_sha
    const mergeBase = await this.git
      .run(o, n, ['merge-base', baseSha, headSha])
      .then((out) => out.toString('utf8').trim())
      .catch(() => null)
    if (!mergeBase || mergeBase === headSha) return { headSha, baseSha, commits: 0, files: [] }
    const count = (await this.git.run(o, n, ['rev-list', '--count', `${mergeBase}..${headSha}`]))
      .toString('utf8')
      .trim()
    return {
      headSha,
      baseSha,
      commits: Number(count),
      files: await this.commits.diff(repo, headSha, mergeBase)
    }
  }

  /**
   * `pulls/create`: 422 `PullRequestInvalid` for a missing head or base branch, no commits
   * between them, or an open pull request for the same head and base; 404 invisible repo.
   */
  async create(caller: Caller | null, owner: string, name: string, body: CreatePullBody) {
    if (!caller) throw new RequiresAuthentication()
    const repo = await this.contents.repo(caller, owner, name, 'read')
    authorize(caller, repo, 'participate')
    const head = this.branchName(repo, body.head)
    const headSha = await this.git.getRef(repo.owner, repo.name, `refs/heads/${head}`)
    if (!headSha) throw new PullRequestInvalid({ code: 'invalid', field: 'head' })
    const baseSha = await this.git.getRef(repo.owner, repo.name, `refs/heads/${body.base}`)
    if (!baseSha) throw new PullRequestInvalid({ code: 'invalid', field: 'base' })
    if (await this.git.isAncestor(repo.owner, repo.name, headSha, baseSha))
      throw new PullRequestInvalid({
        code: 'custom',
        message: `No commits between ${body.base} and ${head}`
      })
    const pulls = (repo.pulls ??= dictionary())
    if (
      Object.values(pulls).some(
        (p) => p.state === 'open' && p.head === head && p.base === body.base
      )
    )
      throw new PullRequestInvalid({
        code: 'custom',
        message: `A pull request already exists for ${repo.owner}:${head}.`
      })
    const now = this.s.timestamp()
    const pull: PullRecord = {
      id: this.s.nextId(),
      number: repo.next_issue_number++,
      title: body.title,
      body: body.body ?? null,
      state: 'open',
      head,
      base: body.base,
      head_sha: headSha,
      base_sha: baseSha,
      user: caller.user.login,
      draft: body.draft ?? false,
      created_at: now,
      updated_at: now,
      closed_at: null,
      merged_at: null,
      merged_by: null,
      merge_commit_sha: null
    }
    pulls[String(pull.number)] = pull
    this.emit(repo, pull, 'opened', caller)
    return { repo, pull }
  }

  /** `pulls/list`: filtered by state, head and base, sorted (see `ListPullsQuery`). */
  async list(caller: Caller | null, owner: string, name: string, query: ListPullsQuery) {
    const repo = await this.contents.repo(caller, owner, name, 'read')
    const state = query.state ?? 'open'
    const head = query.head ? this.branchName(repo, query.head) : null
    const sort = query.sort ?? 'created'
    const key = (p: PullRecord): string =>
      sort === 'updated' ? p.updated_at : sort === 'long-running' ? p.created_at : p.created_at
    const asc = (query.direction ?? (sort === 'created' ? 'desc' : 'asc')) === 'asc'
    const pulls = Object.values(repo.pulls ?? {})
      .filter((p) => state === 'all' || p.state === state)
      .filter((p) => head === null || p.head === head)
      .filter((p) => !query.base || p.base === query.base)
      .sort((a, b) => {
        const c = key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.number - b.number
        return asc ? c : -c
      })
    return { repo, pulls }
  }

  /** `pulls/get`: 404 for an unknown number. */
  async get(caller: Caller | null, owner: string, name: string, number: number) {
    const repo = await this.contents.repo(caller, owner, name, 'read')
    return { repo, pull: this.find(repo, number) }
  }

  /**
   * `pulls/update`: the author or a writer may change title, body, base and state; closing a
   * merged pull request again is a no-op, reopening it is 422. Emits `edited` (with `changes`),
   * `closed` or `reopened`.
   */
  async update(
    caller: Caller | null,
    owner: string,
    name: string,
    number: number,
    body: UpdatePullBody
  ) {
    const repo = await this.contents.repo(caller, owner, name, 'read')
    const pull = this.find(repo, number)
    authorizeAuthorOrWrite(caller, repo, pull.user)
    const changes: Record<string, unknown> = {}
    if (body.title !== undefined && body.title !== pull.title) {
      changes.title = { from: pull.title }
      pull.title = body.title
    }
    if (body.body !== undefined && body.body !== pull.body) {
      changes.body = { from: pull.body }
      pull.body = body.body
    }
    if (body.base !== undefined && body.base !== pull.base) {
      if (!(await this.git.getRef(repo.owner, repo.name, `refs/heads/${body.base}`)))
        throw new PullRequestInvalid({ code: 'invalid', field: 'base' })
      changes.base = { ref: { from: pull.base } }
      pull.base = body.base
    }
    const now = this.s.timestamp()
    let action: 'closed' | 'reopened' | null = null
    if (body.state === 'closed' && pull.state === 'open') {
      pull.state = 'closed'
      pull.closed_at = now
      action = 'closed'
    } else if (body.state === 'open' && pull.state === 'closed') {
      if (pull.merged_at)
        throw new PullRequestInvalid({
          code: 'custom',
          message:
            'state cannot be changed. The pull request cannot be reopened because it is merged.'
        })
      pull.state = 'open'
      pull.closed_at = null
      action = 'reopened'
    }
    if (Object.keys(changes).length > 0 || action) pull.updated_at = now
    if (Object.keys(changes).length > 0) this.emit(repo, pull, 'edited', caller!, changes)
    if (action) this.emit(repo, pull, action, caller!)
    return { repo, pull }
  }

  /**
   * `pulls/merge`: needs push access. `merge` writes a merge commit (parents: base head, head),
   * `squash` one commit on the base head with the merged tree, `rebase` replays the head's
   * commits on the base head (only when the base head is an ancestor of the head, else 405).
   * 405 `Pull Request is not mergeable` when closed or conflicting; 409 when `sha` is not the
   * head; the base branch moves by compare-and-swap (a concurrent push gives 409 too).
   * Returns the new base head SHA.
   */
  async merge(
    caller: Caller | null,
    owner: string,
    name: string,
    number: number,
    body: MergePullBody
  ): Promise<{ repo: RepoRecord; pull: PullRecord; sha: string }> {
    const repo = await this.contents.repo(caller, owner, name, 'read')
    const pull = this.find(repo, number)
    authorize(caller, repo, 'write')
    const method = body.merge_method ?? 'merge'
    if (!['merge', 'squash', 'rebase'].includes(method)) throw new MergeMethodNotAllowed(method)
    if (pull.state !== 'open') throw new PullRequestNotMergeable()
    const { owner: o, name: n } = repo
    const headSha = await this.git.getRef(o, n, `refs/heads/${pull.head}`)
    const baseRef = `refs/heads/${pull.base}`
    const baseSha = await this.git.getRef(o, n, baseRef)
    if (!headSha || !baseSha) throw new PullRequestNotMergeable()
    if (body.sha !== undefined && body.sha !== headSha) throw new HeadBranchWasModified()
    const who = callerIdent(caller!)
    const title =
      body.commit_title ??
      (method === 'squash'
        ? `${pull.title} (#${pull.number})`
        : `Merge pull request #${pull.number} from ${repo.owner}/${pull.head}`)
    const message =
      `${title}\n\n${body.commit_message ?? (method === 'squash' ? '' : pull.title)}`.trimEnd()
    let sha: string
    if (method === 'rebase') {
      if (!(await this.git.isAncestor(o, n, baseSha, headSha))) throw new PullRequestNotMergeable()
      sha = baseSha
      const shas = (await this.git.run(o, n, ['rev-list', '--reverse', `${baseSha}..${headSha}`]))
        .toString('utf8')
        .split('\n')
        .filter((l) => l !== '')
      for (const one of shas) {
        const c = (await this.git.readCommit(o, n, one))!
        sha = await this.git.writeCommit(o, n, {
          tree: c.tree,
          parents: [sha],
          message: c.message,
          author: c.author
        })
      }
    } else {
      const tree = await this.mergeTree(repo, baseSha, headSha)
      sha = await this.git.writeCommit(o, n, {
        tree,
        parents: method === 'merge' ? [baseSha, headSha] : [baseSha],
        message,
        author: who
      })
    }
    try {
      await this.git.updateRefs(o, n, [{ ref: baseRef, expected: baseSha, sha }])
    } catch (error) {
      if (error instanceof GitStaleHead) throw new HeadBranchWasModified()
      throw error
    }
    const now = this.s.timestamp()
    Object.assign(pull, {
      state: 'closed',
      closed_at: now,
      merged_at: now,
      updated_at: now,
      merged_by: caller!.user.login,
      merge_commit_sha: sha,
      head_sha: headSha,
      base_sha: baseSha
    } satisfies Partial<PullRecord>)
    repo.pushed_at = now
    this.events.emit({
      name: 'push',
      repo: fullName(repo),
      ref: baseRef,
      before: baseSha,
      after: sha,
      sender: caller!.user.login
    })
    this.emit(repo, pull, 'closed', caller!)
    return { repo, pull, sha }
  }

  /** The merged tree of `base` and `head` (`git merge-tree --write-tree`); 405 on conflicts. */
  private async mergeTree(repo: RepoRecord, base: string, head: string): Promise<string> {
    try {
      const out = await this.git.run(repo.owner, repo.name, [
        'merge-tree',
        '--write-tree',
        base,
        head
      ])
      return out.toString('utf8').split('\n')[0].trim()
    } catch {
      throw new PullRequestNotMergeable()
    }
  }

  private find(repo: RepoRecord, number: number): PullRecord {
    const pull = repo.pulls?.[String(number)]
    if (!pull) throw new NotFound()
    return pull
  }

  /** `owner:branch` → `branch` when `owner` is the repository's owner; a bare name as is. */
  private branchName(repo: RepoRecord, head: string): string {
    const i = head.indexOf(':')
    if (i < 0) return head
    if (!sameName(head.slice(0, i), repo.owner)) return `\0${head}`
    return head.slice(i + 1)
  }

  private emit(
    repo: RepoRecord,
    pull: PullRecord,
    action: string,
    caller: Caller,
    changes?: Record<string, unknown>
  ): void {
    this.events.emit({
      name: 'pull_request',
      action,
      repo: fullName(repo),
      number: pull.number,
      sender: caller.user.login,
      ...(changes ? { changes } : {})
    })
  }
}
