/**
 * Marking processed comments with reactions: one GraphQL request holding up to
 * `REACTIONS_PER_GRAPHQL_DOCUMENT` aliased `addReaction` mutations (so K comments cost
 * ⌈K / 50⌉ requests instead of K), with the REST endpoint (one request per comment) as the
 * fallback where GraphQL is unavailable.
 *
 * Order is part of processing's crash safety: `+1` marks must land in comment order, so the
 * comments left unmarked by an interrupted run are a suffix. GitHub executes the mutation fields
 * of one document serially, in document order (GraphQL spec, "Mutation operations"), so an
 * interrupted document has marked a prefix. A field that fails for a reason other than a deleted
 * comment is retried at once over REST, before the next document is sent.
 */
import { statusOf, toGitHubRequestError } from '../github/request.js'
import type { RepoContext } from '../github/context.js'
import { REACTIONS_PER_GRAPHQL_DOCUMENT } from './constants.js'
import type { ReactionContent } from './config.js'
import type { CommentLike } from './plan.js'

/** How reactions are written: GraphQL batches (default) or one REST request per comment. */
export type MarkingMode = 'graphql' | 'rest'

/** One reaction to add. */
export interface Mark {
  comment: Pick<CommentLike, 'id' | 'node_id'>
  content: ReactionContent
}

/** GraphQL `ReactionContent` for each REST reaction name (GitHub's eight). */
export const GRAPHQL_CONTENT: Record<ReactionContent, string> = {
  '+1': 'THUMBS_UP',
  '-1': 'THUMBS_DOWN',
  laugh: 'LAUGH',
  confused: 'CONFUSED',
  heart: 'HEART',
  hooray: 'HOORAY',
  rocket: 'ROCKET',
  eyes: 'EYES'
}

/**
 * The GraphQL document adding `marks` in order: `mutation MarkComments($s0: ID!, …) { r0:
 * addReaction(input: {subjectId: $s0, content: THUMBS_UP}) { reaction { content } } … }`.
 * Node ids travel as variables, never spliced into the text.
 */
export function reactionMutation(
  marks: ReadonlyArray<{ nodeId: string; content: Mark['content'] }>
): {
  query: string
  variables: Record<string, string>
} {
  const variables: Record<string, string> = {}
  const declarations: string[] = []
  const fields: string[] = []
  marks.forEach((mark, i) => {
    variables[`s${i}`] = mark.nodeId
    declarations.push(`$s${i}: ID!`)
    fields.push(
      `  r${i}: addReaction(input: {subjectId: $s${i}, content: ${GRAPHQL_CONTENT[mark.content]}}) { reaction { content } }`
    )
  })
  return {
    query: `mutation MarkComments(${declarations.join(', ')}) {\n${fields.join('\n')}\n}`,
    variables
  }
}

/**
 * Writes reactions for one processing run (or one sweep). Starts in `mode`; after GraphQL fails
 * as a whole (endpoint missing, document refused, HTTP error) it switches to REST for the rest of
 * its life, re-sending the failed batch over REST (adding an existing reaction is idempotent).
 */
export class ReactionWriter {
  #mode: MarkingMode
  /** transports used so far */
  readonly used = new Set<MarkingMode>()
  /** why GraphQL was abandoned, when it was */
  fallbackReason: string | undefined

  constructor(
    readonly ctx: RepoContext,
    mode: MarkingMode = 'graphql'
  ) {
    this.#mode = mode
  }

  get mode(): MarkingMode {
    return this.#mode
  }

  /**
   * Adds the reactions in order. Comments deleted meanwhile (404/410, GraphQL `NOT_FOUND`) are
   * skipped.
   *
   * @throws GitHubRequestError when a reaction cannot be added over REST either.
   */
  async mark(marks: readonly Mark[]): Promise<void> {
    if (marks.length === 0) return
    if (this.#mode === 'graphql' && marks.some((m) => !m.comment.node_id)) {
      // Without node ids there is nothing to address in GraphQL (older payloads): keep order over REST.
      await this.#rest(marks)
      return
    }
    for (let at = 0; at < marks.length; at += REACTIONS_PER_GRAPHQL_DOCUMENT) {
      const chunk = marks.slice(at, at + REACTIONS_PER_GRAPHQL_DOCUMENT)
      if (this.#mode === 'rest') await this.#rest(chunk)
      else await this.#graphql(chunk)
    }
  }

  async #graphql(chunk: readonly Mark[]): Promise<void> {
    this.used.add('graphql')
    const { query, variables } = reactionMutation(
      chunk.map((m) => ({ nodeId: m.comment.node_id as string, content: m.content }))
    )
    try {
      await this.ctx.octokit.graphql(query, variables)
      return
    } catch (error) {
      // Neither an HTTP answer nor a GraphQL one (a bug, an abort): not a reason to switch.
      if (
        statusOf(error) === undefined &&
        (error as { name?: string })?.name !== 'GraphqlResponseError'
      )
        throw error
      const failed = failedFields(error, chunk.length)
      if (failed === 'all') {
        this.#mode = 'rest'
        this.fallbackReason = describe(error)
        await this.#rest(chunk)
        return
      }
      // Some fields failed (not for a deleted comment): mark those over REST, still in order.
      await this.#rest(failed.map((i) => chunk[i]))
    }
  }

  async #rest(marks: readonly Mark[]): Promise<void> {
    if (marks.length > 0) this.used.add('rest')
    for (const { comment, content } of marks) {
      try {
        await this.ctx.octokit.rest.reactions.createForIssueComment({
          owner: this.ctx.owner,
          repo: this.ctx.repo,
          comment_id: comment.id,
          content
        })
      } catch (error) {
        const status = statusOf(error)
        if (status !== 404 && status !== 410)
          throw toGitHubRequestError(`react ${content} to comment ${comment.id}`, error)
      }
    }
  }
}

/**
 * Which fields of a failed `MarkComments` request need redoing: `all` when the request failed as
 * a whole (HTTP error, network, a document-level GraphQL error), else the indexes of fields that
 * failed for a reason other than `NOT_FOUND` (a deleted comment).
 */
export function failedFields(error: unknown, size: number): 'all' | number[] {
  const response = error as {
    name?: string
    errors?: Array<{ type?: string; path?: Array<string | number> }>
    data?: Record<string, unknown> | null
  }
  if (statusOf(error) !== undefined || response?.name !== 'GraphqlResponseError') return 'all'
  const errors = response.errors ?? []
  const fieldErrors = errors.filter((e) => typeof e.path?.[0] === 'string')
  if (fieldErrors.length < errors.length || !response.data) return 'all'
  const failed = new Set<number>()
  for (const e of fieldErrors) {
    const index = Number(String(e.path?.[0]).slice(1))
    if (!Number.isInteger(index) || index < 0 || index >= size) return 'all'
    if (e.type !== 'NOT_FOUND') failed.add(index)
  }
  return [...failed].sort((a, b) => a - b)
}

function describe(error: unknown): string {
  const status = statusOf(error)
  if (status !== undefined) return `POST /graphql answered ${status}`
  const errors = (error as { errors?: Array<{ message?: string }> })?.errors
  return errors?.[0]?.message ?? (error instanceof Error ? error.message : String(error))
}
