import { NotFound, ValidationFailed } from '../errors.js'
import {
  REACTION_CONTENTS,
  type ReactionContent,
  type ReactionRecord,
  type RepoRecord,
  type Store
} from '../state.js'
import { authorizeAuthorOrWrite } from './access.js'
import type { CommentsModel } from './comments.js'
import type { IssuesModel } from './issues.js'
import type { ReposModel } from './repos.js'
import { sameName, type Caller } from './users.js'

/** What a reaction hangs on: an issue (by number) or an issue comment (by id). */
export type ReactionTarget = { issue_number: number } | { comment_id: number }

/**
 * Reactions on issues and issue comments (docs/github-behaviour.md §3.3, §8 item 13): create
 * answers 201 for a new reaction and 200 with the same reaction when this user already gave
 * this content; 422 for content outside `REACTION_CONTENTS`; delete by id. Reactions do not
 * change the parent's `updated_at`.
 */
export class ReactionsModel {
  constructor(
    private readonly s: Store,
    private readonly repos: ReposModel,
    private readonly issues: IssuesModel,
    private readonly comments: CommentsModel
  ) {}

  /** `reactions/create-for-issue` / `reactions/create-for-issue-comment`. */
  create(
    caller: Caller | null,
    owner: string,
    name: string,
    target: ReactionTarget,
    content: string
  ): { repo: RepoRecord; reaction: ReactionRecord; created: boolean } {
    const repo = this.repos.access(caller, owner, name, 'participate')
    const list = this.reactionsOf(repo, target)
    if (!(REACTION_CONTENTS as readonly string[]).includes(content))
      throw new ValidationFailed([{ resource: 'Reaction', code: 'invalid', field: 'content' }])
    const login = caller!.user.login
    const existing = list.find((r) => r.content === content && sameName(r.user, login))
    if (existing) return { repo, reaction: existing, created: false }
    const reaction: ReactionRecord = {
      id: this.s.nextId(),
      content: content as ReactionContent,
      user: login,
      created_at: this.s.timestamp()
    }
    list.push(reaction)
    return { repo, reaction, created: true }
  }

  /** `reactions/list-for-issue` / `reactions/list-for-issue-comment`, optionally by content. */
  list(
    caller: Caller | null,
    owner: string,
    name: string,
    target: ReactionTarget,
    content?: string
  ) {
    const repo = this.repos.access(caller, owner, name, 'read')
    const list = this.reactionsOf(repo, target)
    return { repo, reactions: content ? list.filter((r) => r.content === content) : [...list] }
  }

  /** `reactions/delete-for-issue` / `…-for-issue-comment`: own reaction, or push access. */
  delete(
    caller: Caller | null,
    owner: string,
    name: string,
    target: ReactionTarget,
    reactionId: number
  ): void {
    const repo = this.repos.access(caller, owner, name, 'participate')
    const list = this.reactionsOf(repo, target)
    const index = list.findIndex((r) => r.id === reactionId)
    if (index < 0) throw new NotFound()
    authorizeAuthorOrWrite(caller, repo, list[index].user)
    list.splice(index, 1)
  }

  private reactionsOf(repo: RepoRecord, target: ReactionTarget): ReactionRecord[] {
    return 'issue_number' in target
      ? this.issues.findIssue(repo, target.issue_number).reactions
      : this.comments.findComment(repo, target.comment_id).reactions
  }
}
