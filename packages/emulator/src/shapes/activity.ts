import { authorAssociation } from '../models/access.js'
import type { Comparison, Contributor } from '../models/activity.js'
import type { CommitFile } from '../models/commits.js'
import type { PullRecord, RepoRecord, Store } from '../state.js'
import { encodePath, nodeId, repoApiUrl, repoHtmlUrl } from './common.js'
import { GitShapes } from './git.js'
import { Shapes } from './resources.js'

/**
 * GitHub's JSON shapes of the activity endpoints (docs/github-behaviour.md §12): `pull-request`,
 * `pull-request-simple`, `commit-comparison` with `diff-entry` files, `contributor`.
 */
export class ActivityShapes {
  private readonly shapes: Shapes
  private readonly git: GitShapes

  constructor(
    private readonly s: Store,
    readonly origin: string
  ) {
    this.shapes = new Shapes(s, origin)
    this.git = new GitShapes(s, origin)
  }

  /** `pull-request-simple` (`pulls/list`). */
  pullSimple(repo: RepoRecord, pull: PullRecord, headSha: string, baseSha: string) {
    const api = repoApiUrl(this.origin, repo)
    const html = repoHtmlUrl(this.origin, repo)
    const url = `${api}/pulls/${pull.number}`
    const issue = `${api}/issues/${pull.number}`
    const statuses = `${api}/statuses/${headSha}`
    const repoBody = this.shapes.repo(repo, null)
    const side = (ref: string, sha: string) => ({
      label: `${repo.owner}:${ref}`,
      ref,
      sha,
      user: this.shapes.user(repo.owner),
      repo: repoBody
    })
    return {
      url,
      id: pull.id,
      node_id: nodeId('PullRequest', pull.id),
      html_url: `${html}/pull/${pull.number}`,
      diff_url: `${html}/pull/${pull.number}.diff`,
      patch_url: `${html}/pull/${pull.number}.patch`,
      issue_url: issue,
      commits_url: `${url}/commits`,
      review_comments_url: `${url}/comments`,
      review_comment_url: `${api}/pulls/comments{/number}`,
      comments_url: `${issue}/comments`,
      statuses_url: statuses,
      number: pull.number,
      state: pull.state,
      locked: false,
      title: pull.title,
      user: this.shapes.user(pull.user),
      body: pull.body,
      labels: [],
      milestone: null,
      active_lock_reason: null,
      created_at: pull.created_at,
      updated_at: pull.updated_at,
      closed_at: pull.closed_at,
      merged_at: pull.merged_at,
      merge_commit_sha: pull.merge_commit_sha,
      assignee: null,
      assignees: [],
      requested_reviewers: [],
      requested_teams: [],
      head: side(pull.head, headSha),
      base: side(pull.base, baseSha),
      _links: {
        self: { href: url },
        html: { href: `${html}/pull/${pull.number}` },
        issue: { href: issue },
        comments: { href: `${issue}/comments` },
        review_comments: { href: `${url}/comments` },
        review_comment: { href: `${api}/pulls/comments{/number}` },
        commits: { href: `${url}/commits` },
        statuses: { href: statuses }
      },
      author_association: authorAssociation(this.s, repo, pull.user),
      auto_merge: null,
      draft: pull.draft
    }
  }

  /** `pull-request` (`pulls/create`, `get`, `update`): the simple shape plus merge state and counts. */
  pull(
    repo: RepoRecord,
    pull: PullRecord,
    headSha: string,
    baseSha: string,
    counts: { commits: number; files: CommitFile[] }
  ) {
    const merged = pull.merged_at !== null
    const additions = counts.files.reduce((n, f) => n + f.additions, 0)
    const deletions = counts.files.reduce((n, f) => n + f.deletions, 0)
    return {
      ...this.pullSimple(repo, pull, headSha, baseSha),
      merged,
      mergeable: pull.state === 'open' ? true : null,
      rebaseable: pull.state === 'open' ? true : null,
      mergeable_state: pull.state === 'open' ? 'clean' : 'unknown',
      merged_by: pull.merged_by === null ? null : this.shapes.user(pull.merged_by),
      comments: 0,
      review_comments: 0,
      maintainer_can_modify: false,
      commits: counts.commits,
      additions,
      deletions,
      changed_files: counts.files.length
    }
  }

  /** One `diff-entry`, with its blob, raw and contents URLs at `sha`. */
  diffEntry(repo: RepoRecord, sha: string, f: CommitFile) {
    const api = repoApiUrl(this.origin, repo)
    const html = repoHtmlUrl(this.origin, repo)
    return {
      ...f,
      blob_url: `${html}/blob/${sha}/${encodePath(f.filename)}`,
      raw_url: `${html}/raw/${sha}/${encodePath(f.filename)}`,
      contents_url: `${api}/contents/${encodePath(f.filename)}?ref=${sha}`
    }
  }

  /** `commit-comparison` (`repos/compare-commits`). */
  comparison(c: Comparison, basehead: string) {
    const headSha = c.headSha
    const api = repoApiUrl(this.origin, c.repo)
    const html = repoHtmlUrl(this.origin, c.repo)
    return {
      url: `${api}/compare/${basehead}`,
      html_url: `${html}/compare/${basehead}`,
      permalink_url: `${html}/compare/${c.repo.owner}:${c.base.sha.slice(0, 7)}...${c.repo.owner}:${headSha.slice(0, 7)}`,
      diff_url: `${html}/compare/${basehead}.diff`,
      patch_url: `${html}/compare/${basehead}.patch`,
      base_commit: this.git.commit(c.repo, c.base.sha, c.base.commit),
      merge_base_commit: this.git.commit(c.repo, c.mergeBase.sha, c.mergeBase.commit),
      status: c.status,
      ahead_by: c.aheadBy,
      behind_by: c.behindBy,
      total_commits: c.totalCommits,
      commits: c.commits.map((x) => this.git.commit(c.repo, x.sha, x.commit)),
      files: c.files.map((f) => this.diffEntry(c.repo, headSha, f))
    }
  }

  /** `contributor`: a `simple-user` plus `contributions`, or `{email, name, type: "Anonymous"}`. */
  contributor(c: Contributor) {
    if (c.kind === 'anonymous')
      return { email: c.email, name: c.name, type: 'Anonymous', contributions: c.contributions }
    const { user_view_type: _view, ...user } = this.shapes.userRecord(c.user)
    return { ...user, contributions: c.contributions }
  }
}
