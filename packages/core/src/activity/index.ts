/**
 * `@hubstore/core/activity`: repository activity (installations, repositories, commits,
 * issues, pull requests, contributors) synced idempotently into SQLite or PostgreSQL from
 * webhooks and periodic sweeps, with a delivery inbox and a job history (issue 14).
 */
export type * from './types.js'
