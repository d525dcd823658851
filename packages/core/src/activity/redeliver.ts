/**
 * Repair loop (a), the cheapest: redelivery of webhook deliveries GitHub failed to deliver,
 * through the App's delivery log, after GitHub's documented script (docs/activity-sweeps.md
 * §5): list `GET /app/hook/deliveries` back to the window's start, group the attempts by
 * `guid`, and ask `POST /app/hook/deliveries/{delivery_id}/attempts` for each GUID with no `OK`
 * attempt that the inbox does not hold already. Each run is a `redelivery` job row.
 */
import type { HubstoreOctokit } from '../github/client.js'
import { callGitHub } from '../github/request.js'
import { runJob, type JobRunOptions } from './job-run.js'
import type { ActivityDb, SyncJobRow } from './types.js'

/** GitHub keeps failed deliveries redeliverable for 3 days: 259,200,000 ms. */
export const REDELIVERY_WINDOW_MS = 3 * 24 * 60 * 60 * 1000

/** One item of `GET /app/hook/deliveries` (the fields read here). */
interface DeliveryAttempt {
  id: number
  guid: string
  delivered_at: string
  redelivery: boolean
  status: string
  status_code: number
  event: string
  action: string | null
}

/** Options of {@link redeliverFailed}. */
export interface RedeliverOptions extends JobRunOptions {
  /** Only deliveries at most this old are looked at (default and maximum: 3 days, ms). */
  windowMs?: number
  /** Called once per redelivery asked for. */
  onRedeliver?: (attempt: { guid: string; deliveryId: number; event: string }) => void
}

/** What a run found (also in the job row: `counts.deliveries` = `redelivered`). */
export interface RedeliverResult {
  job: SyncJobRow
  /** GUIDs seen in the window */
  guids: number
  /** GUIDs with no OK attempt that were redelivered */
  redelivered: string[]
  /** GUIDs with no OK attempt that the inbox already holds (not redelivered) */
  inInbox: string[]
}

/**
 * Redelivers the App's failed webhook deliveries of the last `windowMs` (≤ 3 days) once each.
 *
 * Requests: ⌈attempts in the window / 100⌉ listings plus one POST per redelivered GUID, all
 * with the App's JWT (`appClient` of `activityClients`). The job row (`type: 'redelivery'`)
 * records the count and, per GUID whose redelivery GitHub refused, an error.
 *
 * @throws GitHubRequestError when the listing fails (the job is recorded `failed` first)
 */
export async function redeliverFailed(
  db: ActivityDb,
  appClient: HubstoreOctokit,
  options: RedeliverOptions = {}
): Promise<RedeliverResult> {
  const now = options.now ?? Date.now
  const windowMs = Math.min(options.windowMs ?? REDELIVERY_WINDOW_MS, REDELIVERY_WINDOW_MS)
  const found = { guids: 0, redelivered: [] as string[], inInbox: [] as string[] }
  const job = await runJob(db, 'redelivery', options, async (record) => {
    const since = now() - windowMs
    const byGuid = new Map<string, DeliveryAttempt[]>()
    const pages = appClient.paginate.iterator('GET /app/hook/deliveries', { per_page: 100 })
    listing: for await (const page of pages) {
      for (const attempt of page.data as DeliveryAttempt[]) {
        // newest first: the first attempt older than the window ends the listing
        if (Date.parse(attempt.delivered_at) < since) break listing
        const list = byGuid.get(attempt.guid) ?? []
        list.push(attempt)
        byGuid.set(attempt.guid, list)
      }
    }
    found.guids = byGuid.size
    const failed = [...byGuid].filter(([, attempts]) => !attempts.some((a) => a.status === 'OK'))
    const held = await guidsInInbox(
      db,
      failed.map(([guid]) => guid)
    )
    for (const [guid, attempts] of failed) {
      if (held.has(guid)) {
        found.inInbox.push(guid)
        continue
      }
      const latest = attempts[0]!
      try {
        await callGitHub(`redeliver delivery ${guid}`, () =>
          appClient.request('POST /app/hook/deliveries/{delivery_id}/attempts', {
            delivery_id: latest.id
          })
        )
        found.redelivered.push(guid)
        record.count('deliveries', 1)
        options.onRedeliver?.({ guid, deliveryId: latest.id, event: latest.event })
      } catch (error) {
        record.error({ delivery: guid, error })
      }
    }
  })
  return { job, ...found }
}

/** The GUIDs of `guids` the inbox holds, whatever their status. */
async function guidsInInbox(db: ActivityDb, guids: string[]): Promise<Set<string>> {
  const held = new Set<string>()
  for (let i = 0; i < guids.length; i += 500) {
    const part = guids.slice(i, i + 500)
    const rows = await db.all<{ guid: string }>(
      `SELECT guid FROM deliveries WHERE guid IN (${part.map(() => '?').join(', ')})`,
      part
    )
    for (const r of rows) held.add(r.guid)
  }
  return held
}
