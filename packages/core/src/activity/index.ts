/**
 * `@hubstore/core/activity`: repository activity (installations, repositories, commits,
 * issues, pull requests, contributors) synced idempotently into SQLite or PostgreSQL from
 * webhooks and periodic sweeps, with a delivery inbox and a job history (issue 14).
 */
export type * from './types.js'
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
  type GovernorOptions,
  type Spend,
  type SpendMeter
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
export { ActivityAuthError, BudgetReserveError, SweepLockedError } from '../errors/activity-sync.js'
