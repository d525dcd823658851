import type { HealthReport, JobQuery, ReceiveOutcome, SyncJobRow } from '@hubstore/core/activity'

/** Request headers as Node gives them (lower-case names). */
export type RequestHeaders = Readonly<Record<string, string | string[] | undefined>>

/** A running inbox worker; `stop()` resolves once the delivery it holds (if any) is done. */
export interface InboxWorkerHandle {
  stop(): Promise<void>
}

/**
 * What the server needs from the activity module (`@hubstore/core/activity`), with the
 * database and the GitHub clients already bound. The server holds one of these and nothing
 * else of the module, so its HTTP, authentication, scheduler and dashboard work over any
 * store that implements it; {@link createActivityService} builds the real one.
 *
 * Times are passed in (`now`) so a caller controls the clock; durations are milliseconds.
 */
export interface ActivityService {
  /**
   * Verifies `X-Hub-Signature-256` over `rawBody` under `secret` and stores the delivery in
   * the inbox by its `X-GitHub-Delivery` GUID (a duplicate is a no-op). Never processes it.
   * A bad or missing signature is `rejected` with 401 and stores nothing.
   */
  receiveDelivery(input: {
    headers: RequestHeaders
    rawBody: Uint8Array
    secret: string
    maxBytes: number
    now: Date
  }): Promise<ReceiveOutcome>
  /** Starts one worker that processes the inbox until stopped (leases, retries: the module's). */
  startInboxWorker(options: { workerId: string }): InboxWorkerHandle
  /** Marks jobs left `running` by a process that died as `interrupted`; answers how many. */
  markInterruptedJobs(now: Date): Promise<number>
  /** One periodic sweep, skipping repositories synced within `minIntervalMs`; the job row. */
  sweep(options: { minIntervalMs: number; now: Date }): Promise<SyncJobRow>
  /**
   * One repository synced now, by GitHub repository id; the job row, or `undefined` when the
   * database has no repository with that id.
   */
  syncRepository(repositoryId: number, now: Date): Promise<SyncJobRow | undefined>
  /** Redelivery of failed deliveries (App credentials only; `undefined` without them). */
  redeliverFailed?: (now: Date) => Promise<SyncJobRow>
  /** Jobs, newest first. */
  listJobs(query: JobQuery): Promise<SyncJobRow[]>
  healthReport(options: { now: Date; minIntervalMs: number }): Promise<HealthReport>
  /**
   * A named lease shared by every process on the database: true when `owner` now holds it
   * (free, expired, or already its own) until `now + ttlMs`.
   */
  tryAcquireLock(name: string, owner: string, ttlMs: number, now: Date): Promise<boolean>
  releaseLock(name: string, owner: string): Promise<void>
  /** Closes the database. */
  close(): Promise<void>
}
