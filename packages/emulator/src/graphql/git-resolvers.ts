import { entryType } from '../git/objects.js'
import { fullName, tokenPermission } from '../models/access.js'
import { commitMessage, entryExtension, isBinary } from '../models/revisions.js'
import { gitNodeId, nodeId } from '../shapes/common.js'
import type { RepoRecord } from '../state.js'
import { connection } from './connection.js'
import {
  gitObject,
  gitSource,
  repoSource,
  repoWeb,
  userSource,
  type ActorSource,
  type EntrySource,
  type GitSource,
  type GraphqlContext,
  type RefSource,
  type RepoSource,
  type Table
} from './sources.js'

/**
 * Resolvers of the repository and its git data (docs/github-behaviour.md §2.2–2.4):
 * `Repository`, `Ref`, `Commit`, `Blob`, `Tree`, `Tag`, `TreeEntry`, `GitActor`. Each decodes
 * its arguments, asks `RevisionsModel` (or the repository, access and users models), and
 * encodes the answer as a source or a scalar.
 */

/** The ref named `qualifiedName` (full `refs/heads/x` first, then short names), or `null`. */
async function refSource(
  context: GraphqlContext,
  repo: RepoRecord,
  qualifiedName: string
): Promise<RefSource | null> {
  const found = await context.ctx.models.revisions.ref(repo, qualifiedName)
  return found ? { __typename: 'Ref', repo, ref: found.ref, oid: found.oid } : null
}

/** `Ref.prefix` and `Ref.name`: `refs/heads/` or `refs/tags/` (else `refs/`) and the rest. */
function refParts(full: string): { prefix: string; name: string } {
  const m = /^(refs\/(?:heads|tags)\/)(.+)$/.exec(full) ?? /^(refs\/)(.+)$/.exec(full)
  return m ? { prefix: m[1], name: m[2] } : { prefix: '', name: full }
}

function commitOf(context: GraphqlContext, s: GitSource) {
  return context.ctx.models.revisions.commit(s.repo, s.oid)
}

function blobOf(context: GraphqlContext, s: GitSource): Promise<Buffer> {
  return context.ctx.models.revisions.blob(s.repo, s.oid)
}

function commitWeb(context: GraphqlContext, s: GitSource): string {
  return `${repoWeb(context, s.repo)}/commit/${s.oid}`
}

export const repository: Table<RepoSource> = {
  id: ({ repo }) => nodeId('Repository', repo.id),
  databaseId: ({ repo }) => repo.id,
  name: ({ repo }) => repo.name,
  nameWithOwner: ({ repo }) => fullName(repo),
  owner: ({ repo }, _a, context) => {
    const user = context.ctx.models.users.find(repo.owner)
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
    const refs = await context.ctx.models.revisions.refs(repo, String(args.refPrefix), {
      query: typeof args.query === 'string' ? args.query : '',
      direction: typeof args.direction === 'string' ? args.direction : undefined
    })
    const items = refs.map((r): RefSource => ({ __typename: 'Ref', repo, ref: r.ref, oid: r.oid }))
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

export const ref: Table<RefSource> = {
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

export const commit: Table<GitSource> = {
  ...gitObjectFields('Commit'),
  url: (s, _a, context) => commitWeb(context, s),
  commitUrl: (s, _a, context) => commitWeb(context, s),
  resourcePath: (s) => `/${s.repo.owner}/${s.repo.name}/commit/${s.oid}`,
  commitResourcePath: (s) => `/${s.repo.owner}/${s.repo.name}/commit/${s.oid}`,
  message: async (s, _a, context) => commitMessage((await commitOf(context, s)).message).message,
  messageHeadline: async (s, _a, context) =>
    commitMessage((await commitOf(context, s)).message).headline,
  messageBody: async (s, _a, context) => commitMessage((await commitOf(context, s)).message).body,
  committedDate: async (s, _a, context) => (await commitOf(context, s)).committer.date,
  authoredDate: async (s, _a, context) => (await commitOf(context, s)).author.date,
  author: async (s, _a, context): Promise<ActorSource> => ({
    ident: (await commitOf(context, s)).author
  }),
  committer: async (s, _a, context): Promise<ActorSource> => ({
    ident: (await commitOf(context, s)).committer
  }),
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
    const path = typeof args.path === 'string' ? args.path : undefined
    const oids = await context.ctx.models.revisions.history(s.repo, s.oid, path)
    return connection(
      oids.map((oid): GitSource => ({ __typename: 'Commit', repo: s.repo, oid })),
      args,
      'history'
    )
  },
  file: async (s, args, context): Promise<EntrySource | null> => {
    const found = await context.ctx.models.revisions.file(s.repo, s.oid, String(args.path))
    return found ? { __typename: 'TreeEntry', repo: s.repo, ...found } : null
  }
}

export const blob: Table<GitSource> = {
  ...gitObjectFields('Blob'),
  byteSize: async (s, _a, context) => (await blobOf(context, s)).length,
  isBinary: async (s, _a, context) => isBinary(await blobOf(context, s)),
  isTruncated: () => false,
  text: async (s, _a, context) => {
    const bytes = await blobOf(context, s)
    return isBinary(bytes) ? null : bytes.toString('utf8')
  }
}

export const tree: Table<GitSource> = {
  ...gitObjectFields('Tree'),
  entries: async (s, _a, context): Promise<EntrySource[]> => {
    const entries = await context.ctx.models.revisions.treeEntries(s.repo, s.oid, s.path)
    return entries.map((e) => ({ __typename: 'TreeEntry', repo: s.repo, ...e }))
  }
}

export const tag: Table<GitSource> = { ...gitObjectFields('Tag') }

export const treeEntry: Table<EntrySource> = {
  name: (s) => s.entry.name,
  nameRaw: (s) => Buffer.from(s.entry.name).toString('base64'),
  path: (s) => s.path,
  pathRaw: (s) => Buffer.from(s.path).toString('base64'),
  oid: (s) => s.entry.sha,
  type: (s) => entryType(s.entry.mode),
  mode: (s) => parseInt(s.entry.mode, 8),
  extension: (s) => entryExtension(s.entry),
  isGenerated: () => false,
  size: (s, _a, context) => context.ctx.models.revisions.entrySize(s.repo, s.entry),
  lineCount: (s, _a, context) => context.ctx.models.revisions.entryLineCount(s.repo, s.entry),
  object: (s, _a, context) =>
    entryType(s.entry.mode) === 'commit' ? null : gitObject(context, s.repo, s.entry.sha, s.path),
  repository: (s) => repoSource(s.repo)
}

export const gitActor: Table<ActorSource> = {
  name: (s) => s.ident.name,
  email: (s) => s.ident.email,
  date: (s) => s.ident.date,
  user: (s, _a, context) => {
    const user = context.ctx.models.users.byCommitIdentity(s.ident)
    return user ? userSource(user) : null
  }
}
