/**
 * An activity database that lives on a data branch between runs (the sync-activity action's
 * default; docs/activity-action.md §3): the directory holding the SQLite file is restored from
 * the branch when it is missing (`@hubstore/core/data`'s `restoreDirectory`, `ifMissing`),
 * opened, used, closed — SQLite merges the WAL into the main file when its last connection
 * closes — and backed up (`backupDirectory`), so each run uploads only the pages that changed.
 */
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { RepoContext } from '../github/context.js'
import { backupDirectory, type BackupResult } from '../data/backup.js'
import { restoreDirectory, type RestoreResult } from '../data/restore.js'
import type { DataRemoteOptions } from '../data/backup.js'
import { openActivityDb } from './store/open.js'
import type { ActivityDb } from './types.js'

/** The SQLite file inside the persisted directory. */
export const ACTIVITY_DB_FILE = 'activity.db'
/** The data branch the action keeps its database on by default. */
export const ACTIVITY_DATA_BRANCH = 'hubstore-activity'

/** Options of {@link withPersistedActivityDb}. */
export interface PersistedActivityDbOptions extends DataRemoteOptions {
  /** The data branch (default {@link ACTIVITY_DATA_BRANCH}). */
  branch?: string
  /** Pack cache of the restore (default `restoreDirectory`'s). */
  cacheDir?: string
}

/** What {@link withPersistedActivityDb} did around the body. */
export interface PersistedActivityRun<T> {
  value: T
  /** The restore (its `restored` false when the directory was there), `null` on a first run. */
  restore: RestoreResult | null
  backup: BackupResult
}

/**
 * Restores `dir` from the data branch of `ctx`'s repository unless it has content (a first run,
 * with no backup on the branch yet, starts empty), opens `dir/activity.db`, runs `body`, closes
 * the database and backs `dir` up. The backup runs also when `body` throws (the job row and the
 * cursors saved so far are kept for the next run); the body's error is then rethrown.
 * Requests: the restore's (none when `dir` has content) and the backup's (docs/persist-data.md).
 *
 * @throws what `restoreDirectory` / `backupDirectory` / `openActivityDb` throw, except a missing
 *   first backup (`RESTORE_POINT_NOT_FOUND`), and what `body` throws
 */
export async function withPersistedActivityDb<T>(
  ctx: RepoContext,
  dir: string,
  options: PersistedActivityDbOptions,
  body: (db: ActivityDb) => Promise<T>
): Promise<PersistedActivityRun<T>> {
  const remote = { ...options, branch: options.branch ?? ACTIVITY_DATA_BRANCH }
  let restore: RestoreResult | null = null
  try {
    restore = await restoreDirectory(ctx, dir, { ...remote, ifMissing: true })
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'RESTORE_POINT_NOT_FOUND') throw error
  }
  await mkdir(dir, { recursive: true })
  const db = await openActivityDb(`sqlite:${join(dir, ACTIVITY_DB_FILE)}`)
  let outcome: { value: T } | { error: unknown }
  try {
    outcome = { value: await body(db) }
  } catch (error) {
    outcome = { error }
  } finally {
    await db.close()
  }
  const backup = await backupDirectory(ctx, dir, remote)
  if ('error' in outcome) throw outcome.error
  return { value: outcome.value, restore, backup }
}
