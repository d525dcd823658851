/**
 * Change detection for the periodic sweep: one GraphQL query per ≤ 100 repositories asks each
 * for `pushedAt`, the default branch's head oid and the newest issue and pull request
 * `updatedAt` (docs/activity-sweeps.md §2). By GitHub's formula each repository's two
 * connections (`first: 1`) are two requests, so 100 repositories cost 200 requests = 2 points,
 * and 1,000 repositories 20 points (docs/github-behaviour.md §12.5). `compareWithRow` then says
 * which stored repositories changed.
 */
import type { HubstoreOctokit } from '../github/client.js'
import { callGitHub } from '../github/request.js'
import { GitHubRequestError } from '../errors/github.js'
import { ChangeQueryRefusedError } from '../errors/activity-sync.js'
import type { RepositoryRow } from './types.js'

/** GraphQL error types that mean "not for this client" rather than a bad query. */
export const GRAPHQL_REFUSALS: ReadonlySet<string> = new Set([
  'RATE_LIMITED',
  'FORBIDDEN',
  'INSUFFICIENT_SCOPES'
])

/** Most repositories asked about in one query (GitHub's `first` bound is 100 too). */
export const REPOSITORIES_PER_QUERY = 100

/** What a repository looks like now, as the change query answered. */
export interface RepositoryState {
  /** REST `node_id` (GraphQL `id`) */
  nodeId: string
  databaseId: number
  fullName: string
  pushedAt: string | null
  defaultBranch: string | null
  headSha: string | null
  /** Newest `updatedAt` of its issues and of its pull requests, whichever is later. */
  issuesUpdatedAt: string | null
}

/** Who to ask about: a stored node id (rename-proof) or, for a new repository, its name. */
export type RepositoryKey = { nodeId: string } | { fullName: string }

/** The answer for one query: the states found, the keys GitHub could not resolve, the cost. */
export interface ChangeQueryResult {
  found: Map<string, RepositoryState>
  /** keys (node id or full name) that resolved to nothing: deleted, renamed away, or hidden */
  missing: string[]
  /** `rateLimit.cost` of the query, points */
  cost: number
}

const FIELDS = `fragment State on Repository {
  id databaseId nameWithOwner pushedAt
  defaultBranchRef { name target { oid } }
  issues(first: 1, orderBy: { field: UPDATED_AT, direction: DESC }) { nodes { updatedAt } }
  pullRequests(first: 1, orderBy: { field: UPDATED_AT, direction: DESC }) { nodes { updatedAt } }
}`

interface StateNode {
  id: string
  databaseId: number
  nameWithOwner: string
  pushedAt: string | null
  defaultBranchRef: { name: string; target: { oid: string } | null } | null
  issues: { nodes: Array<{ updatedAt: string }> }
  pullRequests: { nodes: Array<{ updatedAt: string }> }
}

function keyOf(key: RepositoryKey): string {
  return 'nodeId' in key ? key.nodeId : key.fullName
}

/** The change query for `keys` (≤ 100), with aliases `r0…`, as a document and its variables. */
export function changeQuery(keys: readonly RepositoryKey[]): {
  query: string
  variables: Record<string, string>
} {
  if (keys.length === 0 || keys.length > REPOSITORIES_PER_QUERY)
    throw new RangeError(
      `1 to ${REPOSITORIES_PER_QUERY} repositories per query, got ${keys.length}`
    )
  const variables: Record<string, string> = {}
  const declared: string[] = []
  const aliases = keys.map((key, i) => {
    if ('nodeId' in key) {
      variables[`id${i}`] = key.nodeId
      declared.push(`$id${i}: ID!`)
      return `r${i}: node(id: $id${i}) { ...State }`
    }
    const [owner, name] = key.fullName.split('/')
    variables[`o${i}`] = owner ?? ''
    variables[`n${i}`] = name ?? ''
    declared.push(`$o${i}: String!`, `$n${i}: String!`)
    return `r${i}: repository(owner: $o${i}, name: $n${i}) { ...State }`
  })
  const query = `query Changes(${declared.join(', ')}) {\n${aliases.join('\n')}\nrateLimit { cost remaining limit resetAt }\n}\n${FIELDS}`
  return { query, variables }
}

function newest(a: string | undefined, b: string | undefined): string | null {
  if (!a) return b ?? null
  if (!b) return a
  return Date.parse(a) >= Date.parse(b) ? a : b
}

/**
 * Asks GitHub about `keys` (≤ 100) in one GraphQL query. A key GitHub cannot resolve (GraphQL
 * `NOT_FOUND`, the alias `null`) is listed in `missing`; other GraphQL errors throw.
 * @throws ChangeQueryRefusedError (`CHANGE_QUERY_REFUSED`) for a GraphQL `RATE_LIMITED`,
 *   `FORBIDDEN` or `INSUFFICIENT_SCOPES` error
 * @throws GitHubRequestError / RateLimitedError (src/github/request.ts), BudgetReserveError
 *   from the governor when attached
 */
export async function queryChanges(
  octokit: HubstoreOctokit,
  keys: readonly RepositoryKey[]
): Promise<ChangeQueryResult> {
  const { query, variables } = changeQuery(keys)
  type Answer = { data?: Record<string, StateNode | null> & { rateLimit?: { cost: number } } }
  const response = await callGitHub('detect changes of repositories (GraphQL)', () =>
    octokit.request('POST /graphql', { query, variables })
  )
  const body = response.data as Answer & {
    errors?: Array<{ type?: string; message: string; path?: string[] }>
  }
  const errors = (body.errors ?? []).filter((e) => e.type !== 'NOT_FOUND')
  const refusal = errors.find((e) => GRAPHQL_REFUSALS.has(e.type ?? ''))
  if (refusal) throw new ChangeQueryRefusedError(refusal.type!, refusal.message)
  if (errors.length > 0 || !body.data)
    throw new GitHubRequestError(
      'detect changes of repositories (GraphQL)',
      response.status,
      'POST /graphql',
      (errors[0] ?? body.errors?.[0])?.message ?? 'no data in the answer'
    )
  const found = new Map<string, RepositoryState>()
  const missing: string[] = []
  keys.forEach((key, i) => {
    const node = body.data?.[`r${i}`]
    if (!node || !node.id) {
      missing.push(keyOf(key))
      return
    }
    found.set(keyOf(key), {
      nodeId: node.id,
      databaseId: node.databaseId,
      fullName: node.nameWithOwner,
      pushedAt: node.pushedAt,
      defaultBranch: node.defaultBranchRef?.name ?? null,
      headSha: node.defaultBranchRef?.target?.oid ?? null,
      issuesUpdatedAt: newest(
        node.issues.nodes[0]?.updatedAt,
        node.pullRequests.nodes[0]?.updatedAt
      )
    })
  })
  return { found, missing, cost: body.data.rateLimit?.cost ?? 1 }
}

/** Same instant (GitHub's whole seconds vs stored milliseconds), or both absent. */
function sameTime(a: string | null, b: string | null): boolean {
  if (!a || !b) return !a && !b
  return Date.parse(a) === Date.parse(b)
}

/**
 * Why the stored `row` is out of date against `now` (`head`, `pushed`, `issues`), or an empty
 * list when nothing changed. A row never synced is always out of date (`never-synced`).
 */
export function compareWithRow(row: RepositoryRow | undefined, now: RepositoryState): string[] {
  if (!row || !row.last_synced_at) return ['never-synced']
  const why: string[] = []
  if ((row.head_sha ?? null) !== now.headSha) why.push('head')
  if (!sameTime(row.pushed_at, now.pushedAt)) why.push('pushed')
  if (
    now.issuesUpdatedAt &&
    (!row.issues_updated_at || Date.parse(now.issuesUpdatedAt) > Date.parse(row.issues_updated_at))
  )
    why.push('issues')
  return why
}
