import type { GraphQLFieldResolver, GraphQLResolveInfo, GraphQLTypeResolver } from 'graphql'
import { isoSeconds } from '../clock.js'
import type { EmulatorContext } from '../context.js'
import { ApiError, GraphqlForbidden, GraphqlNotFound, GraphqlUnprocessable } from '../errors.js'
import type { GitIdent, TreeEntry } from '../git/store.js'
import { fullName, tokenPermission } from '../models/access.js'
import { accountForIdent } from '../models/authors.js'
import { ACTIVITY_RESOLVERS } from './activity-resolvers.js'
import { connection, type Connection } from './connection.js'
import { cleanPath, type RevisionObject } from '../models/revisions.js'
import type { Caller } from '../models/users.js'
import type { RateStatus } from '../rate-limit.js'
import { gitNodeId, nodeId } from '../shapes/common.js'
import type {
  CommentRecord,
  IssueRecord,
  ReactionContent,
  ReactionRecord,
  RepoRecord,
  UserRecord
} from '../state.js'
import { decodeNodeId, findReactable, splitGitNodeRest, type ReactableNode } from './nodes.js'

/**
 * Resolvers of the GraphQL subset the emulator serves (docs/github-behaviour.md §2.2–2.4): the
 * `repository` → `ref` / `object` / `defaultBranchRef` reads over the git store,
 * `createCommitOnBranch` (exact-head compare-and-swap through `GitStore.commitFiles`),
 * `addReaction` (the REST reaction model, so rollups follow), `viewer`, `rateLimit`, `node`.
 * One `fieldResolver` looks fields up in `RESOLVERS` by parent type, then falls back to a
 * plain property of the source object; anything else is answered as not served.
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

type Args = Record<string, unknown>
type Resolver<S> = (source: S, args: Args, context: GraphqlContext) => unknown
type Table<S> = Record<string, Resolver<S>>

interface RepoSource {
  __typename: 'Repository'
  repo: RepoRecord
}
interface GitSource {
  __typename: 'Blob' | 'Tree' | 'Commit' | 'Tag'
  repo: RepoRecord
  oid: string
  /** Path of this object inside the commit it was reached through (`''` = root), if known. */
  path?: string
}
interface RefSource {
  __typename: 'Ref'
  repo: RepoRecord
  /** Full name, e.g. `refs/heads/main`. */
  ref: string
  oid: string
}
interface EntrySource {
  __typename: 'TreeEntry'
  repo: RepoRecord
  entry: TreeEntry
  path: string
}
interface UserSource {
  __typename: 'User' | 'Organization'
  user: UserRecord
}
interface ActorSource {
  ident: GitIdent
}
interface IssueSource {
  __typename: 'Issue'
  repo: RepoRecord
  issue: IssueRecord
}
interface CommentSource {
  __typename: 'IssueComment'
  repo: RepoRecord
  comment: CommentRecord
}
interface ReactionSource {
  __typename: 'Reaction'
  reaction: ReactionRecord
  subject: IssueSource | CommentSource
}
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

// ---------------------------------------------------------------------------------------------
// lookups

function repoNotFound(owner: string, name: string): GraphqlNotFound {
  return new GraphqlNotFound(`Could not resolve to a Repository with the name '${owner}/${name}'.`)
}

function nodeNotFound(id: string): GraphqlNotFound {
  return new GraphqlNotFound(`Could not resolve to a node with the global id of '${id}'.`)
}

/** The repository if the caller can see it; GitHub answers the same NOT_FOUND otherwise. */
function visibleRepo(context: GraphqlContext, owner: string, name: string): RepoRecord {
  const repo = context.ctx.models.repos.visible(context.caller, owner, name)
  if (!repo) throw repoNotFound(owner, name)
  return repo
}

function repoSource(repo: RepoRecord): RepoSource {
  return { __typename: 'Repository', repo }
}

function userSource(user: UserRecord): UserSource {
  return { __typename: user.type === 'Organization' ? 'Organization' : 'User', user }
}

function repoWeb(context: GraphqlContext, repo: RepoRecord): string {
  return `${context.origin}/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.name)}`
}

/** A git object of `repo` as its GraphQL type, or `null` when the repository lacks it. */
async function gitObject(
  context: GraphqlContext,
  repo: RepoRecord,
  oid: string,
  path?: string
): Promise<GitSource | null> {
  return gitSource(repo, await context.ctx.models.revisions.object(repo, oid, path))
}

function gitSource(repo: RepoRecord, obj: RevisionObject | null): GitSource | null {
  if (!obj) return null
  return {
    __typename: obj.type,
    repo,
    oid: obj.oid,
    ...(obj.path === undefined ? {} : { path: obj.path })
  }
}

/** The ref named `qualifiedName` (full `refs/heads/x` first, then short names), or `null`. */
async function refSource(
  context: GraphqlContext,
  repo: RepoRecord,
  qualifiedName: string
): Promise<RefSource | null> {
  const found = await context.ctx.models.revisions.ref(repo, qualifiedName)
  return found ? { __typename: 'Ref', repo, ref: found.ref, oid: found.oid } : null
}

function refParts(full: string): { prefix: string; name: string } {
  const m = /^(refs\/(?:heads|tags)\/)(.+)$/.exec(full) ?? /^(refs\/)(.+)$/.exec(full)
  return m ? { prefix: m[1], name: m[2] } : { prefix: '', name: full }
}

async function commitOf(context: GraphqlContext, source: GitSource) {
  const commit = await context.ctx.git.readCommit(source.repo.owner, source.repo.name, source.oid)
  if (!commit)
    throw new GraphqlNotFound(`Could not resolve to a Commit with the oid '${source.oid}'.`)
  return commit
}

async function blobOf(context: GraphqlContext, source: GitSource): Promise<Buffer> {
  const blob = await context.ctx.git.readBlob(source.repo.owner, source.repo.name, source.oid)
  if (!blob) throw new GraphqlNotFound(`Could not resolve to a Blob with the oid '${source.oid}'.`)
  return blob
}

/** Git's binary heuristic: a NUL byte in the first 8000 bytes. */
function isBinary(bytes: Buffer): boolean {
  return bytes.subarray(0, 8000).includes(0)
}

/** The user a commit identity belongs to, by e-mail (`accountForIdent`). */
function identUser(context: GraphqlContext, ident: GitIdent): UserSource | null {
  const user = accountForIdent(context.ctx.store, ident)
  return user ? userSource(user) : null
}

// ---------------------------------------------------------------------------------------------
// connections

// ---------------------------------------------------------------------------------------------
// mutations

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
  const node = findReactable(context.ctx.store.data, subjectId)
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

function reactableSource(node: ReactableNode): IssueSource | CommentSource {
  return node.kind === 'Issue'
    ? { __typename: 'Issue', repo: node.repo, issue: node.issue }
    : { __typename: 'IssueComment', repo: node.repo, comment: node.comment }
}

/** The branch named by `CommittableBranch` (`{repositoryNameWithOwner, branchName}` or `{id}`). */
function committableBranch(
  context: GraphqlContext,
  branch: Record<string, unknown>
): { repo: RepoRecord; name: string } {
  if (typeof branch.id === 'string') {
    const decoded = decodeNodeId(branch.id)
    const parts = decoded?.type === 'Ref' ? splitGitNodeRest(decoded.rest) : null
    const repo = parts ? context.ctx.models.repos.visibleById(context.caller, parts.repoId) : null
    if (!parts || !repo) throw nodeNotFound(branch.id)
    return { repo, name: parts.key.replace(/^refs\/heads\//, '') }
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

// ---------------------------------------------------------------------------------------------
// the resolver table

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
    const node = findReactable(context.ctx.store.data, id)
    if (!node || !context.ctx.models.repos.canSee(context.caller, node.repo)) throw nodeNotFound(id)
    return reactableSource(node)
  }
}

const mutation: Table<unknown> = { addReaction, createCommitOnBranch }

const repository: Table<RepoSource> = {
  id: ({ repo }) => nodeId('Repository', repo.id),
  databaseId: ({ repo }) => repo.id,
  name: ({ repo }) => repo.name,
  nameWithOwner: ({ repo }) => fullName(repo),
  owner: ({ repo }, _a, context) => {
    const user = context.ctx.store.data.users[repo.owner.toLowerCase()]
    return userSource(user ?? { id: 0, login: repo.owner, type: repo.owner_type })
  },
  isPrivate: ({ repo }) => repo.private,
  visibility: ({ repo }) => (repo.private ? 'PRIVATE' : 'PUBLIC'),
  description: () => null,
  createdAt: ({ repo }) => repo.created_at,
  url: ({ repo }, _a, context) => repoWeb(context, repo),
  viewerPermission: ({ repo }, _a, context) => {
    const level = tokenPermission(context.caller, repo)
    return level === 'none' ? null : level.toUpperCase()
  },
  defaultBranchRef: ({ repo }, _a, context) =>
    refSource(context, repo, `refs/heads/${repo.default_branch}`),
  ref: ({ repo }, args, context) => refSource(context, repo, String(args.qualifiedName)),
  refs: async ({ repo }, args, context) => {
    const prefix = String(args.refPrefix)
    const refs = await context.ctx.git.listRefs(repo.owner, repo.name, prefix)
    const query = typeof args.query === 'string' ? args.query : ''
    const items = refs
      .filter((r) => r.ref.slice(prefix.length).includes(query))
      .map((r): RefSource => ({ __typename: 'Ref', repo, ref: r.ref, oid: r.sha }))
    if (args.direction === 'DESC') items.reverse()
    return connection(items, args, 'refs')
  },
  object: ({ repo }, args, context) => {
    if (typeof args.oid === 'string') return gitObject(context, repo, args.oid)
    if (typeof args.expression === 'string')
      return context.ctx.models.revisions
        .objectAt(repo, args.expression)
        .then((obj) => gitSource(repo, obj))
    return null
  }
}

const ref: Table<RefSource> = {
  id: (s) => gitNodeId('Ref', s.repo.id, s.ref),
  name: (s) => refParts(s.ref).name,
  prefix: (s) => refParts(s.ref).prefix,
  target: (s, _a, context) => gitObject(context, s.repo, s.oid),
  repository: (s) => repoSource(s.repo)
}

/** Fields every git object type shares (`GitObject`). */
function gitObjectFields(type: string): Table<GitSource> {
  return {
    id: (s) => gitNodeId(type, s.repo.id, s.oid),
    oid: (s) => s.oid,
    abbreviatedOid: (s) => s.oid.slice(0, 7),
    repository: (s) => repoSource(s.repo)
  }
}

function commitWeb(context: GraphqlContext, s: GitSource): string {
  return `${repoWeb(context, s.repo)}/commit/${s.oid}`
}

const commit: Table<GitSource> = {
  ...gitObjectFields('Commit'),
  url: (s, _a, context) => commitWeb(context, s),
  commitUrl: (s, _a, context) => commitWeb(context, s),
  resourcePath: (s) => `/${s.repo.owner}/${s.repo.name}/commit/${s.oid}`,
  commitResourcePath: (s) => `/${s.repo.owner}/${s.repo.name}/commit/${s.oid}`,
  message: async (s, _a, context) => (await commitOf(context, s)).message.replace(/\n$/, ''),
  messageHeadline: async (s, _a, context) =>
    (await commitOf(context, s)).message.split('\n')[0] ?? '',
  messageBody: async (s, _a, context) => {
    const lines = (await commitOf(context, s)).message.replace(/\n$/, '').split('\n')
    return lines.slice(1).join('\n').replace(/^\n+/, '')
  },
  committedDate: async (s, _a, context) => (await commitOf(context, s)).committer.date,
  authoredDate: async (s, _a, context) => (await commitOf(context, s)).author.date,
  author: async (s, _a, context) => ({ ident: (await commitOf(context, s)).author }),
  committer: async (s, _a, context) => ({ ident: (await commitOf(context, s)).committer }),
  tree: async (s, _a, context): Promise<GitSource> => ({
    __typename: 'Tree',
    repo: s.repo,
    oid: (await commitOf(context, s)).tree,
    path: ''
  }),
  treeUrl: async (s, _a, context) =>
    `${repoWeb(context, s.repo)}/tree/${(await commitOf(context, s)).tree}`,
  parents: async (s, args, context) => {
    const parents = (await commitOf(context, s)).parents
    return connection(
      parents.map((oid): GitSource => ({ __typename: 'Commit', repo: s.repo, oid })),
      args,
      'parents'
    )
  },
  history: async (s, args, context) => {
    const path = typeof args.path === 'string' ? cleanPath(args.path) : undefined
    const oids = await context.ctx.git.log(s.repo.owner, s.repo.name, s.oid, { path })
    return connection(
      oids.map((oid): GitSource => ({ __typename: 'Commit', repo: s.repo, oid })),
      args,
      'history'
    )
  },
  file: async (s, args, context): Promise<EntrySource | null> => {
    const path = cleanPath(String(args.path))
    if (path === '') return null
    const found = await context.ctx.git.readPath(s.repo.owner, s.repo.name, s.oid, path)
    if (!found) return null
    return {
      __typename: 'TreeEntry',
      repo: s.repo,
      entry: { name: path.split('/').pop()!, mode: found.mode, sha: found.sha },
      path
    }
  }
}

const blob: Table<GitSource> = {
  ...gitObjectFields('Blob'),
  byteSize: async (s, _a, context) => (await blobOf(context, s)).length,
  isBinary: async (s, _a, context) => isBinary(await blobOf(context, s)),
  isTruncated: () => false,
  text: async (s, _a, context) => {
    const bytes = await blobOf(context, s)
    return isBinary(bytes) ? null : bytes.toString('utf8')
  }
}

const tree: Table<GitSource> = {
  ...gitObjectFields('Tree'),
  entries: async (s, _a, context): Promise<EntrySource[]> => {
    const entries = await context.ctx.git.readTree(s.repo.owner, s.repo.name, s.oid)
    if (!entries) throw new GraphqlNotFound(`Could not resolve to a Tree with the oid '${s.oid}'.`)
    const prefix = s.path ? `${s.path}/` : ''
    return entries.map((entry) => ({
      __typename: 'TreeEntry',
      repo: s.repo,
      entry,
      path: prefix + entry.name
    }))
  }
}

const tag: Table<GitSource> = { ...gitObjectFields('Tag') }

function entryKind(mode: string): 'blob' | 'tree' | 'commit' {
  const m = mode.replace(/^0+/, '')
  return m === '40000' ? 'tree' : m === '160000' ? 'commit' : 'blob'
}

const treeEntry: Table<EntrySource> = {
  name: (s) => s.entry.name,
  nameRaw: (s) => Buffer.from(s.entry.name).toString('base64'),
  path: (s) => s.path,
  pathRaw: (s) => Buffer.from(s.path).toString('base64'),
  oid: (s) => s.entry.sha,
  type: (s) => entryKind(s.entry.mode),
  mode: (s) => parseInt(s.entry.mode, 8),
  extension: (s) => {
    const dot = s.entry.name.lastIndexOf('.')
    return entryKind(s.entry.mode) === 'blob' && dot > 0 ? s.entry.name.slice(dot) : null
  },
  isGenerated: () => false,
  size: async (s, _a, context) =>
    entryKind(s.entry.mode) === 'blob'
      ? ((await context.ctx.git.readBlob(s.repo.owner, s.repo.name, s.entry.sha))?.length ?? 0)
      : 0,
  lineCount: async (s, _a, context) => {
    if (entryKind(s.entry.mode) !== 'blob') return null
    const bytes = await context.ctx.git.readBlob(s.repo.owner, s.repo.name, s.entry.sha)
    if (!bytes || isBinary(bytes)) return null
    const text = bytes.toString('utf8')
    return text === '' ? 0 : text.replace(/\n$/, '').split('\n').length
  },
  object: (s, _a, context) =>
    entryKind(s.entry.mode) === 'commit' ? null : gitObject(context, s.repo, s.entry.sha, s.path),
  repository: (s) => repoSource(s.repo)
}

const gitActor: Table<ActorSource> = {
  name: (s) => s.ident.name,
  email: (s) => s.ident.email,
  date: (s) => s.ident.date,
  user: (s, _a, context) => identUser(context, s.ident)
}

const user: Table<UserSource> = {
  id: (s) => nodeId(s.user.type === 'Organization' ? 'Organization' : s.user.type, s.user.id),
  databaseId: (s) => s.user.id,
  login: (s) => s.user.login,
  name: () => null,
  url: (s, _a, context) => `${context.origin}/${encodeURIComponent(s.user.login)}`
}

function issueUrl(context: GraphqlContext, s: IssueSource): string {
  return `${repoWeb(context, s.repo)}/issues/${s.issue.number}`
}

const issue: Table<IssueSource> = {
  id: (s) => nodeId('Issue', s.issue.id),
  databaseId: (s) => s.issue.id,
  number: (s) => s.issue.number,
  title: (s) => s.issue.title,
  body: (s) => s.issue.body ?? '',
  url: (s, _a, context) => issueUrl(context, s),
  repository: (s) => repoSource(s.repo),
  reactions: (s, args) => reactionsConnection(s, s.issue.reactions, args)
}

const issueComment: Table<CommentSource> = {
  id: (s) => nodeId('IssueComment', s.comment.id),
  databaseId: (s) => s.comment.id,
  body: (s) => s.comment.body,
  url: (s, _a, context) =>
    `${repoWeb(context, s.repo)}/issues/${s.comment.issue_number}#issuecomment-${s.comment.id}`,
  repository: (s) => repoSource(s.repo),
  reactions: (s, args) => reactionsConnection(s, s.comment.reactions, args)
}

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

const reaction: Table<ReactionSource> = {
  id: (s) => nodeId('Reaction', s.reaction.id),
  databaseId: (s) => s.reaction.id,
  content: (s) => reactionEnum(s.reaction.content),
  createdAt: (s) => s.reaction.created_at,
  reactable: (s) => s.subject,
  user: (s, _a, context) => {
    const found = context.ctx.store.data.users[s.reaction.user.toLowerCase()]
    return found ? userSource(found) : null
  }
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
