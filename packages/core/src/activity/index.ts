/**
 * `@hubstore/core/activity`: repository activity (installations, repositories, commits,
 * issues, pull requests, contributors) synced idempotently into SQLite or PostgreSQL from
 * webhooks and periodic sweeps, with a delivery inbox and a job history (issue 14;
 * docs/activity-sync.md).
 */
export type * from './types.js'

// The store: engines, schema, leases
export { openActivityDb, redactDatabaseUrl, type OpenActivityDbOptions } from './store/open.js'
export { migrate } from './store/migrate.js'
export { MIGRATIONS, SCHEMA_VERSION, type Migration } from './store/schema.js'
export { tryAcquireLock, releaseLock } from './store/locks.js'

// The inbox and its workers
export {
  receiveDelivery,
  WEBHOOK_PAYLOAD_MAX_BYTES,
  type DeliveryHeaders,
  type ReceiveOptions
} from './inbox.js'
export {
  processInbox,
  startInboxWorker,
  type InboxWorkerOptions,
  type ProcessInboxOptions,
  type ProcessInboxResult
} from './worker.js'
export { HANDLED_EVENTS } from './process/index.js'
export { pushIsTruncated, PUSH_PAYLOAD_COMMITS_MAX } from './process/push.js'

// Fetching from GitHub
export {
  getRepository,
  importInstallation,
  PAGE_SIZE,
  syncRepository,
  type ImportInstallationOptions,
  type ImportInstallationResult,
  type RepositoryCursors,
  type StreamCursor,
  type SyncRepositoryOptions,
  type SyncRepositoryResult,
  type SyncStream
} from './fetch.js'
export { addCounts, emptyCounts } from './rows.js'
export { meterOf, recordRateLimits, type SeenLimit, type Spend, type SpendMeter } from './spend.js'

// Jobs and health
export {
  finishJob,
  getJob,
  listJobs,
  markInterruptedJobs,
  runnerAlive,
  startJob,
  SYNC_JOB_STATUSES,
  thisRunner,
  type JobError,
  type JobOutcome
} from './jobs.js'
export { healthReport, type HealthOptions } from './health.js'

// Errors (codes in src/errors.ts; the root export list is full)
export {
  ActivitySchemaTooNewError,
  InvalidActivityDatabaseError,
  InvalidWebhookPayloadError
} from '../errors/activity.js'
export {
  activityClients,
  TOKEN_REFRESH_BEFORE_MS,
  type ActivityClients,
  type ActivityClientsOptions,
  type AppCredentialsInput,
  type TokenCredentials
} from './auth.js'
export {
  BudgetGovernor,
  DEFAULT_RESERVE_PERCENT,
  type BudgetWindow,
  type GovernorOptions
} from './governor.js'
export {
  changeQuery,
  compareWithRow,
  queryChanges,
  REPOSITORIES_PER_QUERY,
  type ChangeQueryResult,
  type RepositoryKey,
  type RepositoryState
} from './changes.js'
export {
  ActivityAuthError,
  BudgetReserveError,
  ChangeQueryRefusedError,
  SweepLockedError
} from '../errors/activity-sync.js'
export {
  sweep,
  SWEEP_LOCK,
  SWEEP_LOCK_TTL_MS,
  SWEEP_MIN_INTERVAL_MS,
  type SweepOptions,
  type SweepProgress
} from './sweep.js'
export { DETECT_MODES, type DetectMode } from './detect.js'
export {
  checkRepository,
  credentialTag,
  REST_STREAMS,
  type RestCheck,
  type RestStream,
  type StreamValidator
} from './conditional.js'
export {
  redeliverFailed,
  REDELIVERY_WINDOW_MS,
  type RedeliverOptions,
  type RedeliverResult
} from './redeliver.js'
export { importActivity, type ImportOptions } from './import.js'
export { runJob, type JobRecorder, type JobRunOptions } from './job-run.js'

// The sync-activity action's pieces: the workflow's own event, a database kept on a data branch
export { storeDelivery, type InboxEntry } from './inbox.js'
export {
  ingestEvent,
  workflowEventGuid,
  WORKFLOW_EVENTS,
  type IngestEventOptions,
  type IngestEventResult,
  type WorkflowEvent
} from './event.js'
export {
  ACTIVITY_DATA_BRANCH,
  ACTIVITY_DB_FILE,
  withPersistedActivityDb,
  type PersistedActivityDbOptions,
  type PersistedActivityRun
} from './persisted.js'
