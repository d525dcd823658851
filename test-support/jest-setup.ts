/**
 * Runs before every test file (jest.config.js `setupFiles`). Bottleneck 2.19 (the scheduler under
 * @octokit/plugin-throttling and plugin-retry) waits on a timer even when it has nothing to wait
 * for: it yields to the event loop with `setTimeout(resolve, 0)` several times per scheduled job
 * (its datastore's `yieldLoop`), and it starts every job it runs with `setTimeout(execute, wait)`,
 * `wait` 0 unless a rule delays it (`Bottleneck.prototype._run`; a hubstore client runs each
 * request through three limiters). Node rounds each zero-length timer to 1 ms and more on a busy
 * machine: about 12 ms of the 16.8 ms a GET from a hubstore client to the emulator took on
 * loopback, and about 3 ms of what was left after the yields were fixed (@octokit/core alone
 * takes 0.8–1.2 ms). Against the emulator that wait is pure test time, so here both zero-length
 * waits go through `setImmediate` instead: the same "after pending I/O" point in the loop,
 * without the timer minimum. Timed waits (`t > 0`, spacing, `minTime`, retry-after, a job's
 * `expiration`) are untouched, so every scheduling rule the tests check still applies. Child
 * processes (the CLI, bundles) keep Bottleneck as shipped, except the workers of the sequence
 * torture and kill -9 tests, which import this file (their requests are the test's pace).
 */
import Bottleneck from 'bottleneck/light.js'

type Yielding = { yieldLoop(t?: number): Promise<void> }
const datastore = Object.getPrototypeOf(
  (new Bottleneck() as unknown as { _store: Yielding })._store
) as Yielding
datastore.yieldLoop = (t = 0) =>
  new Promise<void>((resolve) => (t > 0 ? setTimeout(resolve, t) : setImmediate(resolve)))

/** The parts of a Bottleneck job and limiter that `_run` (bottleneck/light.js 2.19.5) uses. */
interface Job {
  options: { expiration?: number | null }
  doRun(): void
  doExecute(limiter: unknown, clear: () => void, run: () => void, free: () => void): void
}
interface Limiter {
  _limiter: unknown
  _scheduled: Record<string, { timeout: unknown; expiration: undefined; job: Job }>
  _clearGlobalState(index: string): void
  _free(index: string, job: Job): void
  _run(index: string, job: Job, wait: number): unknown
}
const limiter = Bottleneck.prototype as unknown as Limiter
const runLater = limiter._run
// The same steps as Bottleneck's `_run`, with the zero-length timer replaced. Its `stop()` clears
// `timeout` with `clearTimeout`, which does not cancel an immediate; neither core nor a test stops
// a limiter, and a job started this way has been due since it was scheduled.
limiter._run = function (this: Limiter, index, job, wait) {
  if (wait > 0 || job.options.expiration != null) return runLater.call(this, index, job, wait)
  job.doRun()
  const clear = this._clearGlobalState.bind(this, index)
  const run = this._run.bind(this, index, job) as () => void
  const free = this._free.bind(this, index, job)
  return (this._scheduled[index] = {
    timeout: setImmediate(() => job.doExecute(this._limiter, clear, run, free)),
    expiration: undefined,
    job
  })
}
