/**
 * Repair loop (b): the periodic sweep. It skips repositories synced within `minIntervalMs`
 * (the seed's 10 minutes), asks GitHub about the rest in GraphQL change queries of ≤ 100
 * repositories (2 points each, changes.ts), and runs the delta fetch (`syncRepository` with
 * `since`, fetch.ts) only for those whose head, `pushedAt` or newest issue / pull request moved
 * (docs/activity-sweeps.md §1, §2). One sweep at a time across processes (the `sweep` lock);
 * every page a delta fetch writes carries its cursor, and every repository checked gets its
 * `last_synced_at` at once, so a killed sweep's rerun resumes where it stopped; the killed job
 * is recorded `interrupted` by the next start (jobs.ts).
 */
import type { HubstoreOctokit } from '../github/client.js'
import { BudgetReserveError, SweepLockedError } from '../errors/activity-sync.js'
import {
  compareWithRow,
  queryChanges,
  REPOSITORIES_PER_QUERY,
  type RepositoryKey
} from './changes.js'
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
  | { phase: 'detect'; checked: number; total: number; changed: number }
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
  /** A governor shared with other loops of the process (default: one for this sweep). */
  governor?: BudgetGovernor
  onProgress?: (progress: SweepProgress) => void
}

interface Target {
  fullName: string
  installationId: number | null
  row: RepositoryRow | undefined
}

/**
 * Runs one periodic sweep and answers its finished job row (`type: 'periodic'`): `status`
 * `succeeded`, or `failed` with the error that stopped it (`BUDGET_RESERVE_REACHED` when the
 * governor's reserve was reached: the work done and the cursors are kept for the next run).
 * One repository failing (deleted, no access) is recorded in `errors` and the sweep goes on.
 *
 * Cost in steady state (nothing changed): ⌈N / 100⌉ GraphQL queries of 2 points each and no
 * REST request; each changed repository adds its delta fetch (fetch.ts).
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

async function targetsOf(db: ActivityDb, which: SweepOptions['repositories']): Promise<Target[]> {
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
  const targets: Target[] = []
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
  const all = await targetsOf(db, options.repositories)
  const cutoff = now() - minIntervalMs
  const due = all.filter(
    (t) => !t.row?.last_synced_at || Date.parse(t.row.last_synced_at) <= cutoff
  )
  options.onProgress?.({ phase: 'plan', total: due.length, skipped: all.length - due.length })
  const byInstallation = new Map<number | null, Target[]>()
  for (const t of due)
    byInstallation.set(t.installationId, [...(byInstallation.get(t.installationId) ?? []), t])
  const budgetKey =
    options.budgetKey ?? ((id: number | null) => (id === null ? 'token' : `installation:${id}`))
  let checked = 0
  let changedTotal = 0
  let synced = 0
  for (const [installationId, targets] of byInstallation) {
    const octokit = await options.clientFor(installationId)
    governor.attach(octokit, budgetKey(installationId))
    record.use(octokit)
    for (let i = 0; i < targets.length; i += REPOSITORIES_PER_QUERY) {
      const chunk = targets.slice(i, i + REPOSITORIES_PER_QUERY)
      const keys: RepositoryKey[] = chunk.map((t) =>
        t.row?.node_id ? { nodeId: t.row.node_id } : { fullName: t.fullName }
      )
      const answer = await queryChanges(octokit, keys)
      await renewLock()
      const changed: Array<{
        target: Target
        why: string[]
        fullName: string
        id: number
        headSha: string | null
      }> = []
      chunk.forEach((target, k) => {
        const key = keys[k]!
        const state = answer.found.get('nodeId' in key ? key.nodeId : key.fullName)
        if (!state) {
          record.error({
            repository: target.fullName,
            error: {
              code: 'NOT_FOUND',
              message: `${target.fullName} is gone or no longer visible to this token`
            }
          })
          return
        }
        const why = compareWithRow(target.row, state)
        if (why.length > 0)
          changed.push({
            target,
            why,
            fullName: state.fullName,
            id: state.databaseId,
            headSha: state.headSha
          })
      })
      // unchanged ones were checked: their sync is up to date as of now
      const at = new Date(now()).toISOString()
      const unchanged = chunk.filter(
        (t) => t.row && !changed.some((c) => c.target === t) && answer.found.has(keyFor(t))
      )
      for (const t of unchanged) {
        await db.run('UPDATE repositories SET last_synced_at = ? WHERE id = ?', [at, t.row!.id])
        record.repositoryProcessed()
      }
      checked += chunk.length
      changedTotal += changed.length
      options.onProgress?.({ phase: 'detect', checked, total: due.length, changed: changedTotal })
      for (const c of changed) {
        try {
          // the commits between the stored head and the new one, whatever their dates: a
          // `since` by committer date misses commits made before the last sync, pushed after
          const before = c.target.row?.head_sha
          if (before && c.headSha && before !== c.headSha) {
            const [owner, name] = c.fullName.split('/') as [string, string]
            const commits = await fetchPushedCommits(
              db,
              octokit,
              { id: c.id, owner, name },
              before,
              c.headSha
            )
            record.count('commits', await db.transaction((tx) => upsertCommits(tx, c.id, commits)))
          }
          const result = await syncRepository(
            db,
            octokit,
            { id: c.id, full_name: c.fullName },
            {
              since: c.target.row?.last_synced_at ?? null,
              installationId,
              now: () => new Date(now())
            }
          )
          record.add(result.counts)
          record.repositoryProcessed()
        } catch (error) {
          if (
            error instanceof BudgetReserveError ||
            (error as { code?: string }).code === 'BUDGET_RESERVE_REACHED'
          )
            throw error
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

function keyFor(t: Target): string {
  return t.row?.node_id ? t.row.node_id : t.fullName
}
