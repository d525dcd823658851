import { setTimeout as sleep } from 'node:timers/promises'
import { randomBytes, randomInt } from 'node:crypto'
import { STATUS_CODES } from 'node:http'
import type { EmulatorContext } from './context.js'
import { errorBody, InjectedFault, SecondaryRateLimitExceeded, type ApiError } from './errors.js'
import { UNMATCHED_ROUTE } from './ledger.js'
import type { Caller } from './models/users.js'
import type { RouteResult } from './router.js'

/**
 * Fault injection and artificial latency (docs/github-behaviour.md §5.3, §8 items 5 and 17),
 * driven by the admin API (`/_emulator/faults`, `/_emulator/latency`, `/_emulator/secondary-limits`).
 * The server calls `beforeHandler` once a request has matched a route and passed the primary
 * rate limit, and `afterHandler` once the handler has answered.
 */

/**
 * When a fault strikes: `before` answers the error without running the handler (nothing
 * changes); `after` runs the handler (a write is applied and saved) and answers the error
 * instead of the handler's answer — the ambiguous outcome of a timed-out write.
 */
export type FaultPhase = 'before' | 'after'

/** Body of `POST /_emulator/faults`. */
export interface FaultInput {
  /** HTTP method (`PUT`) or `*`. */
  method: string
  /** Route template as in the ledger (`/repos/{owner}/{repo}/contents/{path}`) or `*`. */
  route: string
  /** Status answered, 400–599. */
  status: number
  /** Strike at most this many times (default: unlimited). */
  count?: number
  /** Strike each matching request with this probability, 0–1 (default 1). */
  probability?: number
  /** Seed of this rule's random numbers (default: random; listed so a run can be repeated). */
  seed?: number
  /** Default `before`. */
  when?: FaultPhase
  /** Error message (default: see `defaultFaultMessage`). */
  message?: string
}

/** A fault rule as stored and listed by `GET /_emulator/faults`. */
export interface FaultRule {
  id: string
  method: string
  route: string
  status: number
  when: FaultPhase
  message: string
  /** The `count` asked for, `null` = unlimited. */
  count: number | null
  /** Strikes left, `null` = unlimited; a rule at 0 stays listed and never strikes again. */
  remaining: number | null
  probability: number | null
  seed: number
  /** Requests this rule has answered. */
  fired: number
}

/** Body of `POST /_emulator/latency`: delay matching requests by `ms` plus up to `jitter_ms`. */
export interface LatencyInput {
  /** Milliseconds of wall time added before the handler runs; 0 (with no jitter) removes the rule. */
  ms: number
  /** Route template, or `*` / absent for every route. A route's own rule wins over `*`. */
  route?: string
  /** Up to this many extra milliseconds, uniformly drawn (default 0). */
  jitter_ms?: number
  /** Seed of the jitter's random numbers. */
  seed?: number
}

/** A latency rule as listed by `GET /_emulator/faults`. */
export interface LatencyRule {
  route: string
  ms: number
  jitter_ms: number
}

/**
 * GitHub's message for an injected status: 500 `Server Error`, 502/504 `We couldn't respond
 * to your request in time` (§5.3), otherwise the HTTP reason phrase (`Service Unavailable`).
 */
export function defaultFaultMessage(status: number): string {
  if (status === 500) return 'Server Error'
  if (status === 502 || status === 504) return "We couldn't respond to your request in time"
  return STATUS_CODES[status] ?? 'Error'
}

/** mulberry32: a small seeded PRNG answering floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function matches(pattern: string, value: string): boolean {
  return pattern === '*' || pattern === value
}

/** The fault and latency rules of one emulator instance. */
export class Faults {
  private rules: Array<{ rule: FaultRule; random: () => number }> = []
  private latency = new Map<string, LatencyRule>()
  private latencyRandom = seededRandom(randomInt(2 ** 31))
  private nextId = 1

  /** Adds a rule (validated by the admin route) and answers it. */
  add(input: FaultInput): FaultRule {
    const seed = input.seed ?? randomInt(2 ** 31)
    const rule: FaultRule = {
      id: `fault-${this.nextId++}`,
      method: input.method.toUpperCase(),
      route: input.route,
      status: input.status,
      when: input.when ?? 'before',
      message: input.message ?? defaultFaultMessage(input.status),
      count: input.count ?? null,
      remaining: input.count ?? null,
      probability: input.probability ?? null,
      seed,
      fired: 0
    }
    this.rules.push({ rule, random: seededRandom(seed) })
    return { ...rule }
  }

  /** Every rule, oldest first (copies). */
  list(): FaultRule[] {
    return this.rules.map(({ rule }) => ({ ...rule }))
  }

  /** Removes one rule; `false` when no rule has this id. */
  remove(id: string): boolean {
    const before = this.rules.length
    this.rules = this.rules.filter(({ rule }) => rule.id !== id)
    return this.rules.length < before
  }

  /** Removes every fault rule (latency rules stay; see `clearLatency`). */
  clearFaults(): void {
    this.rules = []
  }

  /** Sets (or, with `ms` and `jitter_ms` 0, removes) the latency of a route or of `*`. */
  setLatency(input: LatencyInput): LatencyRule[] {
    const route = input.route ?? '*'
    const rule = { route, ms: input.ms, jitter_ms: input.jitter_ms ?? 0 }
    if (rule.ms === 0 && rule.jitter_ms === 0) this.latency.delete(route)
    else this.latency.set(route, rule)
    if (input.seed !== undefined) this.latencyRandom = seededRandom(input.seed)
    return this.latencyRules()
  }

  /** The latency rules (copies). */
  latencyRules(): LatencyRule[] {
    return [...this.latency.values()].map((r) => ({ ...r }))
  }

  /** Removes every latency rule. */
  clearLatency(): void {
    this.latency.clear()
  }

  /** Everything back to nothing (admin reset). */
  clear(): void {
    this.clearFaults()
    this.clearLatency()
  }

  /** Milliseconds to wait before running a handler of `template`. */
  delayFor(template: string): number {
    const rule = this.latency.get(template) ?? this.latency.get('*')
    if (!rule) return 0
    return rule.ms + Math.floor(this.latencyRandom() * (rule.jitter_ms + 1))
  }

  /**
   * Decides whether a fault strikes this request in `phase`: the first rule (oldest first)
   * matching method and route, with strikes left, whose probability draw succeeds. Spends one
   * strike of that rule and answers it, else `null`.
   */
  take(phase: FaultPhase, method: string, template: string): FaultRule | null {
    for (const { rule, random } of this.rules) {
      if (rule.when !== phase || !matches(rule.method, method) || !matches(rule.route, template))
        continue
      if (rule.remaining === 0) continue
      if (rule.probability !== null && random() >= rule.probability) continue
      if (rule.remaining !== null) rule.remaining -= 1
      rule.fired += 1
      return { ...rule }
    }
    return null
  }
}

/** Results the hooks produced, so `afterHandler` leaves them alone and the ledger can say why. */
const produced = new WeakMap<RouteResult, FaultPhase | 'secondary'>()

function answer(error: ApiError, kind: FaultPhase | 'secondary', headers?: Record<string, string>) {
  const result: RouteResult = { ...errorBody(error), ...(headers ? { headers } : {}) }
  produced.set(result, kind)
  return result
}

/** A GitHub-style request id (`XXXX:XXXXX:XXXXXX:XXXXXX:XXXXXX`, upper-case hex). */
export function newRequestId(): string {
  const hex = randomBytes(12).toString('hex').toUpperCase()
  return `${hex.slice(0, 4)}:${hex.slice(4, 9)}:${hex.slice(9, 15)}:${hex.slice(15, 21)}:${hex.slice(21)}`
}

/**
 * The hook before a handler runs: waits the route's latency, then answers a queued secondary
 * limit (403/429 with `retry-after` and GitHub's message carrying the answer's request id), then
 * a `before` fault. Returns the answer to send instead of running the handler, or `null`.
 */
export async function beforeHandler(
  ctx: EmulatorContext,
  method: string,
  template: string,
  caller: Caller | null
): Promise<RouteResult | null> {
  const delay = ctx.faults.delayFor(template)
  // rejects (AbortError) when the emulator closes meanwhile: the request is then dropped
  if (delay > 0) await sleep(delay, undefined, { signal: ctx.lifetime })
  const limit = ctx.rate.takeSecondaryLimit(caller ? caller.token.token : null, method)
  if (limit) {
    const id = newRequestId()
    return answer(new SecondaryRateLimitExceeded(limit.status, id), 'secondary', {
      'retry-after': String(limit.retry_after_s),
      'x-github-request-id': id
    })
  }
  const fault = ctx.faults.take('before', method, template)
  return fault ? answer(new InjectedFault(fault.status, fault.message), 'before') : null
}

/**
 * The hook after the handler answered (successfully or not): an `after` fault replaces the
 * answer; the handler's changes stay. Answers produced by `beforeHandler`, and requests that
 * matched no route, are left alone.
 */
export function afterHandler(
  ctx: EmulatorContext,
  method: string,
  template: string,
  result: RouteResult
): RouteResult {
  if (template === UNMATCHED_ROUTE || produced.has(result)) return result
  const fault = ctx.faults.take('after', method, template)
  return fault ? answer(new InjectedFault(fault.status, fault.message), 'after') : result
}

/** `{fault: 'before' | 'after'}` for a ledger entry when a fault produced `result`, else `{}`. */
export function faultOf(result: RouteResult): { fault?: FaultPhase } {
  const kind = produced.get(result)
  return kind === 'before' || kind === 'after' ? { fault: kind } : {}
}
