import type { GraphQLFieldResolver, GraphQLResolveInfo, GraphQLTypeResolver } from 'graphql'
import { isoSeconds } from '../clock.js'
import { nodeId } from '../shapes/common.js'
import { blob, commit, gitActor, ref, repository, tag, tree, treeEntry } from './git-resolvers.js'
import { issue, issueComment, reaction } from './issue-resolvers.js'
import { ACTIVITY_RESOLVERS } from './activity-resolvers.js'
import { mutation } from './mutations.js'
import {
  nodeNotFound,
  reactableSource,
  repoSource,
  userSource,
  visibleRepo,
  type GraphqlContext,
  type Resolver,
  type Table,
  type UserSource
} from './sources.js'

export type { GraphqlContext } from './sources.js'

/**
 * Resolvers of the GraphQL subset the emulator serves (docs/github-behaviour.md §2.2–2.4): the
 * `repository` → `ref` / `object` / `defaultBranchRef` reads over the git store
 * (`git-resolvers.ts`), issues, comments and reactions (`issue-resolvers.ts`),
 * `createCommitOnBranch` and `addReaction` (`mutations.ts`), and here the root fields
 * `repository`, `viewer`, `rateLimit`, `node` and the account types. Sources and the context
 * are in `sources.ts`; every rule is in a model. One `fieldResolver` looks fields up in
 * `RESOLVERS` by parent type, then falls back to a plain property of the source object;
 * anything else is answered as not served.
 */

/** A field the emulator does not serve: answered as an error on that field. */
export class UnsupportedField extends Error {
  constructor(
    readonly typeName: string,
    readonly fieldName: string
  ) {
    super(`Field '${fieldName}' on type '${typeName}' is not served by the hubstore emulator`)
    this.name = 'UnsupportedField'
  }
}

const query: Table<unknown> = {
  repository: async (_s, args, context) => {
    const repo = visibleRepo(context, String(args.owner), String(args.name))
    await context.ctx.models.contents.ensure(repo)
    return repoSource(repo)
  },
  viewer: (_s, _a, context) => userSource(context.caller.user),
  rateLimit: (_s, _a, context) => ({
    limit: context.rate.limit,
    cost: context.cost,
    remaining: context.rate.remaining,
    used: context.rate.used,
    resetAt: isoSeconds(new Date(context.rate.reset * 1000)),
    nodeCount: context.nodeCount ?? 0
  }),
  node: (_s, args, context) => {
    const id = String(args.id)
    const node = context.ctx.models.nodes.visibleReactable(context.caller, id)
    if (!node) throw nodeNotFound(id)
    return reactableSource(node)
  }
}

const user: Table<UserSource> = {
  id: (s) => nodeId(s.user.type === 'Organization' ? 'Organization' : s.user.type, s.user.id),
  databaseId: (s) => s.user.id,
  login: (s) => s.user.login,
  name: () => null,
  url: (s, _a, context) => `${context.origin}/${encodeURIComponent(s.user.login)}`
}

/** Resolvers by parent type name, then field name. */
const RESOLVERS: Record<string, Table<never>> = {
  Query: query,
  Mutation: mutation,
  Repository: repository,
  Ref: ref,
  Commit: commit,
  Blob: blob,
  Tree: tree,
  Tag: tag,
  TreeEntry: treeEntry,
  GitActor: gitActor,
  User: user,
  Organization: user,
  Issue: issue,
  IssueComment: issueComment,
  Reaction: reaction
}

/**
 * The one field resolver: `RESOLVERS[parentType][field]`, else the source's own property
 * (payloads, `rateLimit`, connections), else `UnsupportedField`.
 */
export const fieldResolver: GraphQLFieldResolver<unknown, GraphqlContext> = (
  source,
  args,
  context,
  info: GraphQLResolveInfo
) => {
  const type = info.parentType.name
  const resolver = ACTIVITY_RESOLVERS[type]?.[info.fieldName] ?? RESOLVERS[type]?.[info.fieldName]
  if (resolver) return (resolver as Resolver<unknown>)(source, args, context)
  if (source !== null && typeof source === 'object' && info.fieldName in source)
    return (source as Record<string, unknown>)[info.fieldName]
  throw new UnsupportedField(info.parentType.name, info.fieldName)
}

/** Interfaces and unions (`GitObject`, `Reactable`, `Node`, `RepositoryOwner`) by `__typename`. */
export const typeResolver: GraphQLTypeResolver<unknown, GraphqlContext> = (value) =>
  value !== null && typeof value === 'object' && '__typename' in value
    ? String((value as { __typename: unknown }).__typename)
    : undefined
