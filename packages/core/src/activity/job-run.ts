/**
 * One repair-loop run as one `sync_jobs` row: `runJob` starts the job (jobs.ts), hands the
 * loop a recorder for counts, errors and the clients it spends with (their spend is read from
 * spend.ts's one counter per client), and finishes the job — `succeeded`, `stopped` when the
 * budget governor refused a request (`BUDGET_RESERVE_REACHED`), or `failed` with the error that
 * stopped it — returning the row.
 */
import { isHubstoreError } from '../errors.js'
import type { HubstoreOctokit } from '../github/client.js'
import { finishJob, getJob, startJob, thisRunner, type JobError } from './jobs.js'
import { emptyCounts } from './rows.js'
import { meterOf, recordRateLimits, type Spend } from './spend.js'
import type { ActivityDb, SyncCounts, SyncJobRow, SyncJobType } from './types.js'

/** Options every repair loop takes. */
export interface JobRunOptions {
  /** Clock, epoch ms (default `Date.now`); tests pass the emulator's. */
  now?: () => number
  /** `host:pid` recorded as the job's runner (default this process). */
  runner?: string
}

/** What a loop reports into its job while it runs. */
export interface JobRecorder {
  readonly jobId: number
  count(kind: keyof SyncCounts, n: number): void
  /** Adds counts a sync returned. */
  add(counts: Partial<SyncCounts>): void
  repositoryProcessed(): void
  error(entry: { repository?: string; delivery?: string; error: unknown }): void
  /** Counts what `octokit` spends from now until the job ends. */
  use(octokit: HubstoreOctokit): void
}

function jobError(entry: { repository?: string; delivery?: string; error: unknown }): JobError {
  const e = entry.error as { code?: unknown; status?: unknown; message?: unknown }
  const code = isHubstoreError(entry.error)
    ? entry.error.code
    : typeof e?.status === 'number'
      ? `HTTP_${e.status}`
      : 'ERROR'
  return {
    ...(entry.repository ? { repository: entry.repository } : {}),
    ...(entry.delivery ? { delivery: entry.delivery } : {}),
    code,
    message: typeof e?.message === 'string' ? e.message : String(entry.error)
  }
}

/**
 * Runs `body` as a job of `type` and answers the finished row. An error thrown by `body` ends
 * the job `failed` (`stopped` for `BUDGET_RESERVE_REACHED`) with that error recorded last; it is
 * not rethrown (the row says it). Errors
 * the body records itself (one repository failing) leave the job `succeeded` unless the body
 * throws.
 */
export async function runJob(
  db: ActivityDb,
  type: SyncJobType,
  options: JobRunOptions,
  body: (record: JobRecorder) => Promise<void>
): Promise<SyncJobRow> {
  const now = options.now ?? Date.now
  const id = await startJob(db, type, options.runner ?? thisRunner(), new Date(now()))
  const counts = emptyCounts()
  const errors: JobError[] = []
  const used = new Map<HubstoreOctokit, Spend>()
  let processed = 0
  const record: JobRecorder = {
    jobId: id,
    count: (kind, n) => void (counts[kind] += n),
    add: (more) => {
      for (const [k, v] of Object.entries(more))
        if (typeof v === 'number') counts[k as keyof SyncCounts] += v
    },
    repositoryProcessed: () => void (processed += 1),
    error: (entry) => void errors.push(jobError(entry)),
    use: (octokit) => {
      if (!used.has(octokit)) used.set(octokit, meterOf(octokit).snapshot())
    }
  }
  let status: 'succeeded' | 'failed' | 'stopped' = 'succeeded'
  try {
    await body(record)
  } catch (error) {
    // the governor's refusal is a planned stop, not a failure (docs/activity-sweeps.md §3)
    status = (error as { code?: unknown }).code === 'BUDGET_RESERVE_REACHED' ? 'stopped' : 'failed'
    errors.push(jobError({ error }))
  }
  const spend = { rest_requests: 0, graphql_points: 0 }
  for (const [octokit, before] of used) {
    const meter = meterOf(octokit)
    const s = meter.since(before)
    spend.rest_requests += s.rest_requests
    spend.graphql_points += s.graphql_points
    await recordRateLimits(db, meter)
  }
  await finishJob(db, id, {
    status,
    counts,
    errors,
    repositories_processed: processed,
    ...spend,
    now: new Date(now())
  })
  return (await getJob(db, id))!
}
