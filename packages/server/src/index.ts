/**
 * `@hubstore/server`: `hubstore serve` as a library (issue 15) — the webhook receiver, the
 * admin sync API, the scheduler and the sync-health dashboard over `@hubstore/core/activity`.
 * See packages/server/README.md.
 */
export { startServer, type RunningServer } from './server.js'
export { SERVER_DEFAULTS, type ServerOptions } from './options.js'
export type { ActivityService, InboxWorkerHandle, RequestHeaders } from './service.js'
export type { RunKind, RunOutcome } from './scheduler.js'
export { WEBHOOK_PATH } from './routes/webhook.js'
export { SYNC_PREFIX } from './routes/sync.js'
export { exportDashboard } from './export.js'
export type { DashboardData } from './dashboard-assets.js'
export {
  createActivityService,
  type ActivityServiceOptions,
  type ServerCredentials
} from './activity-service.js'
