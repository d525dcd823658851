/**
 * `push`: commits upserted by SHA with their repository membership, the default branch's head
 * and `pushed_at` moved, contributors recounted. A payload lists at most 2,048 commits
 * (docs/github-behaviour.md §7.1); when it is capped, or does not end at `head_commit`, the rest
 * comes from `GET /repos/{o}/{r}/compare/{before}...{after}` and, past compare's 250, from
 * `GET /repos/{o}/{r}/commits?sha={after}` paged back to the merge base. Tag pushes and branch
 * deletions carry no commits: only the repository row is touched.
 */
import type { HubstoreOctokit } from '../../github/client.js'
import { PAGE_SIZE } from '../fetch.js'
import {
  commitFromPush,
  commitFromRest,
  refreshContributors,
  repositoryInput,
  upsertCommits,
  upsertRepository
} from '../rows.js'
import type { ActivityDb, CommitRow } from '../types.js'
import { need, type Handler, type Json } from './context.js'

/** The most commits a push payload lists (docs/github-behaviour.md §7.1). */
export const PUSH_PAYLOAD_COMMITS_MAX = 2048
/** The most commits `repos/compare-commits` lists (docs/github-behaviour.md §12.1). */
export const COMPARE_COMMITS_MAX = 250
const NULL_SHA = '0000000000000000000000000000000000000000'

const list = (v: unknown): Json[] => (Array.isArray(v) ? (v as Json[]) : [])

/** True when the payload's `commits` may not be all the push brought. */
export function pushIsTruncated(payload: Json): boolean {
  const commits = list(payload.commits)
  if (payload.deleted === true) return false
  if (commits.length >= PUSH_PAYLOAD_COMMITS_MAX) return true
  const head = payload.head_commit as Json | null | undefined
  return !!head && commits.length > 0 && commits.at(-1)?.id !== head.id
}

/**
 * Every commit of `before..after` (new branch: back to the first page already known); also
 * what the sweep reads when a head moved (sweep.ts), since a `since` by committer date misses
 * commits made before the last sync and pushed after it.
 */
export async function fetchPushedCommits(
  db: ActivityDb,
  octokit: HubstoreOctokit,
  repo: { id: number; owner: string; name: string },
  before: string,
  after: string
): Promise<CommitRow[]> {
  const p = { owner: repo.owner, repo: repo.name }
  let stopAt: string | null = null
  let total = Infinity
  if (before !== NULL_SHA) {
    const cmp = (
      await octokit.request('GET /repos/{owner}/{repo}/compare/{basehead}', {
        ...p,
        basehead: `${before}...${after}`
      })
    ).data as unknown as Json
    const commits = list(cmp.commits)
    total = Number(cmp.total_commits ?? commits.length)
    if (commits.length >= total) return commits.map(commitFromRest)
    stopAt = String((cmp.merge_base_commit as Json | undefined)?.sha ?? before)
  }
  const out: CommitRow[] = []
  for (let page = 1; ; page++) {
    const r = await octokit.request('GET /repos/{owner}/{repo}/commits', {
      ...p,
      sha: after,
      per_page: PAGE_SIZE,
      page
    })
    const items = r.data as unknown as Json[]
    let known = 0
    for (const item of items) {
      if (stopAt !== null && item.sha === stopAt) return out
      out.push(commitFromRest(item))
      if (out.length >= total) return out
      if (stopAt === null) {
        const seen = await db.get(
          'SELECT 1 AS x FROM repository_commits WHERE repository_id = ? AND sha = ?',
          [repo.id, String(item.sha)]
        )
        if (seen) known++
      }
    }
    if (items.length === 0 || !/rel="next"/.test(r.headers.link ?? '')) return out
    if (stopAt === null && known === items.length) return out
  }
}

export const push: Handler = async (ctx) => {
  const payload = ctx.delivery.payload
  const input = repositoryInput(need(ctx, 'repository'))
  const [owner, name] = input.full_name.split('/')
  ctx.repositories.add(input.id)
  const ref = typeof payload.ref === 'string' ? payload.ref : ''
  const branch = ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : null
  const after = typeof payload.after === 'string' ? payload.after : NULL_SHA
  const before = typeof payload.before === 'string' ? payload.before : NULL_SHA
  let commits: CommitRow[] = branch ? list(payload.commits).map(commitFromPush) : []
  if (branch && pushIsTruncated(payload)) {
    // the repository row must exist for the membership lookups of a new branch
    await upsertRepository(ctx.db, input, ctx.now(), ctx.delivery.installation_id)
    const fetched = await fetchPushedCommits(
      ctx.db,
      await ctx.octokit(),
      { id: input.id, owner, name },
      before,
      after
    )
    const bySha = new Map(fetched.map((c) => [c.sha, c]))
    for (const c of commits) if (!bySha.has(c.sha)) bySha.set(c.sha, c)
    commits = [...bySha.values()]
  }
  return async (tx) => {
    ctx.counts.repositories += await upsertRepository(
      tx,
      input,
      ctx.now(),
      ctx.delivery.installation_id
    )
    if (!branch || payload.deleted === true) return
    ctx.counts.commits += await upsertCommits(tx, input.id, commits)
    if (branch === input.default_branch && after !== NULL_SHA)
      await tx.run('UPDATE repositories SET head_sha = ? WHERE id = ?', [after, input.id])
    ctx.counts.contributors += await refreshContributors(tx, input.id)
  }
}
