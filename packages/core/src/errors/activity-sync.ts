/**
 * Errors of the activity module's repair loops, budget governor and auth
 * (`@hubstore/core/activity`: sweep, redelivery, `activityClients`). The catalogue is
 * src/errors.ts.
 */
import { HubstoreError } from './base.js'

/**
 * The next request would dip into the rate-limit reserve the governor keeps (default 10 % of
 * the token's limit, docs/activity-sweeps.md §3); it was not sent. The sweep records what it
 * did up to here, with its cursors, so the next run resumes.
 */
export class BudgetReserveError extends HubstoreError {
  override readonly name = 'BudgetReserveError'
  readonly code = 'BUDGET_RESERVE_REACHED'
  constructor(
    /** whose budget: `token`, `installation:<id>`, `app` */
    readonly budget: string,
    /** GitHub's `x-ratelimit-resource`: `core` or `graphql` */
    readonly resource: string,
    readonly remaining: number,
    /** requests (or points) kept back */
    readonly reserve: number,
    /** when the window resets, ISO 8601 */
    readonly resetAt: string
  ) {
    super(
      `Stopped before dipping into the ${resource} rate-limit reserve of ${budget}: ` +
        `${remaining} left, ${reserve} kept in reserve. The work done so far is saved; ` +
        `run again after ${resetAt}, or lower the reserve (reservePercent).`
    )
  }
}

/** Another sweep holds the sweep lock (in this or another process); nothing was done. */
export class SweepLockedError extends HubstoreError {
  override readonly name = 'SweepLockedError'
  readonly code = 'SWEEP_LOCKED'
  constructor(
    /** the lock's name */
    readonly lock: string,
    /** who holds it (`host:pid`), when known */
    readonly holder: string | null
  ) {
    super(
      `Another sweep is running (lock "${lock}"${holder ? ` held by ${holder}` : ''}). ` +
        `Wait for it to finish; a crashed holder's lock expires by itself.`
    )
  }
}

/** What an activity client needs is missing or wrong (token, App id, key, installation). */
export class ActivityAuthError extends HubstoreError {
  override readonly name = 'ActivityAuthError'
  readonly code = 'ACTIVITY_AUTH_INVALID'
  constructor(
    readonly problem: string,
    readonly fix: string
  ) {
    super(`${problem}. ${fix}`)
  }
}

/**
 * GitHub would not answer the GraphQL change query for this client: a GraphQL error of type
 * `RATE_LIMITED`, `FORBIDDEN` or `INSUFFICIENT_SCOPES` (GitHub answers those with HTTP 200). A
 * sweep in `detect: 'auto'` checks the batch with REST conditional requests instead
 * (docs/activity-sweeps.md §2 item 4); with `detect: 'graphql'` the sweep stops `failed`.
 */
export class ChangeQueryRefusedError extends HubstoreError {
  override readonly name = 'ChangeQueryRefusedError'
  readonly code = 'CHANGE_QUERY_REFUSED'
  constructor(
    /** GitHub's GraphQL error `type` */
    readonly graphqlType: string,
    /** GitHub's message for it */
    readonly githubMessage: string
  ) {
    super(
      `GitHub refused the GraphQL change query (${graphqlType}): ${githubMessage}. ` +
        `Give the token GraphQL access, wait for its GraphQL budget to reset, or sweep with ` +
        `detect 'auto' / 'rest' (REST conditional requests).`
    )
  }
}
