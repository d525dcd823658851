/**
 * Inbox workers (docs/activity-sync.md §4): claim deliveries with one guarded UPDATE (two
 * workers never both hold one GUID), process each, mark it `processed` or `failed` (retried
 * later, up to `maxAttempts`). A worker that dies holding deliveries leaves them `processing`
 * with a lease; once `locked_until` passes, any worker claims them again, so kill -9 loses
 * nothing. Each pass that claims anything is one `webhook` job in `sync_jobs`.
 */
import type { HubstoreOctokit } from '../github/client.js'
import { addCounts, emptyCounts } from './rows.js'
import { finishJob, startJob, thisRunner, type JobError } from './jobs.js'
import type { ClaimedDelivery, HandlerContext, Json } from './process/context.js'
import { HANDLERS } from './process/index.js'
import { meterOf, recordRateLimits, type Spend } from './spend.js'
import type { ActivityDb, SyncCounts } from './types.js'

/** Options of {@link processInbox}; every field but `clientFor` has a default. */
export interface ProcessInboxOptions {
  /**
   * The client for an installation (`null`: a delivery with no installation, e.g. a repository
   * webhook): an App installation client, or one token's client.
   */
  clientFor: (installationId: number | null) => Promise<HubstoreOctokit>
  /** This worker's name in `locked_by` (default `host:pid`). */
  workerId?: string
  /** Most deliveries claimed in one pass (default 50). */
  limit?: number
  now?: () => Date
  /** How long a claim holds before another worker may take the delivery over (default 300,000 ms). */
  leaseMs?: number
  /** Attempts after which a failed delivery stays failed (default 5). */
  maxAttempts?: number
  /** Wait before a failed delivery is retried: `retryDelayMs × attempts` (default 60,000 ms). */
  retryDelayMs?: number
  /** Called after each delivery. */
  onDelivery?: (d: {
    guid: string
    event: string
    status: 'processed' | 'failed'
    error?: string
  }) => void
}

/** What one {@link processInbox} pass did. */
export interface ProcessInboxResult {
  /** The `webhook` job of this pass, or `null` when nothing was claimed. */
  job_id: number | null
  claimed: number
  processed: number
  failed: number
  counts: SyncCounts
  errors: JobError[]
  spend: Spend
}

const CLAIMABLE = `(status = 'pending'
  OR (status = 'failed' AND attempts < ? AND (locked_until IS NULL OR locked_until <= ?))
  OR (status = 'processing' AND locked_until <= ?))`

/** Claims up to `limit` deliveries for `worker` (oldest first); answers them. */
async function claim(
  db: ActivityDb,
  worker: string,
  limit: number,
  now: Date,
  leaseMs: number,
  maxAttempts: number
): Promise<Array<Omit<ClaimedDelivery, 'payload'> & { payload: string; received_at: string }>> {
  const at = now.toISOString()
  const until = new Date(now.getTime() + leaseMs).toISOString()
  const skipLocked = db.engine === 'postgres' ? ' FOR UPDATE SKIP LOCKED' : ''
  const rows = await db.all<
    Omit<ClaimedDelivery, 'payload'> & { payload: string; received_at: string }
  >(
    `UPDATE deliveries SET status = 'processing', locked_by = ?, locked_until = ?, attempts = attempts + 1
      WHERE guid IN (SELECT guid FROM deliveries WHERE ${CLAIMABLE}
                      ORDER BY received_at, guid LIMIT ?${skipLocked})
        AND ${CLAIMABLE}
      RETURNING guid, event, action, installation_id, payload, attempts, received_at`,
    [worker, until, maxAttempts, at, at, limit, maxAttempts, at, at]
  )
  return rows.sort((a, b) =>
    a.received_at === b.received_at
      ? a.guid < b.guid
        ? -1
        : 1
      : a.received_at < b.received_at
        ? -1
        : 1
  )
}

function errorCode(error: unknown): string {
  const e = error as { code?: unknown; status?: unknown; name?: unknown }
  if (typeof e?.code === 'string') return e.code
  if (typeof e?.status === 'number') return `HTTP_${e.status}`
  return typeof e?.name === 'string' ? e.name : 'ERROR'
}

/**
 * One pass over the inbox: claims up to `limit` claimable deliveries — `pending`, `failed`
 * under `maxAttempts` whose retry time has come, or `processing` whose lease expired — and
 * processes them one by one, oldest first. Each delivery's remaining writes and its
 * `processed` mark are one transaction, guarded by `locked_by` (a worker whose lease was taken
 * over writes no mark). A failure marks it `failed` with the error and a retry time. Answers
 * counts per kind and the REST requests / GraphQL points spent, also recorded as one
 * `webhook` job (none when nothing was claimed).
 */
export async function processInbox(
  db: ActivityDb,
  options: ProcessInboxOptions
): Promise<ProcessInboxResult> {
  const now = options.now ?? (() => new Date())
  const worker = options.workerId ?? thisRunner()
  const leaseMs = options.leaseMs ?? 300_000
  const maxAttempts = options.maxAttempts ?? 5
  const retryDelayMs = options.retryDelayMs ?? 60_000
  const counts = emptyCounts()
  const errors: JobError[] = []
  const result: ProcessInboxResult = {
    job_id: null,
    claimed: 0,
    processed: 0,
    failed: 0,
    counts,
    errors,
    spend: { rest_requests: 0, graphql_points: 0 }
  }
  const claimed = await claim(db, worker, options.limit ?? 50, now(), leaseMs, maxAttempts)
  result.claimed = claimed.length
  if (claimed.length === 0) return result
  const jobId = await startJob(db, 'webhook', thisRunner(), now())
  result.job_id = jobId
  const clients = new Map<number | null, { octokit: HubstoreOctokit; before: Spend }>()
  const repositories = new Set<number>()
  for (const row of claimed) {
    let payload: Json
    try {
      payload = JSON.parse(row.payload) as Json
    } catch {
      payload = {}
    }
    const delivery: ClaimedDelivery = { ...row, payload }
    const ctx: HandlerContext = {
      db,
      delivery,
      counts: emptyCounts(),
      repositories: new Set(),
      now,
      octokit: async () => {
        const key = delivery.installation_id
        let c = clients.get(key)
        if (!c) {
          const octokit = await options.clientFor(key)
          c = { octokit, before: meterOf(octokit).snapshot() }
          clients.set(key, c)
        }
        return c.octokit
      }
    }
    try {
      const handler = HANDLERS[delivery.event]
      const apply = handler ? await handler(ctx) : async () => undefined
      const marked = await db.transaction(async (tx) => {
        await apply(tx)
        const r = await tx.run(
          `UPDATE deliveries SET status = 'processed', processed_at = ?, error = NULL, locked_by = NULL, locked_until = NULL
            WHERE guid = ? AND locked_by = ? AND status = 'processing'`,
          [now().toISOString(), delivery.guid, worker]
        )
        if (r.changes !== 1) throw new LeaseLost(delivery.guid)
        return true
      })
      if (marked) {
        result.processed++
        addCounts(counts, ctx.counts)
        counts.deliveries++
        for (const id of ctx.repositories) repositories.add(id)
        options.onDelivery?.({ guid: delivery.guid, event: delivery.event, status: 'processed' })
      }
    } catch (error) {
      if (error instanceof LeaseLost) continue // another worker owns it now; its outcome counts
      const message = String((error as Error)?.message ?? error).slice(0, 2000)
      const retryAt = new Date(now().getTime() + retryDelayMs * delivery.attempts).toISOString()
      await db.run(
        `UPDATE deliveries SET status = 'failed', error = ?, locked_by = NULL, locked_until = ?
          WHERE guid = ? AND locked_by = ?`,
        [message, retryAt, delivery.guid, worker]
      )
      result.failed++
      errors.push({ delivery: delivery.guid, code: errorCode(error), message })
      options.onDelivery?.({
        guid: delivery.guid,
        event: delivery.event,
        status: 'failed',
        error: message
      })
    }
  }
  for (const { octokit, before } of clients.values()) {
    const meter = meterOf(octokit)
    const s = meter.since(before)
    result.spend.rest_requests += s.rest_requests
    result.spend.graphql_points += s.graphql_points
    await recordRateLimits(db, meter)
  }
  await finishJob(db, jobId, {
    status: result.failed > 0 && result.processed === 0 ? 'failed' : 'succeeded',
    counts,
    errors,
    repositories_processed: repositories.size,
    rest_requests: result.spend.rest_requests,
    graphql_points: result.spend.graphql_points,
    now: now()
  })
  return result
}

class LeaseLost extends Error {
  constructor(guid: string) {
    super(`the lease on delivery ${guid} was taken over`)
  }
}

/** Options of {@link startInboxWorker}. */
export interface InboxWorkerOptions extends ProcessInboxOptions {
  /** Milliseconds between passes that found nothing (default 1,000). */
  pollIntervalMs?: number
  /** Called with an error that stopped a pass (the loop goes on). */
  onError?: (error: unknown) => void
  /** Called after each pass that claimed something. */
  onPass?: (result: ProcessInboxResult) => void
}

/**
 * Runs {@link processInbox} in a loop: again at once while passes find work, after
 * `pollIntervalMs` when the inbox is empty. `stop()` ends the loop and resolves once the pass
 * in flight has finished (its deliveries are marked, none left `processing`).
 */
export function startInboxWorker(
  db: ActivityDb,
  options: InboxWorkerOptions
): { stop(): Promise<void> } {
  let stopped = false
  let wake: (() => void) | null = null
  const loop = (async () => {
    while (!stopped) {
      let claimed = 0
      try {
        const r = await processInbox(db, options)
        claimed = r.claimed
        if (claimed > 0) options.onPass?.(r)
      } catch (error) {
        options.onError?.(error)
      }
      if (claimed === 0 && !stopped)
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, options.pollIntervalMs ?? 1000)
          wake = () => {
            clearTimeout(t)
            resolve()
          }
        })
      wake = null
    }
  })()
  return {
    async stop() {
      stopped = true
      ;(wake as (() => void) | null)?.()
      await loop
    }
  }
}
