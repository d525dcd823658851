/**
 * Which comments processing has already decided, read from reactions by trusted identities only
 * (docs/github-behaviour.md §3.7). Anyone who can read a public repository can react, so the
 * rollup counts on a listed comment (`reactions['+1']`, `reactions.confused`) prove nothing:
 * gh-store took any `+1` as "processed" (docs/gh-store-format.md §7.4 item 6). Here a mark counts
 * only when it was made by an identity allowed to process: one the `Authorizer` trusts (owner,
 * write collaborator, CODEOWNERS) or a GitHub App / Actions bot, which can react here only when
 * the repository granted it issue write access (§3.7). The processor's own identity is one of
 * these, because editing another user's issue body needs write access.
 *
 * The same marks serve processing (`pendingComments`) and history (`historyEntries`), so history
 * and point-in-time reads apply exactly the comments the processor applied.
 */
import type { RepoContext } from '../github/context.js'
import { statusOf, toGitHubRequestError } from '../github/request.js'
import type { Authorizer } from './authorization.js'
import { storeConfigOf, type ReactionContent } from './config.js'
import { PER_PAGE, REACTIONS } from './constants.js'
import { GRAPHQL_CONTENT } from './marking.js'
import { parseComment } from './envelope.js'
import type { CommentLike } from './plan.js'

/** What processing recorded on one comment, counting trusted reactions only. */
export interface CommentMarks {
  /** a trusted `+1`: the processor applied it */
  applied: boolean
  /** a trusted `confused`: the processor rejected it */
  rejected: boolean
}

/** The marks of a comment; {@link rollupMarks} or the map {@link readMarks} returns. */
export type MarksOf = (comment: CommentLike) => CommentMarks

/**
 * Marks from the rollup counts alone, trusting every reactor. Only for comment lists whose
 * reactions are known to come from trusted identities (pure planning in tests); processing and
 * history use {@link readMarks}.
 */
export const rollupMarks: MarksOf = (comment) => rollupMarksFor(REACTIONS.processed)(comment)

/** {@link rollupMarks} for a store whose processed reaction is `processed` (`config.yml`). */
export function rollupMarksFor(processed: ReactionContent): MarksOf {
  return (comment) => ({
    applied: (comment.reactions?.[processed] ?? 0) > 0,
    rejected: (comment.reactions?.confused ?? 0) > 0
  })
}

/** Comments in the order processing applies them: `created_at`, then id (gh-store §2.5). */
export function orderComments<T extends CommentLike>(comments: readonly T[]): T[] {
  return [...comments].sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id - b.id)
}

/** Reactor logins per comment id, `+1` and `confused`. */
interface Reactors {
  up: string[]
  down: string[]
}

/** Reactions per comment id looked up in one GraphQL document (100 comments, 2 connections each). */
const COMMENTS_PER_QUERY = 100

/**
 * The trusted marks of `comments`, as a lookup for {@link pendingComments} and
 * `historyEntries`. Comments whose rollup shows no `+1` and no `confused`, and initial-state
 * comments (never marked: judged by position and author instead), cost nothing and get no marks. For the others, who reacted is read with one GraphQL request per 100 such comments
 * (`node(id:)` aliases, `reactions(content: THUMBS_UP|CONFUSED, first: 100) { totalCount nodes
 * { user { login } } }`); a connection with more than 100 reactions, or with a reactor GraphQL
 * does not return as a `User` (a bot, a deleted account), is re-read over REST (`GET
 * /repos/{o}/{r}/issues/comments/{id}/reactions?content=…`, 1 request per 100 reactions). Where
 * GraphQL is unavailable as a whole, every such comment is read over REST (1 request per
 * content with reactions). Each reactor is then judged by `authorizer` (cached per run; the
 * owner costs nothing, another user 1 permission request, bots nothing), stopping at the first
 * trusted reactor.
 *
 * @throws GitHubRequestError when a REST read of reactions fails.
 */
export async function readMarks(
  ctx: RepoContext,
  comments: readonly CommentLike[],
  authorizer: Authorizer
): Promise<MarksOf> {
  const processed = storeConfigOf(ctx).reactions.processed
  const rollup = rollupMarksFor(processed)
  const reacted = comments.filter(
    (c) =>
      (rollup(c).applied || rollup(c).rejected) &&
      parseComment(c.body, c.created_at).kind !== 'initial_state'
  )
  const marks = new Map<number, CommentMarks>()
  for (let at = 0; at < reacted.length; at += COMMENTS_PER_QUERY) {
    const chunk = reacted.slice(at, at + COMMENTS_PER_QUERY)
    const reactors = await reactorsOf(ctx, chunk, processed)
    for (const comment of chunk) {
      const found = reactors.get(comment.id) ?? { up: [], down: [] }
      marks.set(comment.id, {
        applied: await anyTrusted(found.up, authorizer),
        rejected: await anyTrusted(found.down, authorizer)
      })
    }
  }
  return (comment) => marks.get(comment.id) ?? { applied: false, rejected: false }
}

async function anyTrusted(logins: readonly string[], authorizer: Authorizer): Promise<boolean> {
  for (const login of logins) {
    if (login.endsWith('[bot]')) return true
    if ((await authorizer.decide(login)).authorized) return true
  }
  return false
}

type Connection = { totalCount: number; nodes: Array<{ user: { login: string } | null }> }

/** Who reacted `+1` and `confused` to each comment of `chunk` (cost: see {@link readMarks}). */
async function reactorsOf(
  ctx: RepoContext,
  chunk: readonly CommentLike[],
  processed: ReactionContent
): Promise<Map<number, Reactors>> {
  const answer = chunk.every((c) => c.node_id)
    ? await queryReactors(ctx, chunk, processed)
    : undefined
  const result = new Map<number, Reactors>()
  for (const [i, comment] of chunk.entries()) {
    const node = answer?.[`c${i}`]
    if (answer && node === null) continue // deleted since the listing: nothing left to mark
    const counts = rollupMarksFor(processed)(comment)
    result.set(comment.id, {
      up: counts.applied ? await loginsOf(ctx, comment.id, processed, node?.up) : [],
      down: counts.rejected ? await loginsOf(ctx, comment.id, 'confused', node?.down) : []
    })
  }
  return result
}

/** The logins of a complete GraphQL connection; otherwise (missing, over 100, a non-`User`
 * reactor) the comment's reactions of that content read over REST. */
async function loginsOf(
  ctx: RepoContext,
  commentId: number,
  content: ReactionContent,
  connection: Connection | undefined
): Promise<string[]> {
  if (
    connection &&
    connection.totalCount <= connection.nodes.length &&
    connection.nodes.every((n) => n.user !== null)
  )
    return connection.nodes.map((n) => n.user!.login)
  return restReactors(ctx, commentId, content)
}

/**
 * One GraphQL request for the `+1` and `confused` reactors of `chunk`; `undefined` when GraphQL
 * failed as a whole (the caller then reads over REST). A comment deleted since the listing comes
 * back `null` (GitHub answers it with a `NOT_FOUND` field error beside the data).
 */
async function queryReactors(
  ctx: RepoContext,
  chunk: readonly CommentLike[],
  processed: ReactionContent
): Promise<Record<string, { up?: Connection; down?: Connection } | null> | undefined> {
  const connection = (content: string) =>
    `reactions(content: ${content}, first: 100) { totalCount nodes { user { login } } }`
  const fields = chunk.map(
    (_c, i) =>
      `  c${i}: node(id: $c${i}) { ... on IssueComment { up: ${connection(GRAPHQL_CONTENT[processed])} down: ${connection('CONFUSED')} } }`
  )
  const query = `query Reactors(${chunk.map((_c, i) => `$c${i}: ID!`).join(', ')}) {\n${fields.join('\n')}\n}`
  const variables = Object.fromEntries(chunk.map((c, i) => [`c${i}`, c.node_id as string]))
  try {
    return await ctx.octokit.graphql(query, variables)
  } catch (error) {
    const response = error as {
      name?: string
      errors?: Array<{ type?: string }>
      data?: Record<string, { up?: Connection; down?: Connection } | null> | null
    }
    if (
      response?.name === 'GraphqlResponseError' &&
      response.data &&
      (response.errors ?? []).every((e) => e.type === 'NOT_FOUND')
    )
      return response.data
    if (statusOf(error) === undefined && response?.name !== 'GraphqlResponseError') throw error
    return undefined
  }
}

async function restReactors(
  ctx: RepoContext,
  commentId: number,
  content: ReactionContent
): Promise<string[]> {
  const { octokit, owner, repo } = ctx
  try {
    const reactions = await octokit.paginate(octokit.rest.reactions.listForIssueComment, {
      owner,
      repo,
      comment_id: commentId,
      content,
      per_page: PER_PAGE
    })
    return reactions.flatMap((r) => (r.user ? [r.user.login] : []))
  } catch (error) {
    const status = statusOf(error)
    if (status === 404 || status === 410) return []
    throw toGitHubRequestError(`list the ${content} reactions of comment ${commentId}`, error)
  }
}
