import type { AppsModel } from '../models/apps.js'
import type { InstallationRecord } from '../models/app-records.js'
import type { PullView } from '../models/pulls.js'
import { ActivityShapes } from '../shapes/activity.js'
import { AppShapes } from '../shapes/apps.js'
import { nodeId } from '../shapes/common.js'
import { organizationSimple } from '../shapes/orgs.js'
import type { Shapes } from '../shapes/resources.js'
import type {
  CommentRecord,
  IssueRecord,
  LabelRecord,
  PullRecord,
  RepoRecord,
  Store
} from '../state.js'
import type { RepoHookRecord } from './records.js'

/**
 * Webhook payload parts as GitHub's webhook schemas describe them (`@octokit/webhooks-schemas`
 * 7.6.1, from https://docs.github.com/webhooks/webhook-events-and-payloads): the REST shapes
 * of `Shapes` without the fields the webhook objects do not carry, plus the ones they require
 * (`is_template`, `topics`, `custom_properties` on a repository …).
 */
export class WebhookShapes {
  private readonly apps: AppShapes

  constructor(
    private readonly s: Store,
    private readonly shapes: Shapes,
    appsModel: AppsModel
  ) {
    this.apps = new AppShapes(shapes, appsModel)
  }

  get origin(): string {
    return this.shapes.origin
  }

  /** A webhook `user` (no `user_view_type`). */
  user(login: string): Record<string, unknown> {
    const { user_view_type: _v, ...user } = this.shapes.user(login)
    return user
  }

  /** A webhook `repository`. */
  repository(repo: RepoRecord): Record<string, unknown> {
    return this.fromRest(this.shapes.repo(repo, null))
  }

  /**
   * The webhook `repository` of a repository that no longer exists, from `snapshot`: the
   * repository as `GET /repos/{owner}/{repo}` answered it just before it was deleted (the
   * `repository` `deleted` domain event carries it).
   */
  deletedRepository(snapshot: Record<string, unknown>): Record<string, unknown> {
    return this.fromRest(snapshot)
  }

  /** The REST `full-repository` minus the fields webhook repositories lack, plus theirs. */
  private fromRest(rest: Record<string, unknown>): Record<string, unknown> {
    const {
      network_count: _n,
      subscribers_count: _s,
      organization: _o,
      permissions: _p,
      owner,
      ...fields
    } = rest
    const login = (owner as { login: string }).login
    return {
      ...fields,
      owner: this.user(login),
      is_template: false,
      web_commit_signoff_required: false,
      topics: [],
      custom_properties: {}
    }
  }

  /** The `organization` of an organisation-owned repository, else `undefined`. */
  organization(repo: RepoRecord): Record<string, unknown> | undefined {
    return this.organizationOf(repo.owner)
  }

  /** The webhook `organization` of the account `login`, or `undefined` for a user. */
  organizationOf(login: string): Record<string, unknown> | undefined {
    const owner = this.s.data.users[login.toLowerCase()]
    if (owner?.type !== 'Organization') return undefined
    return organizationSimple(this.origin, owner)
  }

  /** A webhook `label`. */
  label(repo: RepoRecord, label: LabelRecord): Record<string, unknown> {
    return this.shapes.label(repo, label)
  }

  /** A webhook `issue` (no `closed_by`). */
  issue(repo: RepoRecord, issue: IssueRecord): Record<string, unknown> {
    const { closed_by: _c, ...rest } = this.shapes.issue(repo, issue)
    return { ...rest, user: this.user(issue.user) }
  }

  /**
   * A webhook `pull-request`: GitHub's REST `pull-request` (`ActivityShapes.pull`) with webhook
   * users and repositories in `user`, `merged_by` and `head` / `base`.
   */
  pull(repo: RepoRecord, pull: PullRecord, view: PullView): Record<string, unknown> {
    const rest = new ActivityShapes(this.s, this.origin).pull(
      repo,
      pull,
      view.headSha,
      view.baseSha,
      view
    )
    const repository = this.repository(repo)
    const side = (s: { label: string; ref: string; sha: string }) => ({
      label: s.label,
      ref: s.ref,
      sha: s.sha,
      user: this.user(repo.owner),
      repo: repository
    })
    return {
      ...rest,
      user: this.user(pull.user),
      merged_by: pull.merged_by === null ? null : this.user(pull.merged_by),
      head: side(rest.head),
      base: side(rest.base)
    }
  }

  /** A webhook `issue-comment`. */
  comment(repo: RepoRecord, comment: CommentRecord): Record<string, unknown> {
    return { ...this.shapes.comment(repo, comment), user: this.user(comment.user) }
  }

  /** A webhook `installation` (no `client_id`; the account as a plain `user`). */
  installation(installation: InstallationRecord): Record<string, unknown> {
    const { client_id: _c, ...rest } = this.apps.installation(installation)
    return { ...rest, account: this.user(installation.account) }
  }

  /** The short repository objects of `installation` and `installation_repositories` payloads. */
  repositoryLite(repo: RepoRecord): Record<string, unknown> {
    return {
      id: repo.id,
      node_id: nodeId('Repository', repo.id),
      name: repo.name,
      full_name: `${repo.owner}/${repo.name}`,
      private: repo.private
    }
  }

  /**
   * `hook` as the REST API answers it (`repos/get-webhook`) and as a `ping` payload carries it;
   * the secret shows as `********` (https://docs.github.com/rest/repos/webhooks).
   */
  hook(repo: RepoRecord, hook: RepoHookRecord): Record<string, unknown> {
    const url = `${this.origin}/repos/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.name)}/hooks/${hook.id}`
    return {
      type: 'Repository',
      id: hook.id,
      name: 'web',
      active: hook.active,
      events: [...hook.events],
      config: {
        content_type: hook.config.content_type,
        insecure_ssl: hook.config.insecure_ssl,
        url: hook.config.url,
        ...(hook.config.secret === undefined ? {} : { secret: '********' })
      },
      updated_at: hook.updated_at,
      created_at: hook.created_at,
      url,
      test_url: `${url}/test`,
      ping_url: `${url}/pings`,
      deliveries_url: `${url}/deliveries`,
      last_response: { code: null, status: 'unused', message: null }
    }
  }
}
