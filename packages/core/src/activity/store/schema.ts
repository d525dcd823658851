/**
 * The activity schema, as versioned migrations (docs/activity-sync.md §2). Each migration is SQL
 * that SQLite ≥ 3.35 and PostgreSQL ≥ 13 both accept, written once; the one word they spell
 * differently, an auto-numbered key, is the token `{{serial}}` (`INTEGER PRIMARY KEY` in SQLite,
 * `BIGSERIAL PRIMARY KEY` in PostgreSQL). Plain types only (TEXT, BIGINT, INTEGER), times as ISO
 * 8601 text, so `sqlite3`, Datasette and `psql` read every table as it is.
 *
 * Never edit a released migration: add the next one.
 */

/** One schema change; `version` numbers are 1, 2, 3 … in order. */
export interface Migration {
  version: number
  name: string
  sql: string
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'activity tables',
    sql: `
CREATE TABLE installations (
  id BIGINT PRIMARY KEY,
  account_login TEXT NOT NULL,
  account_type TEXT NOT NULL,
  repository_selection TEXT NOT NULL,
  created_at TEXT NOT NULL,
  deleted_at TEXT
);
CREATE TABLE repositories (
  id BIGINT PRIMARY KEY,
  node_id TEXT NOT NULL,
  full_name TEXT NOT NULL,
  installation_id BIGINT,
  default_branch TEXT,
  head_sha TEXT,
  pushed_at TEXT,
  last_synced_at TEXT,
  issues_updated_at TEXT,
  cursors TEXT NOT NULL DEFAULT '{}',
  deleted_at TEXT,
  first_seen_at TEXT NOT NULL
);
CREATE INDEX repositories_full_name ON repositories (full_name);
CREATE INDEX repositories_installation ON repositories (installation_id);
CREATE TABLE commits (
  sha TEXT PRIMARY KEY,
  message TEXT NOT NULL,
  author_login TEXT,
  author_name TEXT,
  author_email TEXT,
  authored_at TEXT,
  committed_at TEXT
);
CREATE TABLE repository_commits (
  repository_id BIGINT NOT NULL REFERENCES repositories (id),
  sha TEXT NOT NULL REFERENCES commits (sha),
  PRIMARY KEY (repository_id, sha)
);
CREATE TABLE issues (
  id BIGINT PRIMARY KEY,
  repository_id BIGINT NOT NULL REFERENCES repositories (id),
  number INTEGER NOT NULL,
  title TEXT NOT NULL,
  body TEXT,
  state TEXT NOT NULL,
  author_login TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  closed_at TEXT
);
CREATE INDEX issues_repository ON issues (repository_id, number);
CREATE TABLE pull_requests (
  id BIGINT PRIMARY KEY,
  repository_id BIGINT NOT NULL REFERENCES repositories (id),
  number INTEGER NOT NULL,
  title TEXT NOT NULL,
  body TEXT,
  state TEXT NOT NULL,
  author_login TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  closed_at TEXT,
  merged_at TEXT,
  head_sha TEXT,
  base_ref TEXT
);
CREATE INDEX pull_requests_repository ON pull_requests (repository_id, number);
CREATE TABLE contributors (
  repository_id BIGINT NOT NULL REFERENCES repositories (id),
  login TEXT NOT NULL,
  commits INTEGER NOT NULL,
  first_commit_at TEXT,
  last_commit_at TEXT,
  PRIMARY KEY (repository_id, login)
);
CREATE TABLE deliveries (
  guid TEXT PRIMARY KEY,
  event TEXT NOT NULL,
  action TEXT,
  installation_id BIGINT,
  hook_delivery_id BIGINT,
  payload TEXT NOT NULL,
  received_at TEXT NOT NULL,
  receipts INTEGER NOT NULL DEFAULT 1,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  error TEXT,
  processed_at TEXT,
  locked_by TEXT,
  locked_until TEXT
);
CREATE INDEX deliveries_status ON deliveries (status, received_at);
CREATE TABLE sync_jobs (
  id {{serial}},
  type TEXT NOT NULL,
  status TEXT NOT NULL,
  repositories_processed INTEGER NOT NULL DEFAULT 0,
  counts TEXT NOT NULL DEFAULT '{}',
  errors TEXT NOT NULL DEFAULT '[]',
  rest_requests INTEGER NOT NULL DEFAULT 0,
  graphql_points INTEGER NOT NULL DEFAULT 0,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  runner TEXT NOT NULL
);
CREATE INDEX sync_jobs_status ON sync_jobs (status);
CREATE INDEX sync_jobs_started ON sync_jobs (started_at);
CREATE TABLE locks (
  name TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
CREATE TABLE rate_limits (
  resource TEXT PRIMARY KEY,
  remaining BIGINT,
  reset_at TEXT,
  seen_at TEXT NOT NULL
);
`
  },
  {
    version: 2,
    name: 'REST validators per repository and stream',
    // docs/activity-sweeps.md §2 item 4: what the REST conditional check sends back. No token is
    // stored: `etag_credential` is an HMAC of the credential under a key that lives only in the
    // memory of the process that read the ETag (conditional.ts), so no other process can match it.
    sql: `
CREATE TABLE repository_validators (
  repository_id BIGINT NOT NULL REFERENCES repositories (id),
  stream TEXT NOT NULL,
  last_modified TEXT,
  etag TEXT,
  etag_credential TEXT,
  checked_at TEXT NOT NULL,
  PRIMARY KEY (repository_id, stream)
);
`
  },
  {
    version: 3,
    name: 'sync job status stopped (budget reserve reached)',
    // docs/activity-sweeps.md §3: a job stopped by the budget reserve was `failed` before; its
    // last error is the one that stopped it, so older rows are moved to the new status too.
    sql: `
UPDATE sync_jobs SET status = 'stopped'
 WHERE status = 'failed' AND errors LIKE '%"code":"BUDGET_RESERVE_REACHED"%]'
`
  }
]

/** The newest schema version this code knows. */
export const SCHEMA_VERSION = MIGRATIONS.at(-1)!.version
