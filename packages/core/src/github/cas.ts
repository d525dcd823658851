/**
 * The one compare-and-swap loop of core: read the current state and its guard (a blob SHA, a
 * head oid), plan the new content from what was read, make one guarded write with automatic
 * retries off, classify its answer (written | conflict | ambiguous), settle a conflict or an
 * ambiguous answer by reading back, and try again after a full-jitter wait (`backoff.ts`),
 * within one budget of attempts and elapsed time. Every guarded write of core goes through it:
 * the state branch store, the sequence store, the snapshot file and the object lease
 * (docs/github-behaviour.md §1, §2; docs/architecture.md, principle 3: an ambiguous answer is
 * settled by reading back, never by guessing).
 *
 * The loop knows nothing about GitHub: the callbacks do the requests, so its request count is
 * exactly theirs. What a caller needs beyond the basic loop:
 * - state already in hand (a cache, or a read made before the loop) — `initial`;
 * - a read-back that also serves as the next attempt's read — `settle` returns `fresh`;
 * - an outcome decided without our write (nothing to do, a held claim, a newer file) — `finish`
 *   from `plan` or `settle`;
 * - a precondition just established (a branch created) — a conflict with `then: 'redo'`;
 * - a failure that needs no wait (a missing branch to create) — `then: 'now'`.
 * The object lease (`objects/lease.ts`: create a ref, take over, renew and release it by
 * fast-forward; waiting for a live holder is a conflict) is such a quadruple; a manifest commit
 * on a data branch or an activity record would be one the same way.
 */
import { BACKOFF_DEFAULTS, fullJitterDelay, type BackoffOptions } from './backoff.js'
import { InvalidOptionsError } from '../errors.js'

/**
 * Budget and backoff of a compare-and-swap loop: the one retry options type of core. Every
 * field is optional; each store has its own defaults literal, and unset fields fall back to it
 * and then to {@link RETRY_DEFAULTS}.
 */
export interface RetryOptions extends BackoffOptions {
  /** Attempts (one read-or-cached state + one guarded write each), the first included; ≥ 1. */
  maxAttempts?: number
  /**
   * No attempt starts later than this many milliseconds after the first one (the wait before
   * it included); `Infinity` = bounded by attempts only.
   */
  maxElapsedMs?: number
  /** Clock of the elapsed-time budget, milliseconds since the epoch. */
  now?: () => number
  /** Told about conflicts, ambiguous answers, how they were settled and each wait (for logs). */
  onEvent?: (event: CasEvent) => void
}

/** Defaults of {@link RetryOptions} under every store's own defaults. */
export const RETRY_DEFAULTS = {
  ...BACKOFF_DEFAULTS,
  /** 8 attempts */
  maxAttempts: 8,
  /** no time bound */
  maxElapsedMs: Number.POSITIVE_INFINITY,
  now: () => Date.now(),
  onEvent: () => undefined
} satisfies Required<RetryOptions>

/** {@link RetryOptions} with every field set. */
export type ResolvedRetryOptions = Required<RetryOptions>

/** What happened during a loop, for logs and tests. */
export type CasEvent =
  /** the guard did not match: another writer got in first */
  | { type: 'conflict'; attempt: number; problem: string }
  /** the write's answer was lost (5xx, network, timeout): it may or may not have landed */
  | { type: 'ambiguous'; attempt: number; problem: string }
  /** a read-back decided whether our write landed; `how` names the evidence (store-specific) */
  | { type: 'settled'; attempt: number; ours: boolean; how: string }
  /** waiting `waitMs` milliseconds before `attempt` */
  | { type: 'backoff'; attempt: number; waitMs: number }

/** What `plan` decided: write `write`, or finish with `finish` without writing. */
export type CasPlan<P, R> = { write: P } | { finish: R }

/** How one guarded write ended. */
export type CasWriteOutcome<R> =
  /** landed; `value` is the loop's result */
  | { kind: 'written'; value: R }
  /**
   * Definitely not applied. `then`: `backoff` (default) waits before the next attempt; `now`
   * starts it at once; `redo` repeats this attempt at once without spending it (a precondition
   * was just established, e.g. the branch now exists) — once per loop, later like `now`.
   */
  | { kind: 'conflict'; problem: string; then?: 'backoff' | 'now' | 'redo' }
  /** May or may not have been applied; `settle` reads back to know. */
  | { kind: 'ambiguous'; problem: string; error?: unknown }

/**
 * What `settle` found: finish with `finish` (our write is in place, or another writer's result
 * stands), or retry — from `fresh` when the read-back is a usable state (no extra read), else
 * from a new read; `problem` replaces the outcome's problem in the exhaustion report.
 */
export type CasSettlement<S, R> =
  { finish: R; how?: string } | { retry: { fresh?: S; problem?: string; how?: string } }

/** The callbacks of one loop. `S`: state read (with its guard), `P`: planned write, `R`: result. */
export interface CasSpec<S, P, R> {
  /** State already in hand for the first attempt (a cache, or a read made before): no read then. */
  initial?: S
  /** Reads the current state and its guard. */
  read: (attempt: number) => Promise<S>
  /** Computes what to write from the state read; pure, it may run again on a later attempt. */
  plan: (state: S, attempt: number) => CasPlan<P, R> | Promise<CasPlan<P, R>>
  /** One guarded write (automatic retries off), classified. Throws for a definite failure. */
  write: (state: S, plan: P, attempt: number) => Promise<CasWriteOutcome<R>>
  /**
   * After a conflict or an ambiguous answer: read back and decide. Absent: a conflict is retried
   * from a new read, and so is an ambiguous answer (only right when a repeated write is harmless).
   * A `how` in the settlement is reported as a `settled` event.
   */
  settle?: (step: {
    state: S
    plan: P
    outcome: Exclude<CasWriteOutcome<R>, { kind: 'written' }>
    attempt: number
  }) => Promise<CasSettlement<S, R>>
}

/** How a loop ended. */
export type CasOutcome<R> =
  | { kind: 'finished'; value: R; attempts: number }
  /** the budget ran out; nothing of ours landed (every ambiguous answer was settled) */
  | { kind: 'exhausted'; attempts: number; elapsedMs: number; problem: string }

/**
 * Merges `options` over a store's `defaults` and {@link RETRY_DEFAULTS} (fields set to
 * `undefined` do not count) and checks the numbers.
 *
 * @throws InvalidOptionsError naming the field (`maxAttempts`, `maxElapsedMs`, `baseMs`, `maxMs`).
 */
export function resolveRetryOptions(
  options: RetryOptions | undefined,
  defaults: RetryOptions = {}
): ResolvedRetryOptions {
  const o: ResolvedRetryOptions = { ...RETRY_DEFAULTS, ...defined(defaults), ...defined(options) }
  const whole = (value: number, min: number) =>
    typeof value === 'number' && Number.isSafeInteger(value) && value >= min
  if (!whole(o.maxAttempts, 1))
    throw new InvalidOptionsError('maxAttempts', 'a whole number ≥ 1', o.maxAttempts)
  if (!whole(o.maxElapsedMs, 0) && o.maxElapsedMs !== Number.POSITIVE_INFINITY)
    throw new InvalidOptionsError('maxElapsedMs', 'a whole number ≥ 0', o.maxElapsedMs)
  for (const name of ['baseMs', 'maxMs'] as const)
    if (!whole(o[name], 0)) throw new InvalidOptionsError(name, 'a whole number ≥ 0', o[name])
  return o
}

/**
 * Runs the loop: attempt n (n ≥ 2) starts after a full-jitter wait `fullJitterDelay(n − 1)`
 * (unless the previous outcome said `now`), and not at all when n > `maxAttempts` or the wait
 * would end later than `maxElapsedMs` after the start — the outcome is then `exhausted`.
 *
 * Cost: exactly the requests of the callbacks.
 *
 * @throws whatever a callback throws.
 */
export async function compareAndSwap<S, P, R>(
  spec: CasSpec<S, P, R>,
  options: ResolvedRetryOptions
): Promise<CasOutcome<R>> {
  const started = options.now()
  let state = spec.initial
  let problem = ''
  let next: 'backoff' | 'now' | 'redo' = 'backoff'
  let redone = false
  const finished = (value: R, attempts: number): CasOutcome<R> => ({
    kind: 'finished',
    value,
    attempts
  })
  for (let attempt = 1; ; attempt++) {
    if (next === 'redo') attempt -= 1
    else if (attempt > 1) {
      const waitMs = next === 'now' ? 0 : fullJitterDelay(attempt - 1, options)
      const elapsedMs = options.now() - started
      if (attempt > options.maxAttempts || elapsedMs + waitMs > options.maxElapsedMs)
        return { kind: 'exhausted', attempts: attempt - 1, elapsedMs, problem }
      if (next === 'backoff') {
        options.onEvent({ type: 'backoff', attempt, waitMs })
        if (waitMs > 0) await options.sleep(waitMs)
      }
    }
    next = 'backoff'
    const current = state ?? (await spec.read(attempt))
    state = undefined
    const planned = await spec.plan(current, attempt)
    if ('finish' in planned) return finished(planned.finish, attempt)
    const outcome = await spec.write(current, planned.write, attempt)
    if (outcome.kind === 'written') return finished(outcome.value, attempt)
    problem = outcome.problem
    options.onEvent({ type: outcome.kind, attempt, problem })
    if (outcome.kind === 'conflict' && outcome.then) {
      next = outcome.then === 'redo' && redone ? 'now' : outcome.then
      if (next === 'redo') redone = true
    }
    if (!spec.settle) continue
    const settled = await spec.settle({ state: current, plan: planned.write, outcome, attempt })
    const how = 'finish' in settled ? settled.how : settled.retry.how
    if (how !== undefined)
      options.onEvent({ type: 'settled', attempt, ours: 'finish' in settled, how })
    if ('finish' in settled) return finished(settled.finish, attempt)
    state = settled.retry.fresh
    if (settled.retry.problem !== undefined) problem = settled.retry.problem
  }
}

function defined<T extends object>(value: T | undefined): Partial<T> {
  return Object.fromEntries(
    Object.entries(value ?? {}).filter(([, v]) => v !== undefined)
  ) as Partial<T>
}
