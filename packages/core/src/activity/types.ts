/**
 * The shapes shared by the activity module (`@hubstore/core/activity`): the rows of its one
 * schema, the engine-neutral database handle both engines implement, and the options and
 * results of the operations the CLI, the `sync-activity` action and `hubstore serve` call.
 *
 * Times are ISO 8601 strings in UTC (`2026-12-01T12:00:00.000Z`) in every row, so SQLite and
 * PostgreSQL rows compare the same way as text; durations are milliseconds. GitHub ids are
 * the REST `id` numbers (a JavaScript number holds them exactly: they are below 2^53).
 */

/** The storage engines: the embedded default and the one for several writers. */
export type ActivityEngine = 'sqlite' | 'postgres'

/**
 * One SQL connection (pool) that both engines implement, so every query of the module is
 * written once. SQL passed here uses `?` placeholders; the PostgreSQL engine numbers them
 * (`$1`, `$2`, …). Only SQL that both SQLite ≥ 3.35 and PostgreSQL ≥ 13 accept is used
 * (`INSERT … ON CONFLICT … DO UPDATE`, `RETURNING`, `CURRENT_TIMESTAMP` avoided in favour of
 * times passed as parameters).
 */
export interface ActivityDb {
  readonly engine: ActivityEngine
  /** Every row the statement returns. */
  all<T = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<T[]>
  /** The first row, or `undefined`. */
  get<T = Record<string, unknown>>(
    sql: string,
    params?: readonly SqlValue[]
  ): Promise<T | undefined>
  /** A statement that returns no rows; `changes` = rows inserted, updated or deleted. */
  run(sql: string, params?: readonly SqlValue[]): Promise<{ changes: number }>
  /**
   * Runs `fn` in one transaction (SQLite `BEGIN IMMEDIATE`, PostgreSQL `BEGIN`) on one
   * connection, committing when it resolves and rolling back when it throws (the error is
   * rethrown). Nested calls run inside the outer transaction.
   */
  transaction<T>(fn: (tx: ActivityDb) => Promise<T>): Promise<T>
  /** Closes the file or the pool. */
  close(): Promise<void>
}

export type SqlValue = string | number | bigint | null | Uint8Array

/** `installations`: a GitHub App installation (REST `installation` object). */
export interface InstallationRow {
  id: number
  account_login: string
  account_type: string
  /** `all` | `selected` */
  repository_selection: string
  created_at: string
  /** Set when `installation.deleted` arrives; the row stays for history. */
  deleted_at: string | null
}

/** `repositories`: one per GitHub repository ever seen. */
export interface RepositoryRow {
  /** GitHub's repository id (stable across renames and transfers). */
  id: number
  node_id: string
  /** `owner/name`, updated on `repository.renamed` / transferred. */
  full_name: string
  installation_id: number | null
  default_branch: string | null
  /** Head commit SHA of the default branch at the last sync. */
  head_sha: string | null
  pushed_at: string | null
  /** Finish time of the last successful sync of this repository. */
  last_synced_at: string | null
  /** Newest `updated_at` of its issues and pull requests seen by the last sync. */
  issues_updated_at: string | null
  /**
   * Per-stream resume cursors, JSON text (`{"commits": "<sha or page>", "issues": "<since>"}`),
   * saved after each page so an interrupted sync resumes where it stopped.
   */
  cursors: string
  /** Set on `repository.deleted` or removal from the installation. */
  deleted_at: string | null
}

/** `commits`: one per commit SHA (a fork's shared commits are one row). */
export interface CommitRow {
  sha: string
  message: string
  author_login: string | null
  author_name: string | null
  author_email: string | null
  authored_at: string | null
  committed_at: string | null
}

/** `repository_commits`: which repositories a commit was seen in (membership). */
export interface RepositoryCommitRow {
  repository_id: number
  sha: string
}

/** `issues` and `pull_requests`: by GitHub id; a newer `updated_at` wins (last writer wins). */
export interface IssueRow {
  id: number
  repository_id: number
  number: number
  title: string
  body: string | null
  /** `open` | `closed` */
  state: string
  author_login: string | null
  created_at: string
  updated_at: string
  closed_at: string | null
}

export interface PullRequestRow extends IssueRow {
  merged_at: string | null
  head_sha: string | null
  base_ref: string | null
}

/** `contributors`: repository × user, with the number of commits seen. */
export interface ContributorRow {
  repository_id: number
  /** The user's login, or `email:<address>` for a commit with no GitHub account. */
  login: string
  commits: number
  first_commit_at: string | null
  last_commit_at: string | null
}

/** Inbox states of a delivery. */
export type DeliveryStatus = 'pending' | 'processing' | 'processed' | 'failed'

/** `deliveries`: the webhook inbox, one row per `X-GitHub-Delivery` GUID. */
export interface DeliveryRow {
  guid: string
  /** `X-GitHub-Event` */
  event: string
  /** The payload's `action`, when it has one. */
  action: string | null
  installation_id: number | null
  /** GitHub's numeric id of the delivery (`X-GitHub-Hook-Delivery-Id`… or from the deliveries API), when known. */
  hook_delivery_id: number | null
  /** The raw body as received (UTF-8 JSON text), so processing never depends on re-serialising. */
  payload: string
  received_at: string
  status: DeliveryStatus
  attempts: number
  error: string | null
  processed_at: string | null
  /** Worker that holds it while `processing`, and until when (a crashed worker's lease expires). */
  locked_by: string | null
  locked_until: string | null
}

export type SyncJobType = 'initial_import' | 'webhook' | 'periodic' | 'repository' | 'redelivery'
/**
 * `interrupted`: the process died while it ran (found by the next start, not by the job itself).
 * `stopped`: the budget governor refused the next request (`BUDGET_RESERVE_REACHED`, the last
 * entry of `errors`); the work done and the cursors are kept and the next run goes on from there
 * (docs/activity-sweeps.md §3). `failed`: any other error stopped it.
 */
export type SyncJobStatus = 'running' | 'succeeded' | 'failed' | 'stopped' | 'interrupted'

/** Records written by a job, per kind. */
export interface SyncCounts {
  repositories: number
  commits: number
  issues: number
  pull_requests: number
  contributors: number
  deliveries: number
}

/** `sync_jobs`: every sync, like the seed's `SyncJob`. `counts` and `errors` are JSON text. */
export interface SyncJobRow {
  id: number
  type: SyncJobType
  status: SyncJobStatus
  repositories_processed: number
  /** JSON of {@link SyncCounts}. */
  counts: string
  /** JSON array of `{ repository?, delivery?, code, message }`. */
  errors: string
  /** REST requests that counted against the primary rate limit (a 304 does not). */
  rest_requests: number
  graphql_points: number
  started_at: string
  finished_at: string | null
  /** `host:pid` of the process running it, to tell a live job from an interrupted one. */
  runner: string
}

/** What `receiveDelivery` did with one webhook request; `status` is the HTTP status to answer. */
export type ReceiveOutcome =
  | { kind: 'stored'; status: 202; guid: string }
  | { kind: 'duplicate'; status: 202; guid: string }
  | { kind: 'rejected'; status: 400 | 401 | 413; reason: string }

/** Arguments of `listJobs` (`GET /api/sync/jobs?limit&status`). */
export interface JobQuery {
  /** Newest first; default 20, at most 500. */
  limit?: number
  status?: SyncJobStatus
}

/** `GET /api/sync/health` and `hubstore activity health`. */
export interface HealthReport {
  total_repositories: number
  /** Repositories whose last successful sync is within `min_interval_ms` of `now`. */
  synced_recently: number
  /** `synced_recently ÷ total_repositories × 100`, one decimal; 100 when there are none. */
  coverage_percent: number
  /** `now − oldest last_synced_at` in ms (a never-synced repository counts from its first sight); null when none. */
  lag_ms: number | null
  min_interval_ms: number
  last_periodic_sync: Pick<
    SyncJobRow,
    'id' | 'status' | 'repositories_processed' | 'started_at' | 'finished_at'
  > | null
  deliveries: { pending: number; failed: number; processed: number; redelivered: number }
  /** Budget left per token as last seen in response headers; null before any request. */
  rate_limit: {
    rest_remaining: number | null
    graphql_remaining: number | null
    reset_at: string | null
  }
  now: string
}
