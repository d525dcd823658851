/** `healthReport`: coverage, lag, the last periodic sync, the inbox and the budget left. */
import type { ActivityDb, HealthReport, SyncJobRow } from './types.js'

/** Options of {@link healthReport}. */
export interface HealthOptions {
  now?: Date
  /** A repository synced within this many ms counts as recent (default 600,000: 10 minutes). */
  minIntervalMs?: number
}

/**
 * The health of the store at `now` (the seed's `GET /api/sync/health`): repositories not
 * deleted, how many were synced within `minIntervalMs`, coverage in % (one decimal), the lag
 * of the stalest one (a never-synced repository counts from its first sight), the last
 * `periodic` job, delivery counts by status (`redelivered` = received more than once) and the
 * rate-limit budget last seen (`rate_limits`, written by spend.ts `recordRateLimits`).
 */
export async function healthReport(
  db: ActivityDb,
  options: HealthOptions = {}
): Promise<HealthReport> {
  const now = options.now ?? new Date()
  const minIntervalMs = options.minIntervalMs ?? 600_000
  const since = new Date(now.getTime() - minIntervalMs).toISOString()
  const repos = await db.get<{ total: number; recent: number | null; oldest: string | null }>(
    `SELECT COUNT(*) AS total,
            SUM(CASE WHEN last_synced_at >= ? THEN 1 ELSE 0 END) AS recent,
            MIN(COALESCE(last_synced_at, first_seen_at)) AS oldest
       FROM repositories WHERE deleted_at IS NULL`,
    [since]
  )
  const total = repos?.total ?? 0
  const recent = repos?.recent ?? 0
  const periodic = await db.get<SyncJobRow>(
    "SELECT id, status, repositories_processed, started_at, finished_at FROM sync_jobs WHERE type = 'periodic' ORDER BY id DESC LIMIT 1"
  )
  const byStatus = await db.all<{ status: string; n: number }>(
    'SELECT status, COUNT(*) AS n FROM deliveries GROUP BY status'
  )
  const count = (s: string) => byStatus.find((r) => r.status === s)?.n ?? 0
  const redelivered =
    (await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM deliveries WHERE receipts > 1'))?.n ?? 0
  const limits = await db.all<{
    resource: string
    remaining: number | null
    reset_at: string | null
  }>('SELECT resource, remaining, reset_at FROM rate_limits')
  const core = limits.find((l) => l.resource === 'core')
  const graphql = limits.find((l) => l.resource === 'graphql')
  return {
    total_repositories: total,
    synced_recently: recent,
    coverage_percent: total === 0 ? 100 : Math.round((recent / total) * 1000) / 10,
    lag_ms: repos?.oldest ? Math.max(0, now.getTime() - Date.parse(repos.oldest)) : null,
    min_interval_ms: minIntervalMs,
    last_periodic_sync: periodic
      ? {
          id: periodic.id,
          status: periodic.status,
          repositories_processed: periodic.repositories_processed,
          started_at: periodic.started_at,
          finished_at: periodic.finished_at
        }
      : null,
    deliveries: {
      pending: count('pending') + count('processing'),
      failed: count('failed'),
      processed: count('processed'),
      redelivered
    },
    rate_limit: {
      rest_remaining: core?.remaining ?? null,
      graphql_remaining: graphql?.remaining ?? null,
      reset_at: core?.reset_at ?? graphql?.reset_at ?? null
    },
    now: now.toISOString()
  }
}
