import {
  activityClients,
  getRepository,
  healthReport,
  listJobs,
  markInterruptedJobs,
  openActivityDb,
  receiveDelivery,
  redeliverFailed,
  releaseLock,
  runJob,
  startInboxWorker,
  sweep,
  syncRepository,
  tryAcquireLock,
  type ActivityClients,
  type ActivityDb,
  type SweepProgress
} from '@hubstore/core/activity'
import type { ActivityService } from './service.js'

/** GitHub credentials of the server: one token, or a GitHub App. */
export type ServerCredentials = { token: string } | { appId: string | number; privateKey: string }

/** Options of {@link createActivityService}. */
export interface ActivityServiceOptions {
  /** `sqlite:PATH` or `postgres://…` (the activity module's `openActivityDb`). */
  database: string
  /** Absent: deliveries are stored and processed, but nothing that needs GitHub can run. */
  credentials?: ServerCredentials
  /** REST API root (GitHub Enterprise Server, the emulator). Default GitHub's. */
  baseUrl?: string
  /** Token mode: the repositories the sweep covers (`owner/name`). App mode: the installations'. */
  repositories?: readonly string[]
  /** This process in job rows and leases. Default `host:pid`. */
  runnerId?: string
  /** Milliseconds an idle inbox worker waits before looking again. Default 1,000. */
  pollIntervalMs?: number
  /** Called after each delivery a worker processed or failed (the server logs them). */
  onDelivery?: (d: {
    guid: string
    event: string
    status: 'processed' | 'failed'
    error?: string
  }) => void
  /** Called with each step of a sweep (the server logs the REST fallback lines). */
  onSweepProgress?: (progress: SweepProgress) => void
  /** Where a worker's failed pass is reported. Default nowhere. */
  onError?: (error: unknown) => void
  /** Clients already built (tests pass ones with millisecond throttling). */
  clients?: ActivityClients
  /** The inbox workers' clock (leases, retries). Default the host's. */
  now?: () => Date
  /** How long a worker's claim on a delivery holds, ms. Default the module's (5 minutes). */
  leaseMs?: number
}

/**
 * The real {@link ActivityService}: opens (and migrates) the database, builds the GitHub
 * clients (`activityClients`) and binds the activity module's operations to them.
 * @throws the activity module's errors (`InvalidActivityDatabaseError`, `ActivityAuthError`).
 */
export async function createActivityService(
  options: ActivityServiceOptions
): Promise<ActivityService> {
  const clients =
    options.clients ??
    (options.credentials
      ? activityClients({
          ...options.credentials,
          ...(options.baseUrl ? { baseUrl: options.baseUrl } : {})
        })
      : undefined)
  const db: ActivityDb = await openActivityDb(options.database)
  const runner = options.runnerId
  const clientFor = (installationId: number | null) => {
    if (!clients)
      throw new Error(
        'No GitHub credentials: set GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY, or GITHUB_TOKEN.'
      )
    return clients.clientFor(installationId)
  }
  const appClient = clients?.appClient
  return {
    receiveDelivery: ({ headers, rawBody, secret, maxBytes, now }) =>
      receiveDelivery(db, { headers, rawBody, secret, maxBytes, now: () => now }),
    startInboxWorker: ({ workerId }) =>
      startInboxWorker(db, {
        clientFor,
        workerId,
        ...(options.now ? { now: options.now } : {}),
        ...(options.leaseMs === undefined ? {} : { leaseMs: options.leaseMs }),
        ...(options.pollIntervalMs === undefined ? {} : { pollIntervalMs: options.pollIntervalMs }),
        ...(options.onError ? { onError: options.onError } : {}),
        ...(options.onDelivery ? { onDelivery: options.onDelivery } : {})
      }),
    markInterruptedJobs: async (now) => (await markInterruptedJobs(db, undefined, now)).length,
    sweep: ({ minIntervalMs, now }) =>
      sweep(db, {
        clientFor,
        minIntervalMs,
        now: () => now.getTime(),
        ...(runner ? { runner } : {}),
        ...(options.repositories ? { repositories: options.repositories } : {}),
        ...(options.onSweepProgress ? { onProgress: options.onSweepProgress } : {})
      }),
    syncRepository: async (repositoryId, now) => {
      const row = await getRepository(db, repositoryId)
      if (!row) return undefined
      return runJob(
        db,
        'repository',
        { now: () => now.getTime(), ...(runner ? { runner } : {}) },
        async (record) => {
          const octokit = await clientFor(row.installation_id)
          record.use(octokit)
          const result = await syncRepository(
            db,
            octokit,
            { id: row.id, full_name: row.full_name },
            { since: row.last_synced_at, installationId: row.installation_id }
          )
          record.add(result.counts)
          record.repositoryProcessed()
        }
      )
    },
    ...(appClient
      ? {
          redeliverFailed: async (now: Date) =>
            (
              await redeliverFailed(db, appClient, {
                now: () => now.getTime(),
                ...(runner ? { runner } : {})
              })
            ).job
        }
      : {}),
    listJobs: (query) => listJobs(db, query),
    healthReport: ({ now, minIntervalMs }) => healthReport(db, { now, minIntervalMs }),
    tryAcquireLock: (name, owner, ttlMs, now) => tryAcquireLock(db, name, owner, ttlMs, now),
    releaseLock: async (name, owner) => void (await releaseLock(db, name, owner)),
    close: () => db.close()
  }
}
