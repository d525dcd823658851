import { NotFound, ValidationFailed } from '../errors.js'
import { COMMENT_BODY_MAX_CHARS } from '../limits.js'
import type { CommentRecord, RepoRecord, Store } from '../state.js'
import { DomainEvents } from '../events.js'
import { authorizeAuthorOrWrite, fullName } from './access.js'
import type { IssuesModel } from './issues.js'
import type { ReposModel } from './repos.js'
import type { Caller } from './users.js'

/** Query of `issues/list-comments-for-repo`. */
export interface ListRepoCommentsFilter {
  since?: string
  sort?: string
  direction?: string
}

/**
 * Issue comments (docs/github-behaviour.md §3.2). Creating, editing or deleting a comment bumps
 * the issue's `updated_at`; the issue's `comments` count follows.
 */
export class CommentsModel {
  constructor(
    private readonly s: Store,
    private readonly repos: ReposModel,
    private readonly issues: IssuesModel,
    private readonly events: DomainEvents = new DomainEvents()
  ) {}

  /** The comment `id` of `repo`; throws `NotFound`. */
  findComment(repo: RepoRecord, id: number): CommentRecord {
    const comment = repo.comments[String(id)]
    if (!comment) throw new NotFound()
    return comment
  }

  /** `issues/create-comment`: 422 for an empty body or one over `COMMENT_BODY_MAX_CHARS`. */
  createComment(caller: Caller | null, owner: string, name: string, number: number, body: string) {
    const repo = this.repos.access(caller, owner, name, 'participate')
    const issue = this.issues.findIssue(repo, number)
    checkBody(body)
    const now = this.s.timestamp()
    const comment: CommentRecord = {
      id: this.s.nextId(),
      issue_number: issue.number,
      body,
      user: caller!.user.login,
      created_at: now,
      updated_at: now,
      reactions: []
    }
    repo.comments[String(comment.id)] = comment
    issue.comments += 1
    this.issues.touch(issue)
    this.emit(repo, comment, 'created', caller!.user.login)
    return { repo, comment }
  }

  /** `issues/list-comments`: ascending by id; `since` keeps comments updated strictly after it. */
  listComments(caller: Caller | null, owner: string, name: string, number: number, since?: string) {
    const repo = this.repos.access(caller, owner, name, 'read')
    const issue = this.issues.findIssue(repo, number)
    const comments = Object.values(repo.comments).filter((c) => c.issue_number === issue.number)
    return { repo, comments: sinceFilter(comments, since).sort((a, b) => a.id - b.id) }
  }

  /**
   * `issues/list-comments-for-repo`: every comment of the repository; ascending by id unless
   * `sort` (created | updated) is given, then `direction` (default desc).
   */
  listCommentsForRepo(
    caller: Caller | null,
    owner: string,
    name: string,
    filter: ListRepoCommentsFilter
  ) {
    const repo = this.repos.access(caller, owner, name, 'read')
    const comments = sinceFilter(Object.values(repo.comments), filter.since)
    const field = filter.sort === 'updated' ? 'updated_at' : 'created_at'
    const sign = !filter.sort || filter.direction === 'asc' ? 1 : -1
    comments.sort((a, b) => sign * (Date.parse(a[field]) - Date.parse(b[field]) || a.id - b.id))
    return { repo, comments }
  }

  /** `issues/get-comment`. */
  getComment(caller: Caller | null, owner: string, name: string, id: number) {
    const repo = this.repos.access(caller, owner, name, 'read')
    return { repo, comment: this.findComment(repo, id) }
  }

  /** `issues/update-comment`: the author or push access; same 422s as create. */
  updateComment(caller: Caller | null, owner: string, name: string, id: number, body: string) {
    const repo = this.repos.access(caller, owner, name, 'participate')
    const comment = this.findComment(repo, id)
    authorizeAuthorOrWrite(caller, repo, comment.user)
    checkBody(body)
    const from = comment.body
    comment.body = body
    comment.updated_at = this.s.timestamp()
    this.issues.touch(this.issues.findIssue(repo, comment.issue_number))
    this.emit(repo, comment, 'edited', caller!.user.login, { changes: { body: { from } } })
    return { repo, comment }
  }

  /** `issues/delete-comment`: the author or push access. */
  deleteComment(caller: Caller | null, owner: string, name: string, id: number): void {
    const repo = this.repos.access(caller, owner, name, 'participate')
    const comment = this.findComment(repo, id)
    authorizeAuthorOrWrite(caller, repo, comment.user)
    delete repo.comments[String(id)]
    const issue = this.issues.findIssue(repo, comment.issue_number)
    issue.comments -= 1
    this.issues.touch(issue)
    this.emit(repo, comment, 'deleted', caller!.user.login, { record: { ...comment } })
  }

  private emit(
    repo: RepoRecord,
    comment: CommentRecord,
    action: 'created' | 'edited' | 'deleted',
    sender: string,
    extra: { changes?: Record<string, unknown>; record?: CommentRecord } = {}
  ): void {
    this.events.emit({
      name: 'issue_comment',
      action,
      repo: fullName(repo),
      number: comment.issue_number,
      commentId: comment.id,
      sender,
      ...extra
    })
  }
}

function sinceFilter(comments: CommentRecord[], since: string | undefined): CommentRecord[] {
  const t = since ? Date.parse(since) : NaN
  return Number.isNaN(t) ? comments : comments.filter((c) => Date.parse(c.updated_at) > t)
}

function checkBody(body: string): void {
  if (body.trim() === '')
    throw new ValidationFailed([{ resource: 'IssueComment', code: 'missing_field', field: 'body' }])
  if (body.length > COMMENT_BODY_MAX_CHARS)
    throw new ValidationFailed([
      {
        resource: 'IssueComment',
        code: 'custom',
        field: 'body',
        message: `body is too long (maximum is ${COMMENT_BODY_MAX_CHARS} characters)`
      }
    ])
}
