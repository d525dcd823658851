import type { EmulatorContext } from '../context.js'
import { GraphqlNotFound } from '../errors.js'
import type { GitIdent, TreeEntry } from '../git/objects.js'
import type { ReactableNode } from '../models/nodes.js'
import type { RevisionObject } from '../models/revisions.js'
import type { Caller } from '../models/users.js'
import type { RateStatus } from '../rate-limit.js'
import type {
  CommentRecord,
  IssueRecord,
  ReactionRecord,
  RepoRecord,
  UserRecord
} from '../state.js'

/**
 * What the resolvers pass around: the per-request context, the resolver table types, and the
 * source objects each GraphQL type is resolved from (`__typename` names the type; interfaces
 * and unions resolve by it). Builders here turn model records into sources; lookups that
 * answer GitHub's NOT_FOUND live here too, so every resolver module words them alike.
 */

/** Per-request execution context. */
export interface GraphqlContext {
  ctx: EmulatorContext
  caller: Caller
  /** The emulator's origin as the client reached it (for `url` fields). */
  origin: string
  /** The caller's GraphQL bucket after this request was charged. */
  rate: RateStatus
  /** Points this request cost (`queryCost`, §12.5). */
  cost: number
  /** The most nodes the query can return (`queryCost`). */
  nodeCount?: number
}

/** Field arguments as graphql-js passes them (already coerced against the schema). */
export type Args = Record<string, unknown>
/** One field's resolver. */
export type Resolver<S> = (source: S, args: Args, context: GraphqlContext) => unknown
/** The resolvers of one type, by field name. */
export type Table<S> = Record<string, Resolver<S>>

export interface RepoSource {
  __typename: 'Repository'
  repo: RepoRecord
}
export interface GitSource {
  __typename: 'Blob' | 'Tree' | 'Commit' | 'Tag'
  repo: RepoRecord
  oid: string
  /** Path of this object inside the commit it was reached through (`''` = root), if known. */
  path?: string
}
export interface RefSource {
  __typename: 'Ref'
  repo: RepoRecord
  /** Full name, e.g. `refs/heads/main`. */
  ref: string
  oid: string
}
export interface EntrySource {
  __typename: 'TreeEntry'
  repo: RepoRecord
  entry: TreeEntry
  path: string
}
export interface UserSource {
  __typename: 'User' | 'Organization'
  user: UserRecord
}
export interface ActorSource {
  ident: GitIdent
}
export interface IssueSource {
  __typename: 'Issue'
  repo: RepoRecord
  issue: IssueRecord
}
export interface CommentSource {
  __typename: 'IssueComment'
  repo: RepoRecord
  comment: CommentRecord
}
export interface ReactionSource {
  __typename: 'Reaction'
  reaction: ReactionRecord
  subject: IssueSource | CommentSource
}

/** GitHub's NOT_FOUND for a repository the caller cannot see or that does not exist. */
export function repoNotFound(owner: string, name: string): GraphqlNotFound {
  return new GraphqlNotFound(`Could not resolve to a Repository with the name '${owner}/${name}'.`)
}

/** GitHub's NOT_FOUND for a global id that names nothing the caller can see. */
export function nodeNotFound(id: string): GraphqlNotFound {
  return new GraphqlNotFound(`Could not resolve to a node with the global id of '${id}'.`)
}

/** The repository if the caller can see it; GitHub answers the same NOT_FOUND otherwise. */
export function visibleRepo(context: GraphqlContext, owner: string, name: string): RepoRecord {
  const repo = context.ctx.models.repos.visible(context.caller, owner, name)
  if (!repo) throw repoNotFound(owner, name)
  return repo
}

export function repoSource(repo: RepoRecord): RepoSource {
  return { __typename: 'Repository', repo }
}

export function userSource(user: UserRecord): UserSource {
  return { __typename: user.type === 'Organization' ? 'Organization' : 'User', user }
}

/** The issue or comment behind a node as its GraphQL source. */
export function reactableSource(node: ReactableNode): IssueSource | CommentSource {
  return node.kind === 'Issue'
    ? { __typename: 'Issue', repo: node.repo, issue: node.issue }
    : { __typename: 'IssueComment', repo: node.repo, comment: node.comment }
}

/** The repository's web URL as the client reached the emulator. */
export function repoWeb(context: GraphqlContext, repo: RepoRecord): string {
  return `${context.origin}/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.name)}`
}

/** A git object of `repo` as its GraphQL type, or `null` when the repository lacks it. */
export async function gitObject(
  context: GraphqlContext,
  repo: RepoRecord,
  oid: string,
  path?: string
): Promise<GitSource | null> {
  return gitSource(repo, await context.ctx.models.revisions.object(repo, oid, path))
}

/** A model's revision object as a source (`null` stays `null`). */
export function gitSource(repo: RepoRecord, obj: RevisionObject | null): GitSource | null {
  if (!obj) return null
  return {
    __typename: obj.type,
    repo,
    oid: obj.oid,
    ...(obj.path === undefined ? {} : { path: obj.path })
  }
}
