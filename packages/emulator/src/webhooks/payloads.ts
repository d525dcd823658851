import type { DomainEvent } from '../events.js'
import type { GitStore } from '../git/store.js'
import type { Models } from '../models/index.js'
import type { InstallationRecord } from '../models/app-records.js'
import { labelById } from '../models/labels.js'
import type { RepoRecord, Store } from '../state.js'
import { pushFields, PUSH_TAGS_MAX } from './push.js'
import type { WebhookShapes } from './shapes.js'

/** One webhook to send: the event name, its action and the payload (without `installation`). */
export interface WebhookEvent {
  /** `X-GitHub-Event`. */
  event: string
  action: string | null
  payload: Record<string, unknown>
  /** The repository it happened in (chooses repository hooks and installations). */
  repo: RepoRecord | null
  /** For `installation` / `installation_repositories`: the installation it is about. */
  installation: InstallationRecord | null
  /** The id of a repository that no longer exists (`repository` `deleted`; `repo` is null). */
  deletedRepositoryId?: number
}

/**
 * GitHub's webhook payload for a domain event (https://docs.github.com/webhooks/webhook-events-and-payloads),
 * or `null` when GitHub sends none (a push of more than three tags, a resource already gone).
 * Everything but git's part (a push's commit list, a pull request's head and base SHAs,
 * commit and file counts) is read now, synchronously, so the payload shows the state right
 * after the change; the promise only waits for git. A merge is `pull_request` `closed` with
 * `pull_request.merged: true`; `repository` `deleted` is built from the event's `snapshot`
 * (the repository no longer exists).
 */
export function webhookEvent(
  event: DomainEvent,
  ctx: { store: Store; models: Models; git: GitStore },
  shapes: WebhookShapes
): Promise<WebhookEvent | null> | WebhookEvent | null {
  const s = ctx.store
  const sender = () => shapes.user(event.sender)
  if (event.name === 'installation' || event.name === 'installation_repositories') {
    const installation =
      event.name === 'installation' && event.record
        ? event.record
        : s.data.apps?.installations[String(event.installationId)]
    if (!installation) return null
    const requester = sender()
    if (event.name === 'installation') {
      const names =
        event.repositories ??
        ctx.models.apps.repositoriesOf(installation).map((r) => `${r.owner}/${r.name}`)
      return {
        event: 'installation',
        action: event.action,
        repo: null,
        installation,
        payload: {
          action: event.action,
          installation: shapes.installation(installation),
          repositories: names.map((n) => repoLite(s, shapes, n)).filter((r) => r !== null),
          // GitHub's schema: the requester of an uninstall is always null
          requester: event.action === 'deleted' ? null : requester,
          sender: sender()
        }
      }
    }
    const lite = (names: string[]) =>
      names.map((n) => repoLite(s, shapes, n)).filter((r) => r !== null)
    return {
      event: 'installation_repositories',
      action: event.action,
      repo: null,
      installation,
      payload: {
        action: event.action,
        installation: shapes.installation(installation),
        repository_selection: installation.repository_selection,
        repositories_added: lite(event.added),
        repositories_removed: event.removed
          .map((n) => {
            const repo = s.data.repos[n.toLowerCase()]
            return repo ? shapes.repositoryLite(repo) : null
          })
          .filter((r) => r !== null),
        requester,
        sender: sender()
      }
    }
  }
  if (event.name === 'repository' && event.action === 'deleted') {
    // The repository is gone: its payload comes from the snapshot taken just before.
    if (!event.snapshot) return null
    const organization = shapes.organizationOf(event.repo.split('/')[0])
    return {
      event: 'repository',
      action: 'deleted',
      repo: null,
      installation: null,
      deletedRepositoryId: Number(event.snapshot.id),
      payload: {
        action: 'deleted',
        repository: shapes.deletedRepository(event.snapshot),
        sender: sender(),
        ...(organization ? { organization } : {})
      }
    }
  }
  const repo = s.data.repos[event.repo.toLowerCase()]
  if (!repo) return null
  const base = (action: string | null, fields: Record<string, unknown>): WebhookEvent => {
    const organization = shapes.organization(repo)
    return {
      event: event.name,
      action,
      repo,
      installation: null,
      payload: {
        ...(action === null ? {} : { action }),
        ...fields,
        repository: shapes.repository(repo),
        sender: sender(),
        ...(organization ? { organization } : {})
      }
    }
  }
  switch (event.name) {
    case 'issues': {
      const issue = repo.issues[String(event.number)]
      if (!issue) return null
      const label = event.label === undefined ? undefined : labelById(repo, event.label)
      return base(event.action, {
        issue: shapes.issue(repo, issue),
        ...(event.changes ? { changes: event.changes } : {}),
        ...(label ? { label: shapes.label(repo, label) } : {})
      })
    }
    case 'issue_comment': {
      const issue = repo.issues[String(event.number)]
      const comment = event.record ?? repo.comments[String(event.commentId)]
      if (!issue || !comment) return null
      return base(event.action, {
        issue: shapes.issue(repo, issue),
        comment: shapes.comment(repo, comment),
        ...(event.changes ? { changes: event.changes } : {})
      })
    }
    case 'repository':
      return base(event.action, event.changes ? { changes: event.changes } : {})
    case 'pull_request': {
      const record = repo.pulls?.[String(event.number)]
      if (!record) return null
      // The record as the change left it; git is read after (the head and base SHAs, counts).
      const pull = { ...record }
      const done = base(event.action, {
        number: pull.number,
        ...(event.changes ? { changes: event.changes } : {})
      })
      return ctx.models.pulls.view(repo, pull).then((view) => {
        const { action, number, changes, ...rest } = done.payload
        return {
          ...done,
          payload: {
            action,
            number,
            ...(changes === undefined ? {} : { changes }),
            pull_request: shapes.pull(repo, pull, view),
            ...rest
          }
        }
      })
    }
    case 'push': {
      if (event.ref.startsWith('refs/tags/') && (event.tagsInPush ?? 1) > PUSH_TAGS_MAX) return null
      const pusher = s.data.users[event.sender.toLowerCase()] ?? null
      const done = base(null, {})
      return pushFields(ctx.git, shapes.origin, repo, event, pusher, event.sender).then(
        (fields) => ({
          ...done,
          payload: { ...fields, ...done.payload }
        })
      )
    }
  }
}

function repoLite(s: Store, shapes: WebhookShapes, name: string): Record<string, unknown> | null {
  const repo = s.data.repos[name.toLowerCase()]
  return repo ? shapes.repositoryLite(repo) : null
}
