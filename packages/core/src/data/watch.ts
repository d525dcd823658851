/**
 * Auto-backup of a data directory for a long-running app (`hubstore data watch`): every
 * interval, compare the directory with the latest backup ({@link directoryStatus}) and back up
 * only when something changed; after a failure, retry with a doubling, bounded delay; when
 * `signal` aborts (SIGTERM/SIGINT), one last backup if anything changed, then return.
 */
import { InvalidOptionsError } from '../errors/github.js'
import type { RepoContext } from '../github/context.js'
import { backupDirectory, type BackupOptions, type BackupResult } from './backup.js'
import { directoryStatus } from './status.js'

/** What the watch loop did at one check. */
export type WatchEvent =
  | { type: 'backup'; final: boolean; result: BackupResult; changedFiles: number }
  | { type: 'unchanged'; final: boolean; backupId: string }
  | { type: 'missing'; final: boolean }
  | { type: 'failed'; final: boolean; error: unknown; failures: number; retryInMs: number }

/** Shortest interval between two checks, ms: a check costs 3 requests. */
export const MIN_WATCH_INTERVAL_MS = 100

/** Options of {@link watchDirectory}. */
export interface WatchOptions extends BackupOptions {
  /** time between two checks, ms (at least {@link MIN_WATCH_INTERVAL_MS}) */
  intervalMs: number
  /** aborting it ends the loop after one last check (and backup if anything changed) */
  signal: AbortSignal
  /** first delay after a failure, ms (default the smaller of the interval and 60 s); doubles */
  retryBaseMs?: number
  /** longest delay after failures, ms (default 4 × the interval, at least the base) */
  retryMaxMs?: number
  /** told of every check */
  onEvent?: (event: WatchEvent) => void
  /** waits `ms` or until `signal` aborts (default a timer; tests and callers may pass a clock) */
  wait?: (ms: number, signal: AbortSignal) => Promise<void>
}

/** What {@link watchDirectory} did in all. */
export interface WatchSummary {
  checks: number
  backups: number
  failures: number
  /** the backup of the final check, null when nothing had changed (or it was missing) */
  final: BackupResult | null
}

/** The delay after `failures` consecutive failures (1, 2, …), ms: base × 2^(n−1), capped. */
export function retryDelayMs(failures: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.min(30, Math.max(0, failures - 1)))
}

const timer = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve()
    const t = setTimeout(done, ms)
    function done() {
      clearTimeout(t)
      signal.removeEventListener('abort', done)
      resolve()
    }
    signal.addEventListener('abort', done, { once: true })
  })

/**
 * Watches `dir` until `options.signal` aborts, backing it up to the data branch of `ctx` when
 * it differs from the latest backup (a first backup when there is none). A directory that does
 * not exist is not backed up (that would record an empty backup). Requests per check: 3
 * (status), plus a backup's ({@link backupDirectory}) when something changed.
 *
 * @throws InvalidOptionsError when `intervalMs` is under {@link MIN_WATCH_INTERVAL_MS} (nothing
 *   requested).
 * @throws whatever the final backup throws (the loop's own failures are reported through
 *   `onEvent` and retried).
 */
export async function watchDirectory(
  ctx: RepoContext,
  dir: string,
  options: WatchOptions
): Promise<WatchSummary> {
  const { signal, intervalMs } = options
  if (!Number.isFinite(intervalMs) || intervalMs < MIN_WATCH_INTERVAL_MS)
    throw new InvalidOptionsError(
      'intervalMs',
      `at least ${MIN_WATCH_INTERVAL_MS} (milliseconds between checks)`,
      intervalMs
    )
  const wait = options.wait ?? timer
  const base = options.retryBaseMs ?? Math.min(intervalMs, 60_000)
  const max = Math.max(base, options.retryMaxMs ?? 4 * intervalMs)
  const summary: WatchSummary = { checks: 0, backups: 0, failures: 0, final: null }
  let failures = 0
  const check = async (final: boolean): Promise<BackupResult | null> => {
    summary.checks++
    const status = await directoryStatus(ctx, dir, options)
    if (!status.exists) {
      options.onEvent?.({ type: 'missing', final })
      return null
    }
    if (status.latest && !status.changed) {
      options.onEvent?.({ type: 'unchanged', final, backupId: status.latest.backupId })
      return null
    }
    const result = await backupDirectory(ctx, dir, options)
    summary.backups++
    const changedFiles = status.entries.filter((e) => e.state !== 'unchanged').length
    options.onEvent?.({ type: 'backup', final, result, changedFiles })
    return result
  }
  while (!signal.aborted) {
    let delay = intervalMs
    try {
      await check(false)
      failures = 0
    } catch (error) {
      failures++
      summary.failures++
      delay = retryDelayMs(failures, base, max)
      options.onEvent?.({ type: 'failed', final: false, error, failures, retryInMs: delay })
    }
    await wait(delay, signal)
  }
  summary.final = await check(true)
  return summary
}
