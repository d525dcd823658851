import { authorAssociation, fullName } from '../models/access.js'
import { labelsWithIds, sortLabels } from '../models/labels.js'
import {
  REACTION_CONTENTS,
  type CommentRecord,
  type IssueRecord,
  type LabelRecord,
  type PermissionLevel,
  type ReactionRecord,
  type RepoRecord,
  type Store,
  type UserRecord
} from '../state.js'
import { nodeId, permissionFlags, repoApiUrl, repoHtmlUrl } from './common.js'

export { nodeId }

/**
 * Encoders from records to GitHub's JSON shapes. URLs use `origin` (the emulator's own,
 * as the client reached it) so clients following them never leave the emulator.
 */
export class Shapes {
  constructor(
    private readonly s: Store,
    readonly origin: string
  ) {}

  /** A 201 answer for a created resource, with `Location` = its `url` (as GitHub sends it). */
  created(body: Record<string, unknown>): {
    status: 201
    body: Record<string, unknown>
    headers: Record<string, string>
  } {
    return { status: 201, body, headers: { location: String(body.url) } }
  }

  /** `simple-user` for a login (looked up; unknown logins get id 0). */
  user(login: string): Record<string, unknown> {
    const record = this.s.data.users[login.toLowerCase()] ?? { id: 0, login, type: 'User' }
    return this.userRecord(record)
  }

  /** `simple-user` for a user record. */
  userRecord(u: UserRecord): Record<string, unknown> {
    const url = `${this.origin}/users/${encodeURIComponent(u.login)}`
    return {
      login: u.login,
      id: u.id,
      node_id: nodeId(u.type === 'Organization' ? 'Organization' : u.type, u.id),
      avatar_url: `${this.origin}/avatars/u/${u.id}?v=4`,
      gravatar_id: '',
      url,
      html_url: `${this.origin}/${encodeURIComponent(u.login)}`,
      followers_url: `${url}/followers`,
      following_url: `${url}/following{/other_user}`,
      gists_url: `${url}/gists{/gist_id}`,
      starred_url: `${url}/starred{/owner}{/repo}`,
      subscriptions_url: `${url}/subscriptions`,
      organizations_url: `${url}/orgs`,
      repos_url: `${url}/repos`,
      events_url: `${url}/events{/privacy}`,
      received_events_url: `${url}/received_events`,
      type: u.type,
      user_view_type: 'public',
      site_admin: false
    }
  }

  /**
   * `private-user` for `GET /user`: the `simple-user` fields plus the profile and plan
   * counters GitHub always sends (empty profile, zero counters; `created_at` is the epoch).
   */
  authenticatedUser(u: UserRecord): Record<string, unknown> {
    const epoch = '1970-01-01T00:00:00Z'
    return {
      ...this.userRecord(u),
      user_view_type: 'private',
      name: null,
      company: null,
      blog: '',
      location: null,
      email: null,
      hireable: null,
      bio: null,
      twitter_username: null,
      public_repos: 0,
      public_gists: 0,
      followers: 0,
      following: 0,
      created_at: epoch,
      updated_at: epoch,
      private_gists: 0,
      total_private_repos: 0,
      owned_private_repos: 0,
      disk_usage: 0,
      collaborators: 0,
      two_factor_authentication: false
    }
  }

  /** `collaborator`: `simple-user` plus `permissions` and `role_name` (the permission level). */
  collaborator(u: UserRecord, permission: PermissionLevel): Record<string, unknown> {
    return {
      ...this.userRecord(u),
      permissions: permissionFlags(permission),
      role_name: permission
    }
  }

  /** `full-repository`; `permissions` only when the caller is authenticated. */
  repo(repo: RepoRecord, permission: PermissionLevel | null): Record<string, unknown> {
    const url = this.repoApi(repo)
    const open = Object.values(repo.issues).filter((i) => i.state === 'open').length
    return {
      id: repo.id,
      node_id: nodeId('Repository', repo.id),
      name: repo.name,
      full_name: fullName(repo),
      private: repo.private,
      owner: this.user(repo.owner),
      html_url: this.repoHtml(repo),
      description: repo.description ?? null,
      fork: false,
      url,
      forks_url: `${url}/forks`,
      keys_url: `${url}/keys{/key_id}`,
      collaborators_url: `${url}/collaborators{/collaborator}`,
      teams_url: `${url}/teams`,
      hooks_url: `${url}/hooks`,
      issue_events_url: `${url}/issues/events{/number}`,
      events_url: `${url}/events`,
      assignees_url: `${url}/assignees{/user}`,
      branches_url: `${url}/branches{/branch}`,
      tags_url: `${url}/tags`,
      blobs_url: `${url}/git/blobs{/sha}`,
      git_tags_url: `${url}/git/tags{/sha}`,
      git_refs_url: `${url}/git/refs{/sha}`,
      trees_url: `${url}/git/trees{/sha}`,
      statuses_url: `${url}/statuses/{sha}`,
      languages_url: `${url}/languages`,
      stargazers_url: `${url}/stargazers`,
      contributors_url: `${url}/contributors`,
      subscribers_url: `${url}/subscribers`,
      subscription_url: `${url}/subscription`,
      commits_url: `${url}/commits{/sha}`,
      git_commits_url: `${url}/git/commits{/sha}`,
      comments_url: `${url}/comments{/number}`,
      issue_comment_url: `${url}/issues/comments{/number}`,
      contents_url: `${url}/contents/{+path}`,
      compare_url: `${url}/compare/{base}...{head}`,
      merges_url: `${url}/merges`,
      archive_url: `${url}/{archive_format}{/ref}`,
      downloads_url: `${url}/downloads`,
      issues_url: `${url}/issues{/number}`,
      pulls_url: `${url}/pulls{/number}`,
      milestones_url: `${url}/milestones{/number}`,
      notifications_url: `${url}/notifications{?since,all,participating}`,
      labels_url: `${url}/labels{/name}`,
      releases_url: `${url}/releases{/id}`,
      deployments_url: `${url}/deployments`,
      created_at: repo.created_at,
      updated_at: repo.updated_at ?? repo.created_at,
      pushed_at: repo.pushed_at ?? repo.created_at,
      git_url: `${this.repoHtml(repo).replace(/^https?:/, 'git:')}.git`,
      ssh_url: `git@${new URL(this.origin).hostname}:${fullName(repo)}.git`,
      clone_url: `${this.repoHtml(repo)}.git`,
      svn_url: this.repoHtml(repo),
      homepage: null,
      size: 0,
      stargazers_count: 0,
      watchers_count: 0,
      language: null,
      has_issues: true,
      has_projects: false,
      has_downloads: false,
      has_wiki: false,
      has_pages: false,
      has_discussions: false,
      forks_count: 0,
      mirror_url: null,
      archived: false,
      disabled: false,
      visibility: repo.private ? 'private' : 'public',
      open_issues_count: open,
      open_issues: open,
      license: null,
      forks: 0,
      watchers: 0,
      default_branch: repo.default_branch,
      network_count: 0,
      subscribers_count: 0,
      // an organisation's repository names it (`simple-user` of the organisation, §11.4)
      ...(this.s.data.users[repo.owner.toLowerCase()]?.type === 'Organization'
        ? { organization: this.user(repo.owner) }
        : {}),
      ...(permission === null ? {} : { permissions: permissionFlags(permission) })
    }
  }

  /** `label`. */
  label(repo: RepoRecord, label: LabelRecord): Record<string, unknown> {
    return {
      id: label.id,
      node_id: nodeId('Label', label.id),
      url: `${this.repoApi(repo)}/labels/${encodeURIComponent(label.name)}`,
      name: label.name,
      color: label.color,
      default: label.default,
      description: label.description
    }
  }

  /** `issue`, with full label objects, the comment count and the reactions rollup. */
  issue(repo: RepoRecord, issue: IssueRecord): Record<string, unknown> {
    const url = `${this.repoApi(repo)}/issues/${issue.number}`
    const labels = labelsWithIds(repo, issue.labels)
    return {
      url,
      repository_url: this.repoApi(repo),
      labels_url: `${url}/labels{/name}`,
      comments_url: `${url}/comments`,
      events_url: `${url}/events`,
      html_url: `${this.repoHtml(repo)}/issues/${issue.number}`,
      id: issue.id,
      node_id: nodeId('Issue', issue.id),
      number: issue.number,
      title: issue.title,
      user: this.user(issue.user),
      labels: sortLabels(labels).map((l) => this.label(repo, l)),
      state: issue.state,
      locked: false,
      assignee: null,
      assignees: [],
      milestone: null,
      comments: issue.comments,
      created_at: issue.created_at,
      updated_at: issue.updated_at,
      closed_at: issue.closed_at,
      author_association: authorAssociation(this.s, repo, issue.user),
      active_lock_reason: null,
      body: issue.body,
      closed_by: issue.closed_by === null ? null : this.user(issue.closed_by),
      reactions: this.rollup(`${url}/reactions`, issue.reactions),
      timeline_url: `${url}/timeline`,
      performed_via_github_app: null,
      state_reason: issue.state_reason
    }
  }

  /** `issue-comment`. */
  comment(repo: RepoRecord, comment: CommentRecord): Record<string, unknown> {
    const url = `${this.repoApi(repo)}/issues/comments/${comment.id}`
    return {
      url,
      html_url: `${this.repoHtml(repo)}/issues/${comment.issue_number}#issuecomment-${comment.id}`,
      issue_url: `${this.repoApi(repo)}/issues/${comment.issue_number}`,
      id: comment.id,
      node_id: nodeId('IssueComment', comment.id),
      user: this.user(comment.user),
      created_at: comment.created_at,
      updated_at: comment.updated_at,
      author_association: authorAssociation(this.s, repo, comment.user),
      body: comment.body,
      reactions: this.rollup(`${url}/reactions`, comment.reactions),
      performed_via_github_app: null
    }
  }

  /** `reaction`. */
  reaction(reaction: ReactionRecord): Record<string, unknown> {
    return {
      id: reaction.id,
      node_id: nodeId('Reaction', reaction.id),
      user: this.user(reaction.user),
      content: reaction.content,
      created_at: reaction.created_at
    }
  }

  /** `reaction-rollup`: `{url, total_count, "+1", "-1", laugh, …}`. */
  rollup(url: string, reactions: ReactionRecord[]): Record<string, unknown> {
    const rollup: Record<string, unknown> = { url, total_count: reactions.length }
    for (const content of REACTION_CONTENTS)
      rollup[content] = reactions.filter((r) => r.content === content).length
    return rollup
  }

  private repoApi(repo: RepoRecord): string {
    return repoApiUrl(this.origin, repo)
  }

  private repoHtml(repo: RepoRecord): string {
    return repoHtmlUrl(this.origin, repo)
  }
}
