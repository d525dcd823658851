/**
 * Runs before every test file (jest.config.js `setupFiles`). Bottleneck 2.19 (the scheduler under
 * @octokit/plugin-throttling and plugin-retry) yields to the event loop with `setTimeout(resolve,
 * 0)` several times per scheduled job; Node rounds each of those to 1 ms and more on a busy
 * machine, which added about 12 ms to every request a hubstore client sent the emulator
 * (measured: 16.8 ms → 5.4 ms for a GET on loopback; @octokit/core alone takes 1.2 ms). Against
 * the emulator that wait is pure test time, so here a zero-length yield goes through
 * `setImmediate` instead: the same "after pending I/O" point in the loop, without the timer
 * minimum. Timed waits (`t > 0`, spacing, retry-after) are untouched, so every scheduling rule the
 * tests check still applies. Child processes (the CLI, bundles) keep Bottleneck as shipped, except
 * the sequence torture test's writers, which import this file (their requests are the test's pace).
 */
import Bottleneck from 'bottleneck/light.js'

type Yielding = { yieldLoop(t?: number): Promise<void> }
const datastore = Object.getPrototypeOf(
  (new Bottleneck() as unknown as { _store: Yielding })._store
) as Yielding
datastore.yieldLoop = (t = 0) =>
  new Promise<void>((resolve) => (t > 0 ? setTimeout(resolve, t) : setImmediate(resolve)))
