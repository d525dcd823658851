/**
 * GitHub's JSON (REST answers and webhook payloads) → the rows of types.ts, and the idempotent
 * writes of those rows (docs/activity-sync.md §3). Every write is an upsert keyed by GitHub's
 * identity (repository and issue ids, commit SHA), so writing the same thing twice leaves one
 * row; issues and pull requests keep the version with the newer `updated_at`.
 */
import type {
  ActivityDb,
  CommitRow,
  InstallationRow,
  IssueRow,
  PullRequestRow,
  SyncCounts
} from './types.js'

type Json = Record<string, unknown>

/** Zero counts. */
export function emptyCounts(): SyncCounts {
  return {
    repositories: 0,
    commits: 0,
    issues: 0,
    pull_requests: 0,
    contributors: 0,
    deliveries: 0
  }
}

/** Adds `b` into `a` (in place) and answers `a`. */
export function addCounts(a: SyncCounts, b: Partial<SyncCounts>): SyncCounts {
  for (const k of Object.keys(a) as Array<keyof SyncCounts>) a[k] += b[k] ?? 0
  return a
}

const obj = (v: unknown): Json => (v && typeof v === 'object' ? (v as Json) : {})
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null)

/**
 * A GitHub time as this store writes it (`toISOString`, milliseconds, `Z`), so rows compare as
 * text. Numbers are epoch seconds (a push payload's `repository.pushed_at`).
 */
export function isoTime(v: unknown): string | null {
  if (typeof v === 'number') return new Date(v * 1000).toISOString()
  if (typeof v !== 'string' || v === '') return null
  const t = Date.parse(v)
  return Number.isNaN(t) ? null : new Date(t).toISOString()
}

/** `installations` row of a webhook's or the REST API's `installation` object. */
export function installationRow(i: Json, now: Date): InstallationRow {
  const account = obj(i.account)
  return {
    id: Number(i.id),
    account_login: str(account.login) ?? '',
    account_type: str(account.type) ?? 'User',
    repository_selection: str(i.repository_selection) ?? 'selected',
    created_at: isoTime(i.created_at) ?? now.toISOString(),
    deleted_at: null
  }
}

export async function upsertInstallation(db: ActivityDb, row: InstallationRow): Promise<number> {
  const r = await db.run(
    `INSERT INTO installations (id, account_login, account_type, repository_selection, created_at, deleted_at)
     VALUES (?, ?, ?, ?, ?, NULL)
     ON CONFLICT (id) DO UPDATE SET account_login = excluded.account_login,
       account_type = excluded.account_type, repository_selection = excluded.repository_selection,
       deleted_at = NULL`,
    [row.id, row.account_login, row.account_type, row.repository_selection, row.created_at]
  )
  return r.changes
}

/** What a repository upsert takes: GitHub's repository object (full, or the "lite" of installation payloads). */
export interface RepositoryInput {
  id: number
  node_id?: string | null
  full_name: string
  default_branch?: string | null
  pushed_at?: unknown
}

/** A repository object of a REST answer or a payload, as {@link RepositoryInput}. */
export function repositoryInput(r: Json): RepositoryInput {
  return {
    id: Number(r.id),
    node_id: str(r.node_id),
    full_name: str(r.full_name) ?? `${str(obj(r.owner).login) ?? ''}/${str(r.name) ?? ''}`,
    default_branch: str(r.default_branch) ?? str(r.master_branch),
    pushed_at: r.pushed_at
  }
}

/**
 * Inserts or updates a repository by GitHub id: name, node id, default branch, installation
 * (kept when `installationId` is `undefined`), `pushed_at` (only forward); clears `deleted_at`.
 * Sync state (`head_sha`, `last_synced_at`, cursors) is left alone.
 */
export async function upsertRepository(
  db: ActivityDb,
  r: RepositoryInput,
  now: Date,
  installationId?: number | null
): Promise<number> {
  const res = await db.run(
    `INSERT INTO repositories (id, node_id, full_name, installation_id, default_branch, pushed_at, cursors, first_seen_at)
     VALUES (?, ?, ?, ?, ?, ?, '{}', ?)
     ON CONFLICT (id) DO UPDATE SET
       node_id = CASE WHEN excluded.node_id = '' THEN repositories.node_id ELSE excluded.node_id END,
       full_name = excluded.full_name,
       installation_id = COALESCE(excluded.installation_id, repositories.installation_id),
       default_branch = COALESCE(excluded.default_branch, repositories.default_branch),
       pushed_at = CASE WHEN repositories.pushed_at IS NULL OR excluded.pushed_at > repositories.pushed_at
                        THEN COALESCE(excluded.pushed_at, repositories.pushed_at) ELSE repositories.pushed_at END,
       deleted_at = NULL`,
    [
      r.id,
      r.node_id ?? '',
      r.full_name,
      installationId ?? null,
      r.default_branch ?? null,
      isoTime(r.pushed_at),
      now.toISOString()
    ]
  )
  return res.changes
}

/** Marks repository `id` deleted (or removed from its installation) at `now`; the rows stay. */
export async function markRepositoryDeleted(
  db: ActivityDb,
  id: number,
  now: Date
): Promise<number> {
  const r = await db.run(
    'UPDATE repositories SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL',
    [now.toISOString(), id]
  )
  return r.changes
}

/** A commit of `repos/list-commits` or `repos/compare-commits` (REST `commit` object). */
export function commitFromRest(c: Json): CommitRow {
  const commit = obj(c.commit)
  const author = obj(commit.author)
  return {
    sha: String(c.sha),
    message: str(commit.message) ?? '',
    author_login: str(obj(c.author).login),
    author_name: str(author.name),
    author_email: str(author.email),
    authored_at: isoTime(author.date),
    committed_at: isoTime(obj(commit.committer).date)
  }
}

/** A commit of a `push` payload's `commits` (its `timestamp` is the commit's time). */
export function commitFromPush(c: Json): CommitRow {
  const author = obj(c.author)
  const at = isoTime(c.timestamp)
  return {
    sha: String(c.id),
    message: str(c.message) ?? '',
    author_login: str(author.username),
    author_name: str(author.name),
    author_email: str(author.email),
    authored_at: at,
    committed_at: at
  }
}

/**
 * Writes commits by SHA (one row per SHA, whatever the repositories) and their membership of
 * repository `repositoryId`; a login learnt later fills a missing one. Answers the commits new
 * to the table.
 */
export async function upsertCommits(
  db: ActivityDb,
  repositoryId: number,
  commits: readonly CommitRow[]
): Promise<number> {
  let added = 0
  for (const c of commits) {
    const r = await db.run(
      `INSERT INTO commits (sha, message, author_login, author_name, author_email, authored_at, committed_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (sha) DO UPDATE SET author_login = excluded.author_login
       WHERE commits.author_login IS NULL AND excluded.author_login IS NOT NULL`,
      [
        c.sha,
        c.message,
        c.author_login,
        c.author_name,
        c.author_email,
        c.authored_at,
        c.committed_at
      ]
    )
    added += r.changes
    await db.run(
      'INSERT INTO repository_commits (repository_id, sha) VALUES (?, ?) ON CONFLICT DO NOTHING',
      [repositoryId, c.sha]
    )
  }
  return added
}

/** An issue of a REST answer or an `issues` payload; `null` for a pull request. */
export function issueRow(i: Json, repositoryId: number): IssueRow | null {
  if (i.pull_request !== undefined && i.pull_request !== null) return null
  return {
    id: Number(i.id),
    repository_id: repositoryId,
    number: Number(i.number),
    title: str(i.title) ?? '',
    body: str(i.body),
    state: str(i.state) ?? 'open',
    author_login: str(obj(i.user).login),
    created_at: isoTime(i.created_at) ?? '',
    updated_at: isoTime(i.updated_at) ?? '',
    closed_at: isoTime(i.closed_at)
  }
}

/** A pull request of `pulls/list` / `pulls/get` or a `pull_request` payload. */
export function pullRequestRow(p: Json, repositoryId: number): PullRequestRow {
  return {
    ...(issueRow({ ...p, pull_request: undefined }, repositoryId) as IssueRow),
    merged_at: isoTime(p.merged_at),
    head_sha: str(obj(p.head).sha),
    base_ref: str(obj(p.base).ref)
  }
}

const ISSUE_COLUMNS = [
  'id',
  'repository_id',
  'number',
  'title',
  'body',
  'state',
  'author_login',
  'created_at',
  'updated_at',
  'closed_at'
] as const
const PULL_COLUMNS = [...ISSUE_COLUMNS, 'merged_at', 'head_sha', 'base_ref'] as const

async function upsertByUpdatedAt(
  db: ActivityDb,
  table: 'issues' | 'pull_requests',
  columns: readonly string[],
  row: Record<string, unknown>
): Promise<number> {
  const set = columns
    .filter((c) => c !== 'id')
    .map((c) => `${c} = excluded.${c}`)
    .join(', ')
  const r = await db.run(
    `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})
     ON CONFLICT (id) DO UPDATE SET ${set} WHERE ${table}.updated_at <= excluded.updated_at`,
    columns.map((c) => (row[c] ?? null) as string | number | null)
  )
  return r.changes
}

/** Writes an issue by id; an older or equal `updated_at` than the stored one changes nothing. */
export function upsertIssue(db: ActivityDb, row: IssueRow): Promise<number> {
  return upsertByUpdatedAt(db, 'issues', ISSUE_COLUMNS, row as unknown as Record<string, unknown>)
}

/** Writes a pull request by id, newer `updated_at` wins (as {@link upsertIssue}). */
export function upsertPullRequest(db: ActivityDb, row: PullRequestRow): Promise<number> {
  return upsertByUpdatedAt(
    db,
    'pull_requests',
    PULL_COLUMNS,
    row as unknown as Record<string, unknown>
  )
}

/**
 * Recomputes the `contributors` of one repository from its commits (login, or
 * `email:<address>` for a commit with no account): a full recount, so it can run any number of
 * times. Answers the number of contributor rows.
 */
export async function refreshContributors(db: ActivityDb, repositoryId: number): Promise<number> {
  await db.run('DELETE FROM contributors WHERE repository_id = ?', [repositoryId])
  const r = await db.run(
    `INSERT INTO contributors (repository_id, login, commits, first_commit_at, last_commit_at)
     SELECT rc.repository_id,
            COALESCE(c.author_login, 'email:' || COALESCE(c.author_email, c.author_name, 'unknown')),
            COUNT(*), MIN(c.authored_at), MAX(c.authored_at)
       FROM repository_commits rc JOIN commits c ON c.sha = rc.sha
      WHERE rc.repository_id = ?
      GROUP BY rc.repository_id,
               COALESCE(c.author_login, 'email:' || COALESCE(c.author_email, c.author_name, 'unknown'))`,
    [repositoryId]
  )
  return r.changes
}
