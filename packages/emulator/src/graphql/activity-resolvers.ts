import { GraphqlNotFound } from '../errors.js'
import { cleanPath } from '../models/revisions.js'
import { decodeNodeId, nodeId } from '../shapes/common.js'
import type { IssueRecord, PullRecord, RepoRecord, UserRecord } from '../state.js'
import { connection } from './connection.js'
import type { GraphqlContext } from './sources.js'

/**
 * Resolvers for bulk sync (docs/github-behaviour.md §12.5): `nodes(ids:)` and `node(id:)` over
 * repositories, pull requests, issues and comments; `Repository.pushedAt`, `updatedAt`,
 * `issues(first:, filterBy: {since:, states:}, orderBy:)`, `pullRequests(first:, states:,
 * orderBy:)`; `Commit.history(first:, since:, until:, after:)`; the `Issue` and `PullRequest`
 * fields a sync reads. `resolvers.ts` looks fields up here first.
 */

type Args = Record<string, unknown>
type Resolver<S> = (source: S, args: Args, context: GraphqlContext) => unknown
type Table<S> = Record<string, Resolver<S>>

interface RepoSource {
  __typename: 'Repository'
  repo: RepoRecord
}
interface IssueSource {
  __typename: 'Issue'
  repo: RepoRecord
  issue: IssueRecord
}
interface PullSource {
  __typename: 'PullRequest'
  repo: RepoRecord
  pull: PullRecord
}
interface CommitSource {
  __typename: 'Commit'
  repo: RepoRecord
  oid: string
}

function userSource(context: GraphqlContext, login: string) {
  const user: UserRecord | undefined = context.ctx.store.data.users[login.toLowerCase()]
  if (!user) return null
  return { __typename: user.type === 'Organization' ? 'Organization' : 'User', user }
}

function notFound(id: string): GraphqlNotFound {
  return new GraphqlNotFound(`Could not resolve to a node with the global id of '${id}'.`)
}

/** The object a node id names, if the caller can see its repository; else a NOT_FOUND error. */
function resolveNode(context: GraphqlContext, id: string): unknown {
  const { models, store } = context.ctx
  const decoded = decodeNodeId(id)
  if (decoded && /^\d+$/.test(decoded.rest)) {
    const n = Number(decoded.rest)
    if (decoded.type === 'Repository') {
      const repo = models.repos.visibleById(context.caller, n)
      if (repo) return { __typename: 'Repository', repo } satisfies RepoSource
      return notFound(id)
    }
    if (decoded.type === 'PullRequest')
      for (const repo of Object.values(store.data.repos)) {
        const pull = Object.values(repo.pulls ?? {}).find((p) => p.id === n)
        if (pull && models.repos.canSee(context.caller, repo))
          return { __typename: 'PullRequest', repo, pull } satisfies PullSource
      }
  }
  const node = models.nodes.visibleReactable(context.caller, id)
  if (!node) return notFound(id)
  return node.kind === 'Issue'
    ? { __typename: 'Issue', repo: node.repo, issue: node.issue }
    : { __typename: 'IssueComment', repo: node.repo, comment: node.comment }
}

/** `{field, direction}` of an `IssueOrder` / `PullRequestOrder` argument. */
function orderOf(args: Args): { field: string; direction: string } {
  const o = (args.orderBy ?? {}) as { field?: string; direction?: string }
  return { field: o.field ?? 'CREATED_AT', direction: o.direction ?? 'ASC' }
}

function sortBy<T>(items: T[], key: (t: T) => string | number, direction: string): T[] {
  const sorted = [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
  return direction === 'DESC' ? sorted.reverse() : sorted
}

function web(context: GraphqlContext, repo: RepoRecord): string {
  return `${context.origin}/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.name)}`
}

const query: Table<unknown> = {
  nodes: (_s, args, context) => (args.ids as string[]).map((id) => resolveNode(context, id)),
  node: (_s, args, context) => {
    const found = resolveNode(context, String(args.id))
    if (found instanceof Error) throw found
    return found
  }
}

const repository: Table<RepoSource> = {
  pushedAt: ({ repo }) => repo.pushed_at ?? repo.created_at,
  updatedAt: ({ repo }) => repo.updated_at ?? repo.created_at,
  issues: ({ repo }, args) => {
    const filter = (args.filterBy ?? {}) as { since?: string; states?: string[] }
    const states = (args.states as string[] | null | undefined) ?? filter.states ?? null
    const since = filter.since ? Date.parse(filter.since) : null
    const { field, direction } = orderOf(args)
    const items = Object.values(repo.issues)
      .filter((i) => !states || states.includes(i.state.toUpperCase()))
      .filter((i) => since === null || Date.parse(i.updated_at) >= since)
    const key = (i: IssueRecord) =>
      field === 'UPDATED_AT' ? i.updated_at : field === 'COMMENTS' ? i.comments : i.created_at
    const sorted = sortBy(items, key, direction).map((issue): IssueSource => ({
      __typename: 'Issue',
      repo,
      issue
    }))
    return connection(sorted, args, 'issues')
  },
  pullRequests: ({ repo }, args) => {
    const states = (args.states as string[] | null | undefined) ?? null
    const { field, direction } = orderOf(args)
    const items = Object.values(repo.pulls ?? {})
      .filter((p) => !states || states.includes(pullState(p)))
      .filter((p) => typeof args.headRefName !== 'string' || p.head === args.headRefName)
      .filter((p) => typeof args.baseRefName !== 'string' || p.base === args.baseRefName)
    const key = (p: PullRecord) => (field === 'UPDATED_AT' ? p.updated_at : p.created_at)
    const sorted = sortBy(items, key, direction).map((pull): PullSource => ({
      __typename: 'PullRequest',
      repo,
      pull
    }))
    return connection(sorted, args, 'pullRequests')
  }
}

const commit: Table<CommitSource> = {
  history: async (s, args, context) => {
    const git = context.ctx.git
    const path = typeof args.path === 'string' ? cleanPath(args.path) : undefined
    const since = typeof args.since === 'string' ? Date.parse(args.since) : null
    const until = typeof args.until === 'string' ? Date.parse(args.until) : null
    let oids = await git.log(s.repo.owner, s.repo.name, s.oid, { path })
    if (since !== null || until !== null) {
      const kept: string[] = []
      for (const oid of oids) {
        const c = await git.readCommit(s.repo.owner, s.repo.name, oid)
        const date = c ? Date.parse(c.committer.date) : NaN
        if ((since === null || date >= since) && (until === null || date <= until)) kept.push(oid)
      }
      oids = kept
    }
    return connection(
      oids.map((oid): CommitSource => ({ __typename: 'Commit', repo: s.repo, oid })),
      args,
      'history'
    )
  }
}

const issue: Table<IssueSource> = {
  state: (s) => s.issue.state.toUpperCase(),
  createdAt: (s) => s.issue.created_at,
  updatedAt: (s) => s.issue.updated_at,
  closedAt: (s) => s.issue.closed_at,
  closed: (s) => s.issue.state === 'closed',
  author: (s, _a, context) => userSource(context, s.issue.user)
}

function pullState(p: PullRecord): string {
  return p.merged_at ? 'MERGED' : p.state.toUpperCase()
}

const pullRequest: Table<PullSource> = {
  id: (s) => nodeId('PullRequest', s.pull.id),
  databaseId: (s) => s.pull.id,
  number: (s) => s.pull.number,
  title: (s) => s.pull.title,
  body: (s) => s.pull.body ?? '',
  state: (s) => pullState(s.pull),
  closed: (s) => s.pull.state === 'closed',
  merged: (s) => s.pull.merged_at !== null,
  isDraft: (s) => s.pull.draft,
  createdAt: (s) => s.pull.created_at,
  updatedAt: (s) => s.pull.updated_at,
  closedAt: (s) => s.pull.closed_at,
  mergedAt: (s) => s.pull.merged_at,
  url: (s, _a, context) => `${web(context, s.repo)}/pull/${s.pull.number}`,
  headRefName: (s) => s.pull.head,
  baseRefName: (s) => s.pull.base,
  headRefOid: (s) => s.pull.head_sha,
  mergeCommit: (s) =>
    s.pull.merge_commit_sha
      ? ({
          __typename: 'Commit',
          repo: s.repo,
          oid: s.pull.merge_commit_sha
        } satisfies CommitSource)
      : null,
  author: (s, _a, context) => userSource(context, s.pull.user),
  mergedBy: (s, _a, context) => (s.pull.merged_by ? userSource(context, s.pull.merged_by) : null),
  repository: (s) => ({ __typename: 'Repository', repo: s.repo }) satisfies RepoSource,
  permalink: (s, _a, context) => `${web(context, s.repo)}/pull/${s.pull.number}`,
  resourcePath: (s) => `/${s.repo.owner}/${s.repo.name}/pull/${s.pull.number}`,
  headRef: (s) => ({
    __typename: 'Ref',
    repo: s.repo,
    ref: `refs/heads/${s.pull.head}`,
    oid: s.pull.head_sha
  })
}

/** Resolvers by parent type, then field; consulted before `resolvers.ts`'s own table. */
export const ACTIVITY_RESOLVERS: Record<string, Table<never>> = {
  Query: query,
  Repository: repository,
  Commit: commit,
  Issue: issue,
  PullRequest: pullRequest
}
