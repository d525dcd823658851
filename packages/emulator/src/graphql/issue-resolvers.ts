import { nodeId } from '../shapes/common.js'
import type { ReactionContent, ReactionRecord } from '../state.js'
import { connection, type Connection } from './connection.js'
import {
  repoSource,
  repoWeb,
  userSource,
  type Args,
  type CommentSource,
  type GraphqlContext,
  type IssueSource,
  type ReactionSource,
  type Table
} from './sources.js'

/**
 * Resolvers of issues, issue comments and their reactions (docs/github-behaviour.md §3.3):
 * `Issue`, `IssueComment`, `Reaction`, read from the records the REST models keep, so the
 * reactions GraphQL shows are the ones REST created and the other way round.
 */

/** GraphQL `ReactionContent` ↔ REST reaction `content` (docs/github-behaviour.md §3.3). */
export const REACTION_ENUM: Record<string, ReactionContent> = {
  THUMBS_UP: '+1',
  THUMBS_DOWN: '-1',
  LAUGH: 'laugh',
  HOORAY: 'hooray',
  CONFUSED: 'confused',
  HEART: 'heart',
  ROCKET: 'rocket',
  EYES: 'eyes'
}

function reactionEnum(content: ReactionContent): string {
  return Object.entries(REACTION_ENUM).find(([, rest]) => rest === content)?.[0] ?? content
}

function issueUrl(context: GraphqlContext, s: IssueSource): string {
  return `${repoWeb(context, s.repo)}/issues/${s.issue.number}`
}

export const issue: Table<IssueSource> = {
  id: (s) => nodeId('Issue', s.issue.id),
  databaseId: (s) => s.issue.id,
  number: (s) => s.issue.number,
  title: (s) => s.issue.title,
  body: (s) => s.issue.body ?? '',
  url: (s, _a, context) => issueUrl(context, s),
  repository: (s) => repoSource(s.repo),
  reactions: (s, args) => reactionsConnection(s, s.issue.reactions, args)
}

export const issueComment: Table<CommentSource> = {
  id: (s) => nodeId('IssueComment', s.comment.id),
  databaseId: (s) => s.comment.id,
  body: (s) => s.comment.body,
  url: (s, _a, context) =>
    `${repoWeb(context, s.repo)}/issues/${s.comment.issue_number}#issuecomment-${s.comment.id}`,
  repository: (s) => repoSource(s.repo),
  reactions: (s, args) => reactionsConnection(s, s.comment.reactions, args)
}

/** `reactions(content:)` of an issue or comment as a connection, filtered by content. */
function reactionsConnection(
  subject: IssueSource | CommentSource,
  reactions: ReactionRecord[],
  args: Args
): Connection<ReactionSource> {
  const content = typeof args.content === 'string' ? REACTION_ENUM[args.content] : undefined
  const items = reactions
    .filter((r) => !content || r.content === content)
    .map((reaction): ReactionSource => ({ __typename: 'Reaction', reaction, subject }))
  return connection(items, args, 'reactions')
}

export const reaction: Table<ReactionSource> = {
  id: (s) => nodeId('Reaction', s.reaction.id),
  databaseId: (s) => s.reaction.id,
  content: (s) => reactionEnum(s.reaction.content),
  createdAt: (s) => s.reaction.created_at,
  reactable: (s) => s.subject,
  user: (s, _a, context) => {
    const found = context.ctx.models.users.find(s.reaction.user)
    return found ? userSource(found) : null
  }
}
