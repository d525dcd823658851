import { NotFound, ValidationFailed } from '../errors.js'
import { ISSUE_BODY_MAX_CHARS } from '../limits.js'
import type { IssueRecord, RepoRecord, Store } from '../state.js'
import { DomainEvents } from '../events.js'
import { authorizeAuthorOrWrite, canPush, fullName } from './access.js'
import { labelById, type LabelsModel } from './labels.js'
import type { ReposModel } from './repos.js'
import { sameName, type Caller } from './users.js'

/** Body of `issues/create`. */
export interface CreateIssueInput {
  title: string
  body?: string | null
  labels?: string[]
}

/** Body of `issues/update`; absent fields are left alone. */
export interface UpdateIssueInput {
  title?: string
  body?: string | null
  state?: string
  state_reason?: string | null
  labels?: string[]
}

/** Query of `issues/list-for-repo` (docs/github-behaviour.md §3.1). */
export interface ListIssuesFilter {
  state?: string
  labels?: string
  since?: string
  sort?: string
  direction?: string
  creator?: string
}

const CLOSE_REASONS = ['completed', 'not_planned', 'duplicate']

/** Issues: create, read, list with GitHub's filters, update (§3.1, §3.2, §3.5). */
export class IssuesModel {
  constructor(
    private readonly s: Store,
    private readonly repos: ReposModel,
    private readonly labels: LabelsModel,
    private readonly events: DomainEvents = new DomainEvents()
  ) {}

  /** The issue `number` of `repo`; throws `NotFound`. */
  findIssue(repo: RepoRecord, number: number): IssueRecord {
    const issue = repo.issues[String(number)]
    if (!issue) throw new NotFound()
    return issue
  }

  /** Marks the issue as changed now (`updated_at`). */
  touch(issue: IssueRecord): void {
    issue.updated_at = this.s.timestamp()
  }

  /**
   * `issues/create` → the new issue. Labels are auto-created when missing; as on GitHub they
   * are silently dropped when the caller has no push access. Throws 422 for an empty title or
   * a body over `ISSUE_BODY_MAX_CHARS`.
   */
  create(caller: Caller | null, owner: string, name: string, input: CreateIssueInput) {
    const repo = this.repos.access(caller, owner, name, 'participate')
    checkTitle(input.title)
    checkBody(input.body)
    const labels =
      input.labels && canPush(caller, repo) ? this.labels.resolveOrCreate(repo, input.labels) : []
    const now = this.s.timestamp()
    const issue: IssueRecord = {
      id: this.s.nextId(),
      number: repo.next_issue_number++,
      title: input.title,
      body: input.body ?? null,
      state: 'open',
      state_reason: null,
      labels: labels.map((l) => l.id),
      user: caller!.user.login,
      created_at: now,
      updated_at: now,
      closed_at: null,
      closed_by: null,
      comments: 0,
      reactions: []
    }
    repo.issues[String(issue.number)] = issue
    const event = { name: 'issues', repo: fullName(repo), number: issue.number } as const
    const sender = caller!.user.login
    this.events.emit({ ...event, action: 'opened', sender })
    for (const label of issue.labels)
      this.events.emit({ ...event, action: 'labeled', sender, label })
    return { repo, issue }
  }

  /** `issues/get`: throws `NotFound` for an unknown number. */
  get(caller: Caller | null, owner: string, name: string, number: number) {
    const repo = this.repos.access(caller, owner, name, 'read')
    return { repo, issue: this.findIssue(repo, number) }
  }

  /**
   * `issues/list-for-repo`, unpaginated: `state` open (default) | closed | all; `labels` a
   * comma list, every one required, names case-insensitive; `since` keeps issues updated
   * strictly after it; `sort` created (default) | updated | comments; `direction` desc
   * (default) | asc; `creator` a login.
   */
  listForRepo(caller: Caller | null, owner: string, name: string, filter: ListIssuesFilter) {
    const repo = this.repos.access(caller, owner, name, 'read')
    const state = filter.state ?? 'open'
    const wanted = (filter.labels ?? '')
      .split(',')
      .map((l) => l.trim())
      .filter((l) => l !== '')
    const since = filter.since ? Date.parse(filter.since) : NaN
    let issues = Object.values(repo.issues).filter((i) => state === 'all' || i.state === state)
    if (wanted.length > 0) {
      issues = issues.filter((i) => {
        const names = i.labels.map((id) => labelById(repo, id)?.name ?? '')
        return wanted.every((w) => names.some((n) => sameName(n, w)))
      })
    }
    if (!Number.isNaN(since)) issues = issues.filter((i) => Date.parse(i.updated_at) > since)
    if (filter.creator) issues = issues.filter((i) => sameName(i.user, filter.creator!))
    const key = (i: IssueRecord): number =>
      filter.sort === 'updated'
        ? Date.parse(i.updated_at)
        : filter.sort === 'comments'
          ? i.comments
          : Date.parse(i.created_at)
    const sign = filter.direction === 'asc' ? 1 : -1
    // each key computed once, not once per comparison (a date parse each)
    const keyed = issues.map((i) => ({ i, k: key(i) }))
    keyed.sort((a, b) => sign * (a.k - b.k || a.i.number - b.i.number))
    return { repo, issues: keyed.map((e) => e.i) }
  }

  /**
   * `issues/update`. The author or anyone with push access may edit; labels (replacing the set)
   * need push access and are silently dropped otherwise. Closing sets `closed_at` and
   * `state_reason` (default `completed`); reopening sets `state_reason: "reopened"` (§3.5).
   * Throws 422 for an unknown `state`/`state_reason`, an empty title or an over-long body.
   */
  update(
    caller: Caller | null,
    owner: string,
    name: string,
    number: number,
    input: UpdateIssueInput
  ) {
    const repo = this.repos.access(caller, owner, name, 'participate')
    const issue = this.findIssue(repo, number)
    authorizeAuthorOrWrite(caller, repo, issue.user)
    const before = JSON.stringify(issue)
    const old = { title: issue.title, body: issue.body, state: issue.state, labels: issue.labels }
    if (input.title !== undefined) {
      checkTitle(input.title)
      issue.title = input.title
    }
    if (input.body !== undefined) {
      checkBody(input.body)
      issue.body = input.body
    }
    if (input.state !== undefined && input.state !== 'open' && input.state !== 'closed')
      throw new ValidationFailed([{ resource: 'Issue', code: 'invalid', field: 'state' }])
    const reason = input.state_reason
    if (reason !== undefined && reason !== null && ![...CLOSE_REASONS, 'reopened'].includes(reason))
      throw new ValidationFailed([{ resource: 'Issue', code: 'invalid', field: 'state_reason' }])
    if (input.state === 'closed' && issue.state === 'open') {
      issue.state = 'closed'
      issue.closed_at = this.s.timestamp()
      issue.closed_by = caller!.user.login
      issue.state_reason = reason && CLOSE_REASONS.includes(reason) ? reason : 'completed'
    } else if (input.state === 'open' && issue.state === 'closed') {
      issue.state = 'open'
      issue.closed_at = null
      issue.closed_by = null
      issue.state_reason = 'reopened'
    } else if (reason !== undefined && issue.state === 'closed' && reason !== 'reopened') {
      issue.state_reason = reason ?? 'completed'
    }
    if (input.labels !== undefined && canPush(caller, repo))
      issue.labels = this.labels.resolveOrCreate(repo, input.labels).map((l) => l.id)
    if (JSON.stringify(issue) !== before) this.touch(issue)
    this.emitUpdate(caller!.user.login, repo, issue, old)
    return { repo, issue }
  }

  /** Tells the event bus what an update changed: edited, closed / reopened, (un)labeled. */
  private emitUpdate(
    sender: string,
    repo: RepoRecord,
    issue: IssueRecord,
    old: Pick<IssueRecord, 'title' | 'body' | 'state' | 'labels'>
  ): void {
    const event = { name: 'issues', repo: fullName(repo), number: issue.number, sender } as const
    const changes: Record<string, unknown> = {}
    if (old.title !== issue.title) changes.title = { from: old.title }
    if (old.body !== issue.body) changes.body = { from: old.body ?? '' }
    if (Object.keys(changes).length > 0) this.events.emit({ ...event, action: 'edited', changes })
    if (old.state !== issue.state)
      this.events.emit({ ...event, action: issue.state === 'closed' ? 'closed' : 'reopened' })
    emitLabelChanges(this.events, event, old.labels, issue.labels)
  }
}

function checkTitle(title: string): void {
  if (title.trim() === '')
    throw new ValidationFailed([{ resource: 'Issue', code: 'missing_field', field: 'title' }])
}

function checkBody(body: string | null | undefined): void {
  if (typeof body === 'string' && body.length > ISSUE_BODY_MAX_CHARS)
    throw new ValidationFailed([
      {
        resource: 'Issue',
        code: 'custom',
        field: 'body',
        message: `body is too long (maximum is ${ISSUE_BODY_MAX_CHARS} characters)`
      }
    ])
}

/** `labeled` for each label in `now` not in `before`, `unlabeled` for each one gone. */
export function emitLabelChanges(
  events: DomainEvents,
  event: { name: 'issues'; repo: string; number: number; sender: string },
  before: number[],
  now: number[]
): void {
  for (const label of now)
    if (!before.includes(label)) events.emit({ ...event, action: 'labeled', label })
  for (const label of before)
    if (!now.includes(label)) events.emit({ ...event, action: 'unlabeled', label })
}
