/**
 * The `sync_jobs` history: every sync (an import, a worker pass over the inbox, a sweep, one
 * repository, a redelivery run) is one row, like the seed's `SyncJob` (docs/activity-sync.md §5).
 * A job is `running` until finished; a job whose process died is found by
 * {@link markInterruptedJobs} at the next start and recorded as `interrupted`.
 */
import { hostname } from 'node:os'
import type {
  ActivityDb,
  JobQuery,
  SyncCounts,
  SyncJobRow,
  SyncJobStatus,
  SyncJobType
} from './types.js'
import { emptyCounts } from './rows.js'

/** Every {@link SyncJobStatus}, for flag and query validation. */
export const SYNC_JOB_STATUSES: readonly SyncJobStatus[] = [
  'running',
  'succeeded',
  'failed',
  'stopped',
  'interrupted'
]

/** One entry of a job's `errors`. */
export interface JobError {
  repository?: string
  delivery?: string
  code: string
  message: string
}

/** What {@link finishJob} records. */
export interface JobOutcome {
  status: Exclude<SyncJobStatus, 'running'>
  counts?: Partial<SyncCounts>
  errors?: readonly JobError[]
  repositories_processed?: number
  /** REST requests that counted against the rate limit (a 304 does not). */
  rest_requests?: number
  graphql_points?: number
  now?: Date
}

/** `host:pid` of this process, the default `runner` of a job. */
export function thisRunner(): string {
  return `${hostname()}:${process.pid}`
}

/** Starts a `running` job of `type`; answers its id. */
export async function startJob(
  db: ActivityDb,
  type: SyncJobType,
  runner: string = thisRunner(),
  now: Date = new Date()
): Promise<number> {
  const row = await db.get<{ id: number }>(
    `INSERT INTO sync_jobs (type, status, repositories_processed, counts, errors, rest_requests, graphql_points, started_at, runner)
     VALUES (?, 'running', 0, ?, '[]', 0, 0, ?, ?) RETURNING id`,
    [type, JSON.stringify(emptyCounts()), now.toISOString(), runner]
  )
  return row!.id
}

/** Records the outcome of job `id` (status, counts, errors, spend) and its finish time. */
export async function finishJob(db: ActivityDb, id: number, outcome: JobOutcome): Promise<void> {
  const counts = { ...emptyCounts(), ...outcome.counts }
  await db.run(
    `UPDATE sync_jobs SET status = ?, counts = ?, errors = ?, repositories_processed = ?,
       rest_requests = ?, graphql_points = ?, finished_at = ? WHERE id = ?`,
    [
      outcome.status,
      JSON.stringify(counts),
      JSON.stringify(outcome.errors ?? []),
      outcome.repositories_processed ?? 0,
      outcome.rest_requests ?? 0,
      outcome.graphql_points ?? 0,
      (outcome.now ?? new Date()).toISOString(),
      id
    ]
  )
}

/**
 * True when the process `runner` (`host:pid`) still lives: on this host, a signal-0 probe;
 * another host's processes cannot be seen from here and count as alive.
 */
export function runnerAlive(runner: string): boolean {
  const m = /^(.*):(\d+)$/.exec(runner)
  if (!m || m[1] !== hostname()) return true
  try {
    process.kill(Number(m[2]), 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Marks `running` jobs whose runner is dead (`isAlive(runner)` false; default
 * {@link runnerAlive}) as `interrupted`, finished at `now`. Answers their ids.
 */
export async function markInterruptedJobs(
  db: ActivityDb,
  isAlive: (runner: string) => boolean = runnerAlive,
  now: Date = new Date()
): Promise<number[]> {
  const running = await db.all<{ id: number; runner: string }>(
    "SELECT id, runner FROM sync_jobs WHERE status = 'running' ORDER BY id"
  )
  const dead = running.filter((j) => !isAlive(j.runner)).map((j) => j.id)
  for (const id of dead)
    await db.run(
      "UPDATE sync_jobs SET status = 'interrupted', finished_at = ? WHERE id = ? AND status = 'running'",
      [now.toISOString(), id]
    )
  return dead
}

/** Jobs, newest first: `limit` (default 20, at most 500), optionally of one `status`. */
export async function listJobs(db: ActivityDb, query: JobQuery = {}): Promise<SyncJobRow[]> {
  const limit = Math.min(500, Math.max(1, Math.floor(query.limit ?? 20)))
  const where = query.status ? 'WHERE status = ?' : ''
  return db.all<SyncJobRow>(
    `SELECT * FROM sync_jobs ${where} ORDER BY id DESC LIMIT ?`,
    query.status ? [query.status, limit] : [limit]
  )
}

/** One job by id, or `undefined`. */
export function getJob(db: ActivityDb, id: number): Promise<SyncJobRow | undefined> {
  return db.get<SyncJobRow>('SELECT * FROM sync_jobs WHERE id = ?', [id])
}
