import { Cron } from 'croner'
import type { SyncJobRow } from '@hubstore/core/activity'
import type { ServerState } from './options.js'

/** The scheduled runs; each is one at a time across every process on the database. */
export type RunKind = 'sweep' | 'redelivery'

/** What asking for a run gave: the job, or why it did not start. */
export type RunOutcome =
  | { started: true; job: SyncJobRow }
  | { started: false; reason: 'running' | 'unavailable' | 'stopping' }

/** The name of the database lock of a run kind (docs/sync-server.md §3). */
export const lockName = (kind: RunKind): string => `hubstore-serve:${kind}`

/**
 * Runs sweeps and redeliveries one at a time: an in-process guard (a second request while
 * one runs here answers `running` at once) and the service's database lock across processes
 * (held for at most `lockTtlMs`, released when the run ends, so a dead holder blocks no
 * one for longer). Cron schedules (croner, UTC, `protect` so a slow run is never overlapped
 * by the next tick) call the same {@link Scheduler.run} as `POST /api/sync/periodic`.
 */
export class Scheduler {
  readonly #state: ServerState
  readonly #inFlight = new Map<RunKind, Promise<RunOutcome>>()
  readonly #crons = new Map<RunKind, Cron>()
  #stopping = false

  constructor(state: ServerState) {
    this.#state = state
  }

  /** Starts the cron schedules the options ask for (redelivery only when the service can). */
  start(): void {
    const { sweepCron, redeliveryCron, service } = this.#state
    const schedule = (pattern: string, kind: RunKind): void => {
      const cron = new Cron(pattern, { timezone: 'UTC', protect: true, unref: true }, () =>
        this.run(kind).then(
          () => undefined,
          (error: unknown) => this.#state.log(`${kind} failed: ${describe(error)}`)
        )
      )
      this.#crons.set(kind, cron)
    }
    if (sweepCron !== false) schedule(sweepCron, 'sweep')
    if (redeliveryCron !== false && service.redeliverFailed) schedule(redeliveryCron, 'redelivery')
  }

  /** When the next scheduled run of `kind` is due, or null when it is not scheduled. */
  nextRun(kind: RunKind): Date | null {
    return this.#crons.get(kind)?.nextRun() ?? null
  }

  /**
   * One run of `kind` now, unless one is running (here or in another process).
   * @throws whatever the service's sweep or redelivery throws (the lock is released first).
   */
  run(kind: RunKind): Promise<RunOutcome> {
    if (this.#stopping) return Promise.resolve({ started: false, reason: 'stopping' })
    if (this.#inFlight.has(kind)) return Promise.resolve({ started: false, reason: 'running' })
    const run = this.#runLocked(kind).finally(() => this.#inFlight.delete(kind))
    this.#inFlight.set(kind, run)
    return run
  }

  async #runLocked(kind: RunKind): Promise<RunOutcome> {
    const { service, runnerId, lockTtlMs, minIntervalMs, now } = this.#state
    const redeliver = service.redeliverFailed
    if (kind === 'redelivery' && !redeliver) return { started: false, reason: 'unavailable' }
    const name = lockName(kind)
    if (!(await service.tryAcquireLock(name, runnerId, lockTtlMs, now())))
      return { started: false, reason: 'running' }
    try {
      const job =
        kind === 'sweep'
          ? await service.sweep({ minIntervalMs, now: now() })
          : await redeliver!(now())
      return { started: true, job }
    } catch (error) {
      // The sweep keeps a lock of its own too; losing that race is "running", not a failure.
      if ((error as { code?: unknown }).code === 'SWEEP_LOCKED')
        return { started: false, reason: 'running' }
      throw error
    } finally {
      await service.releaseLock(name, runnerId)
    }
  }

  /** Stops the schedules, refuses new runs and waits for the runs in flight to end. */
  async stop(): Promise<void> {
    this.#stopping = true
    for (const cron of this.#crons.values()) cron.stop()
    await Promise.allSettled([...this.#inFlight.values()])
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
