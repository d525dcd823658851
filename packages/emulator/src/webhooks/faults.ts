import type { DeliveryFault } from './send.js'

/** Admin input of a delivery fault (`POST /_emulator/webhooks/faults`). */
export interface DeliveryFaultInput {
  /** `drop`: the endpoint is down; `fail`: recorded as answered `status`; `delay`: `delay_ms` first. */
  mode: 'drop' | 'fail' | 'delay'
  /** For `fail`: the HTTP status recorded (default 500). */
  status?: number
  /** For `delay`: milliseconds of wall time before the POST. */
  delay_ms?: number
  /** Only deliveries of this event (`X-GitHub-Event`); absent: every event. */
  event?: string
  /** How many deliveries it strikes; absent: every one until cleared. */
  count?: number
}

/** A delivery fault rule as the admin API answers it. */
export interface DeliveryFaultRule extends DeliveryFaultInput {
  id: string
  /** Strikes left (`null`: unlimited). */
  remaining: number | null
  /** How many deliveries it struck. */
  fired: number
}

/** The delivery fault rules of one engine, applied in the order they were added. */
export class DeliveryFaults {
  private rules: DeliveryFaultRule[] = []
  private next = 1

  add(input: DeliveryFaultInput): DeliveryFaultRule {
    const rule: DeliveryFaultRule = {
      ...input,
      id: `webhook-fault-${this.next++}`,
      remaining: input.count ?? null,
      fired: 0
    }
    this.rules.push(rule)
    return { ...rule }
  }

  list(): DeliveryFaultRule[] {
    return this.rules.map((r) => ({ ...r }))
  }

  clear(): void {
    this.rules = []
  }

  /** The fault for the next delivery of `event` (spending one strike), or `null`. */
  take(event: string): DeliveryFault | null {
    const rule = this.rules.find(
      (r) => (r.remaining === null || r.remaining > 0) && (!r.event || r.event === event)
    )
    if (!rule) return null
    if (rule.remaining !== null) rule.remaining -= 1
    rule.fired += 1
    if (rule.mode === 'drop') return { mode: 'drop' }
    if (rule.mode === 'fail') return { mode: 'fail', status: rule.status ?? 500 }
    return { mode: 'delay', ms: rule.delay_ms ?? 0 }
  }
}
