/**
 * Repair loops (b) and (c): the periodic sweep. It skips repositories synced within
 * `minIntervalMs` (the seed's 10 minutes), asks GitHub about the rest in GraphQL change queries
 * of ≤ 100 repositories (2 points each, changes.ts) or, where GraphQL cannot serve, with REST
 * conditional requests (conditional.ts; which one: detect.ts), and runs the delta fetch
 * (`syncRepository` with `since`, fetch.ts) only for those whose head, `pushedAt` or newest
 * issue / pull request moved (docs/activity-sweeps.md §1, §2). One sweep at a time across processes (the `sweep` lock);
 * every page a delta fetch writes carries its cursor, and every repository checked gets its
 * `last_synced_at` at once, so a killed sweep's rerun resumes where it stopped; the killed job
 * is recorded `interrupted` by the next start (jobs.ts).
 */
import type { HubstoreOctokit } from '../github/client.js'
import { SweepLockedError } from '../errors/activity-sync.js'
import { InvalidOptionsError } from '../errors/github.js'
import { REPOSITORIES_PER_QUERY } from './changes.js'
import { saveValidators } from './conditional.js'
import {
  DETECT_MODES,
  Detector,
  type ChangedTarget,
  type DetectMode,
  type SweepTarget
} from './detect.js'
import { syncRepository } from './fetch.js'
import { fetchPushedCommits } from './process/push.js'
import { upsertCommits } from './rows.js'
import { BudgetGovernor } from './governor.js'
import { runJob, type JobRecorder, type JobRunOptions } from './job-run.js'
import { markInterruptedJobs, runnerAlive, thisRunner } from './jobs.js'
import { releaseLock, tryAcquireLock } from './store/locks.js'
import type { ActivityDb, RepositoryRow, SyncJobRow } from './types.js'

/** 10 minutes: repositories synced more recently are skipped (the seed's rule). */
export const SWEEP_MIN_INTERVAL_MS = 600_000
/** The lock every sweep takes. */
export const SWEEP_LOCK = 'sweep'
/** 15 minutes: the sweep lock's lease, renewed after every change query. */
export const SWEEP_LOCK_TTL_MS = 900_000

/** A step of a sweep, for progress lines. */
export type SweepProgress =
  | { phase: 'plan'; total: number; skipped: number }
  | {
      phase: 'detect'
      checked: number
      total: number
      changed: number
      /** REST conditional requests of this batch, and how many were answered 304 (free) */
      restSent: number
      restNotModified: number
    }
  /** `detect: 'auto'`: this client's batches go to REST conditional requests, and why. */
  | { phase: 'fallback'; budget: string; reason: string; repositories: number }
  | { phase: 'sync'; repository: string; why: string[]; done: number; total: number }

/** Options of {@link sweep}. */
export interface SweepOptions extends JobRunOptions {
  /** The client of an installation (`null`: token mode), e.g. `activityClients(…).clientFor`. */
  clientFor(installationId: number | null): Promise<HubstoreOctokit>
  /** Names a client's rate-limit budget in errors (default `installation:<id>` / `token`). */
  budgetKey?(installationId: number | null): string
  /**
   * Which repositories: full names (token mode; new ones are imported), or `'installations'`
   * (default): every stored repository that belongs to an installation.
   */
  repositories?: readonly string[] | 'installations'
  /** Skip repositories whose last successful sync is this recent, ms (default 600,000). */
  minIntervalMs?: number
  /** Share of each rate limit kept back, percent (default 10); ignored with `governor`. */
  reservePercent?: number
  /**
   * How changes are detected (docs/activity-sweeps.md §2): `graphql` (one change query per 100
   * repositories), `rest` (conditional GETs, conditional.ts), or `auto` (default): GraphQL,
   * falling back to REST for a batch GraphQL cannot serve (detect.ts).
   */
  detect?: DetectMode
  /** A governor shared with other loops of the process (default: one for this sweep). */
  governor?: BudgetGovernor
  onProgress?: (progress: SweepProgress) => void
}

/**
 * Runs one periodic sweep and answers its finished job row (`type: 'periodic'`): `status`
 * `succeeded`, `stopped` when the governor's reserve was reached (`BUDGET_RESERVE_REACHED` last
 * in `errors`: the work done and the cursors are kept for the next run), or `failed` with the
 * error that stopped it (an invalid `detect` is `INVALID_OPTIONS`). One repository failing
 * (deleted, no access) is recorded in `errors` and the sweep goes on.
 *
 * Cost in steady state (nothing changed): ⌈N / 100⌉ GraphQL queries of 2 points each and no
 * REST request; by REST (`detect: 'rest'`, or `auto`'s fallback) 3 conditional GETs per
 * repository, each answered 304, none counted (a repository never checked by REST pays 3 counted
 * requests once, to record its validators). Each changed repository adds its delta fetch.
 *
 * @throws SweepLockedError (`SWEEP_LOCKED`) when another live process holds the sweep lock
 */
export async function sweep(db: ActivityDb, options: SweepOptions): Promise<SyncJobRow> {
  const now = options.now ?? Date.now
  const runner = options.runner ?? thisRunner()
  await markInterruptedJobs(db, runnerAlive, new Date(now()))
  await acquire(db, runner, now)
  try {
    const governor =
      options.governor ?? new BudgetGovernor({ reservePercent: options.reservePercent, now })
    return await runJob(db, 'periodic', { ...options, runner }, (record) =>
      sweepBody(db, options, governor, record, () => acquire(db, runner, now))
    )
  } finally {
    await releaseLock(db, SWEEP_LOCK, runner)
  }
}

/** Takes (or renews) the sweep lock, taking it over from a holder whose process is dead. */
async function acquire(db: ActivityDb, runner: string, now: () => number): Promise<void> {
  if (await tryAcquireLock(db, SWEEP_LOCK, runner, SWEEP_LOCK_TTL_MS, new Date(now()))) return
  const holder = await db.get<{ owner: string }>('SELECT owner FROM locks WHERE name = ?', [
    SWEEP_LOCK
  ])
  if (holder && !runnerAlive(holder.owner)) {
    await db.run('DELETE FROM locks WHERE name = ? AND owner = ?', [SWEEP_LOCK, holder.owner])
    if (await tryAcquireLock(db, SWEEP_LOCK, runner, SWEEP_LOCK_TTL_MS, new Date(now()))) return
  }
  throw new SweepLockedError(SWEEP_LOCK, holder?.owner ?? null)
}

async function targetsOf(
  db: ActivityDb,
  which: SweepOptions['repositories']
): Promise<SweepTarget[]> {
  if (which === undefined || which === 'installations') {
    const rows = await db.all<RepositoryRow>(
      'SELECT * FROM repositories WHERE deleted_at IS NULL AND installation_id IS NOT NULL ORDER BY id'
    )
    return rows.map((row) => ({
      fullName: row.full_name,
      installationId: row.installation_id,
      row
    }))
  }
  const targets: SweepTarget[] = []
  for (const fullName of which) {
    const row = await db.get<RepositoryRow>(
      'SELECT * FROM repositories WHERE lower(full_name) = lower(?) AND deleted_at IS NULL',
      [fullName]
    )
    targets.push({ fullName, installationId: row?.installation_id ?? null, row })
  }
  return targets
}

async function sweepBody(
  db: ActivityDb,
  options: SweepOptions,
  governor: BudgetGovernor,
  record: JobRecorder,
  renewLock: () => Promise<void>
): Promise<void> {
  const now = options.now ?? Date.now
  const minIntervalMs = options.minIntervalMs ?? SWEEP_MIN_INTERVAL_MS
  const mode = options.detect ?? 'auto'
  if (!DETECT_MODES.includes(mode))
    throw new InvalidOptionsError('detect', DETECT_MODES.join(' | '), mode)
  const all = await targetsOf(db, options.repositories)
  const cutoff = now() - minIntervalMs
  const due = all.filter(
    (t) => !t.row?.last_synced_at || Date.parse(t.row.last_synced_at) <= cutoff
  )
  options.onProgress?.({ phase: 'plan', total: due.length, skipped: all.length - due.length })
  const byInstallation = new Map<number | null, SweepTarget[]>()
  for (const t of due)
    byInstallation.set(t.installationId, [...(byInstallation.get(t.installationId) ?? []), t])
  const budgetKey =
    options.budgetKey ?? ((id: number | null) => (id === null ? 'token' : `installation:${id}`))
  let checked = 0
  let changedTotal = 0
  let synced = 0
  for (const [installationId, targets] of byInstallation) {
    const octokit = await options.clientFor(installationId)
    const budget = budgetKey(installationId)
    governor.attach(octokit, budget)
    record.use(octokit)
    const detector = new Detector(db, octokit, budget, governor, mode, (reason, repositories) =>
      options.onProgress?.({ phase: 'fallback', budget, reason, repositories })
    )
    for (let i = 0; i < targets.length; i += REPOSITORIES_PER_QUERY) {
      const chunk = targets.slice(i, i + REPOSITORIES_PER_QUERY)
      const found = await detector.detect(chunk)
      await renewLock()
      for (const target of found.missing)
        record.error({
          repository: target.fullName,
          error: {
            code: 'NOT_FOUND',
            message: `${target.fullName} is gone or no longer visible to this token`
          }
        })
      // unchanged ones were checked: their sync is up to date as of now
      const at = new Date(now())
      for (const { target, fresh } of found.unchanged) {
        const id = target.row?.id
        if (id === undefined) continue
        const mark = (tx: ActivityDb) =>
          tx.run('UPDATE repositories SET last_synced_at = ? WHERE id = ?', [at.toISOString(), id])
        if (fresh.length === 0) await mark(db)
        else
          await db.transaction(async (tx) => {
            await mark(tx)
            await saveValidators(tx, id, fresh, at)
          })
        record.repositoryProcessed()
      }
      checked += chunk.length
      changedTotal += found.changed.length
      options.onProgress?.({
        phase: 'detect',
        checked,
        total: due.length,
        changed: changedTotal,
        restSent: found.restSent,
        restNotModified: found.restNotModified
      })
      for (const c of found.changed) {
        try {
          await deltaFetch(db, octokit, c, installationId, now, record)
          record.repositoryProcessed()
        } catch (error) {
          if ((error as { code?: string }).code === 'BUDGET_RESERVE_REACHED') throw error
          record.error({ repository: c.fullName, error })
        }
        synced += 1
        options.onProgress?.({
          phase: 'sync',
          repository: c.fullName,
          why: c.why,
          done: synced,
          total: changedTotal
        })
      }
    }
  }
}

/**
 * The delta fetch of one changed repository, whichever way the change was detected: the
 * commits between the stored head and the new one first (whatever their dates: a `since` by
 * committer date misses commits made before the last sync and pushed after it), then
 * `syncRepository` with `since` = the last sync; the REST validators of the check last, so a
 * fetch that fails is detected again by the next sweep.
 */
async function deltaFetch(
  db: ActivityDb,
  octokit: HubstoreOctokit,
  c: ChangedTarget,
  installationId: number | null,
  now: () => number,
  record: JobRecorder
): Promise<void> {
  const before = c.target.row?.head_sha
  if (c.id !== undefined && before && c.headSha && before !== c.headSha) {
    const [owner, name] = c.fullName.split('/') as [string, string]
    const id = c.id
    const commits = await fetchPushedCommits(db, octokit, { id, owner, name }, before, c.headSha)
    record.count('commits', await db.transaction((tx) => upsertCommits(tx, id, commits)))
  }
  const result = await syncRepository(
    db,
    octokit,
    { ...(c.id !== undefined ? { id: c.id } : {}), full_name: c.fullName },
    {
      since: c.target.row?.last_synced_at ?? null,
      installationId,
      now: () => new Date(now())
    }
  )
  record.add(result.counts)
  if (c.fresh.length > 0) await saveValidators(db, result.repository_id, c.fresh, new Date(now()))
}
