/**
 * `syncRepository`: one repository's commits, issues, pull requests and contributors fetched
 * with REST and upserted (docs/activity-sync.md §6). Each stream is read page by page (100 per
 * page) and each page is written in one transaction together with the repository's cursor for
 * that stream, so a sync that is interrupted (kill -9, a rate limit) resumes at the next page
 * when called again with the same `since`. `importInstallation` runs it for every repository
 * of an installation; the sweep (B's) runs it for the repositories that changed.
 */
import type { HubstoreOctokit } from '../github/client.js'
import {
  addCounts,
  commitFromRest,
  emptyCounts,
  isoTime,
  issueRow,
  pullRequestRow,
  refreshContributors,
  repositoryInput,
  upsertCommits,
  upsertIssue,
  upsertPullRequest,
  upsertRepository
} from './rows.js'
import type { ActivityDb, RepositoryRow, SyncCounts } from './types.js'

/** Items per page of every listing (GitHub's maximum, docs/github-behaviour.md §3.1). */
export const PAGE_SIZE = 100

/** The streams a sync reads. */
export type SyncStream = 'commits' | 'issues' | 'pulls'

/** A stream's resume point: the `since` of the run, the last page written, and whether it ended. */
export interface StreamCursor {
  since: string | null
  page: number
  /** The stream was read to its end in this run: a resumed run skips it. */
  done?: boolean
}

/** `repositories.cursors`, parsed. */
export type RepositoryCursors = Partial<Record<SyncStream, StreamCursor>>

/** Options of {@link syncRepository}. */
export interface SyncRepositoryOptions {
  /**
   * Only what changed after this time (ISO 8601): commits by committer date, issues and pull
   * requests by `updated_at`. Absent: everything (an initial import).
   */
  since?: string | null
  /** Counts of the job this sync belongs to; the sync adds what it wrote. */
  counts?: SyncCounts
  /** Installation the repository is reached through (kept on the row). */
  installationId?: number | null
  /** Called after each page is written. */
  onPage?: (page: { repository: string; stream: SyncStream; page: number; items: number }) => void
  now?: () => Date
}

/** What {@link syncRepository} did. */
export interface SyncRepositoryResult {
  repository_id: number
  full_name: string
  counts: SyncCounts
  /** Pages read (a resumed sync skips the pages written before). */
  pages: number
  head_sha: string | null
}

function parseCursors(text: string | null | undefined): RepositoryCursors {
  try {
    const v = JSON.parse(text ?? '{}') as unknown
    return v && typeof v === 'object' ? (v as RepositoryCursors) : {}
  } catch {
    return {}
  }
}

async function saveCursor(
  db: ActivityDb,
  repositoryId: number,
  stream: SyncStream,
  cursor: StreamCursor | undefined
): Promise<void> {
  const row = await db.get<{ cursors: string }>('SELECT cursors FROM repositories WHERE id = ?', [
    repositoryId
  ])
  const cursors = parseCursors(row?.cursors)
  if (cursor) cursors[stream] = cursor
  else delete cursors[stream]
  await db.run('UPDATE repositories SET cursors = ? WHERE id = ?', [
    JSON.stringify(cursors),
    repositoryId
  ])
}

function hasNext(link: string | undefined): boolean {
  return typeof link === 'string' && /rel="next"/.test(link)
}

type Json = Record<string, unknown>

/**
 * Reads stream `stream` from the page after its saved cursor (when the cursor's `since` is this
 * run's), writing each page with `write` and the cursor in one transaction. Answers the pages
 * read; stops when the listing ends or `write` answers `false` (nothing older is wanted).
 */
async function readStream(
  db: ActivityDb,
  repo: { id: number; owner: string; name: string; full_name: string },
  stream: SyncStream,
  since: string | null,
  fetchPage: (page: number) => Promise<{ items: Json[]; link?: string }>,
  write: (tx: ActivityDb, items: Json[]) => Promise<boolean>,
  onPage: SyncRepositoryOptions['onPage']
): Promise<number> {
  const row = await db.get<{ cursors: string }>('SELECT cursors FROM repositories WHERE id = ?', [
    repo.id
  ])
  const saved = parseCursors(row?.cursors)[stream]
  if (saved && saved.since === since && saved.done) return 0
  let page = saved && saved.since === since ? saved.page + 1 : 1
  let pages = 0
  for (;;) {
    const { items, link } = await fetchPage(page)
    pages++
    const more = await db.transaction(async (tx) => {
      const wanted = (await write(tx, items)) && hasNext(link) && items.length > 0
      await saveCursor(tx, repo.id, stream, { since, page, ...(wanted ? {} : { done: true }) })
      return wanted
    })
    onPage?.({ repository: repo.full_name, stream, page, items: items.length })
    if (!more) break
    page++
  }
  return pages
}

/**
 * Syncs one repository (`GET /repos/{o}/{r}`, then commits, issues and pull requests):
 *
 * - commits: `GET /repos/{o}/{r}/commits?since=&per_page=100` (default branch, newest first);
 *   an empty repository (409) has none;
 * - issues: `GET /repos/{o}/{r}/issues?state=all&since=&sort=created&direction=asc&per_page=100`
 *   (pull requests in that listing are skipped: they come from the next one);
 * - pull requests: `GET /repos/{o}/{r}/pulls?state=all&sort=updated&direction=desc&per_page=100`,
 *   stopping at the first one not updated after `since`;
 * - contributors recomputed from the commits.
 *
 * On success the stream cursors are cleared and `last_synced_at` (now), `issues_updated_at`
 * (newest seen) and `head_sha` (the default branch's head) are set. Costs 1 + one request per
 * page of each stream (+1 for the head when no commit is new), every one counted by spend.ts.
 *
 * @throws GitHub's `RequestError` (404 unknown or invisible repository, rate limits…): the
 *   pages written so far stay, with their cursors, for the next call to resume.
 */
export async function syncRepository(
  db: ActivityDb,
  octokit: HubstoreOctokit,
  target: { id?: number; full_name: string },
  options: SyncRepositoryOptions = {}
): Promise<SyncRepositoryResult> {
  const now = options.now ?? (() => new Date())
  const counts = emptyCounts()
  const [owner, name] = target.full_name.split('/')
  const got = (await octokit.request('GET /repos/{owner}/{repo}', { owner, repo: name }))
    .data as unknown as Json
  const input = repositoryInput(got)
  counts.repositories += await upsertRepository(db, input, now(), options.installationId)
  const repo = {
    id: input.id,
    owner: input.full_name.split('/')[0],
    name: input.full_name.split('/')[1],
    full_name: input.full_name
  }
  const since = options.since ? isoTime(options.since) : null
  const params = { owner: repo.owner, repo: repo.name, per_page: PAGE_SIZE }
  let pages = 0
  let head: string | null = null
  let newestUpdate: string | null = null
  const seenUpdate = (t: string) => {
    if (!newestUpdate || t > newestUpdate) newestUpdate = t
  }

  pages += await readStream(
    db,
    repo,
    'commits',
    since,
    async (page) => {
      try {
        const r = await octokit.request('GET /repos/{owner}/{repo}/commits', {
          ...params,
          page,
          ...(since ? { since } : {})
        })
        return { items: r.data as unknown as Json[], link: r.headers.link }
      } catch (error) {
        if ((error as { status?: number }).status === 409) return { items: [] } // empty repository
        throw error
      }
    },
    async (tx, items) => {
      if (head === null && items.length > 0) head = String(items[0].sha)
      counts.commits += await upsertCommits(tx, repo.id, items.map(commitFromRest))
      return true
    },
    options.onPage
  )

  pages += await readStream(
    db,
    repo,
    'issues',
    since,
    async (page) => {
      const r = await octokit.request('GET /repos/{owner}/{repo}/issues', {
        ...params,
        page,
        state: 'all',
        sort: 'created',
        direction: 'asc',
        ...(since ? { since } : {})
      })
      return { items: r.data as unknown as Json[], link: r.headers.link }
    },
    async (tx, items) => {
      for (const item of items) {
        const row = issueRow(item, repo.id)
        if (row) {
          counts.issues += await upsertIssue(tx, row)
          seenUpdate(row.updated_at)
        }
      }
      return true
    },
    options.onPage
  )

  pages += await readStream(
    db,
    repo,
    'pulls',
    since,
    async (page) => {
      const r = await octokit.request('GET /repos/{owner}/{repo}/pulls', {
        ...params,
        page,
        state: 'all',
        sort: 'updated',
        direction: 'desc'
      })
      return { items: r.data as unknown as Json[], link: r.headers.link }
    },
    async (tx, items) => {
      for (const item of items) {
        const row = pullRequestRow(item, repo.id)
        if (since && row.updated_at <= since) return false
        counts.pull_requests += await upsertPullRequest(tx, row)
        seenUpdate(row.updated_at)
      }
      return true
    },
    options.onPage
  )

  if (head === null && input.default_branch) {
    try {
      const ref = await octokit.request('GET /repos/{owner}/{repo}/git/ref/{ref}', {
        owner: repo.owner,
        repo: repo.name,
        ref: `heads/${input.default_branch}`
      })
      head = (ref.data as { object: { sha: string } }).object.sha
    } catch (error) {
      const status = (error as { status?: number }).status
      if (status !== 404 && status !== 409) throw error
    }
  }

  const finished = now().toISOString()
  await db.transaction(async (tx) => {
    counts.contributors += await refreshContributors(tx, repo.id)
    await tx.run(
      `UPDATE repositories SET cursors = '{}', last_synced_at = ?, head_sha = COALESCE(?, head_sha),
         issues_updated_at = CASE WHEN issues_updated_at IS NULL OR ? > issues_updated_at THEN ? ELSE issues_updated_at END
       WHERE id = ?`,
      [finished, head, newestUpdate, newestUpdate, repo.id]
    )
  })
  if (options.counts) addCounts(options.counts, counts)
  return { repository_id: repo.id, full_name: repo.full_name, counts, pages, head_sha: head }
}

/** Options of {@link importInstallation}. */
export interface ImportInstallationOptions extends Omit<SyncRepositoryOptions, 'installationId'> {
  /**
   * The repositories to import (`full_name`s, with ids when known). Absent: every repository
   * the installation token can reach (`GET /installation/repositories`).
   */
  repositories?: ReadonlyArray<{ id?: number; full_name: string }>
  /** Called after each repository with its result, or the error that stopped it. */
  onRepository?: (result: SyncRepositoryResult | { full_name: string; error: unknown }) => void
}

/** What {@link importInstallation} did. */
export interface ImportInstallationResult {
  counts: SyncCounts
  repositories: SyncRepositoryResult[]
  errors: Array<{ full_name: string; error: unknown }>
}

/**
 * Imports every repository of installation `installationId` with {@link syncRepository}
 * (`octokit` authenticated as that installation). A repository that fails is reported in
 * `errors` and the others still run.
 */
export async function importInstallation(
  db: ActivityDb,
  octokit: HubstoreOctokit,
  installationId: number,
  options: ImportInstallationOptions = {}
): Promise<ImportInstallationResult> {
  const list =
    options.repositories ??
    (
      (await octokit.paginate('GET /installation/repositories', {
        per_page: PAGE_SIZE
      })) as unknown as Json[]
    ).map((r) => ({ id: Number(r.id), full_name: String(r.full_name) }))
  const counts = emptyCounts()
  const results: SyncRepositoryResult[] = []
  const errors: ImportInstallationResult['errors'] = []
  for (const r of list) {
    try {
      const res = await syncRepository(db, octokit, r, { ...options, counts, installationId })
      results.push(res)
      options.onRepository?.(res)
    } catch (error) {
      errors.push({ full_name: r.full_name, error })
      options.onRepository?.({ full_name: r.full_name, error })
    }
  }
  if (options.counts) addCounts(options.counts, counts)
  return { counts, repositories: results, errors }
}

/** A repository row by GitHub id, or `undefined`. */
export function getRepository(db: ActivityDb, id: number): Promise<RepositoryRow | undefined> {
  return db.get<RepositoryRow>('SELECT * FROM repositories WHERE id = ?', [id])
}
