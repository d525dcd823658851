import { ApiError, GraphqlForbidden, GraphqlUnprocessable } from '../errors.js'
import type { ReactionRecord, RepoRecord } from '../state.js'
import { REACTION_ENUM } from './issue-resolvers.js'
import {
  nodeNotFound,
  reactableSource,
  repoNotFound,
  visibleRepo,
  type Args,
  type GitSource,
  type GraphqlContext,
  type ReactionSource,
  type RefSource,
  type Table
} from './sources.js'

/**
 * The mutations the emulator serves (docs/github-behaviour.md §2.2, §3.3): each decodes its
 * `input`, makes one model call that holds the rules, maps the model's REST error to GitHub's
 * GraphQL error and encodes the payload.
 */

/** Maps a model's REST error to GitHub's GraphQL error for `mutation` (camel-cased name). */
function mutationError(error: unknown, context: GraphqlContext, mutation: string): unknown {
  if (!(error instanceof ApiError)) return error
  if (error.status === 403) {
    if (context.caller.user.type === 'Bot')
      return new GraphqlForbidden('Resource not accessible by integration')
    const name = mutation.charAt(0).toUpperCase() + mutation.slice(1)
    return new GraphqlForbidden(
      `${context.caller.user.login} does not have the correct permissions to execute \`${name}\``
    )
  }
  if (error.status === 404 || error.status === 401) return null
  if (error.status === 422)
    return new GraphqlUnprocessable(error.errors?.[0]?.message ?? error.message)
  return error
}

function inputOf(args: Args): Record<string, unknown> {
  const input = args.input
  return input !== null && typeof input === 'object' ? (input as Record<string, unknown>) : {}
}

/**
 * `addReaction(input: {subjectId, content})`: the subject is an issue or issue comment by its
 * REST `node_id`; same rules as `POST …/reactions` (idempotent per user and content, rollups
 * updated). NOT_FOUND for an unknown or invisible subject, FORBIDDEN without permission.
 */
function addReaction(_source: unknown, args: Args, context: GraphqlContext) {
  const input = inputOf(args)
  const subjectId = String(input.subjectId)
  const node = context.ctx.models.nodes.reactable(subjectId)
  if (!node) throw nodeNotFound(subjectId)
  const target =
    node.kind === 'Issue' ? { issue_number: node.issue.number } : { comment_id: node.comment.id }
  const content = REACTION_ENUM[String(input.content)]
  let reaction: ReactionRecord
  try {
    reaction = context.ctx.models.reactions.create(
      context.caller,
      node.repo.owner,
      node.repo.name,
      target,
      content
    ).reaction
  } catch (error) {
    throw mutationError(error, context, 'addReaction') ?? nodeNotFound(subjectId)
  }
  const subject = reactableSource(node)
  return {
    clientMutationId: input.clientMutationId ?? null,
    reaction: { __typename: 'Reaction', reaction, subject } satisfies ReactionSource,
    subject
  }
}

/** The branch named by `CommittableBranch` (`{repositoryNameWithOwner, branchName}` or `{id}`). */
function committableBranch(
  context: GraphqlContext,
  branch: Record<string, unknown>
): { repo: RepoRecord; name: string } {
  if (typeof branch.id === 'string') {
    const found = context.ctx.models.nodes.branch(context.caller, branch.id)
    if (!found) throw nodeNotFound(branch.id)
    return found
  }
  const nameWithOwner = String(branch.repositoryNameWithOwner ?? '')
  const [owner = '', name = ''] = nameWithOwner.split('/')
  if (typeof branch.branchName !== 'string' || !owner || !name)
    throw new GraphqlUnprocessable(
      'A branch must be specified by either `id` or both `repositoryNameWithOwner` and `branchName`.'
    )
  return { repo: visibleRepo(context, owner, name), name: branch.branchName }
}

/**
 * `createCommitOnBranch`: decodes the input and calls `CommitsModel.createCommitOnBranch`,
 * which holds the rules (docs/github-behaviour.md §2.2).
 */
async function createCommitOnBranch(_source: unknown, args: Args, context: GraphqlContext) {
  const input = inputOf(args)
  const branch = (input.branch ?? {}) as Record<string, unknown>
  const { repo, name } = committableBranch(context, branch)
  const message = (input.message ?? {}) as { headline?: string; body?: string | null }
  const changes = (input.fileChanges ?? {}) as {
    additions?: Array<{ path: string; contents: string }> | null
    deletions?: Array<{ path: string }> | null
  }
  let result: { commitSha: string; ref: string }
  try {
    result = await context.ctx.models.commits.createCommitOnBranch(context.caller, repo, {
      branch: name,
      expectedHeadOid: String(input.expectedHeadOid),
      headline: String(message.headline ?? ''),
      body: message.body,
      additions: changes.additions ?? [],
      deletions: changes.deletions ?? []
    })
  } catch (error) {
    throw (
      mutationError(error, context, 'createCommitOnBranch') ?? repoNotFound(repo.owner, repo.name)
    )
  }
  return {
    clientMutationId: input.clientMutationId ?? null,
    commit: { __typename: 'Commit', repo, oid: result.commitSha } satisfies GitSource,
    ref: { __typename: 'Ref', repo, ref: result.ref, oid: result.commitSha } satisfies RefSource
  }
}

export const mutation: Table<unknown> = { addReaction, createCommitOnBranch }
