/** What `hubstore serve` and `hubstore serve --emulator` share (commands/serve.ts, serve-emulator.ts). */
import type { SweepProgress } from '@hubstore/core/activity'

/** Flags of `hubstore serve`. */
export interface ServeFlags {
  port: number
  host: string
  database?: string
  repo?: string[]
  apiUrl?: string
  sweepCron: string
  redeliveryCron: string
  minInterval: number
  workers: number
  adminTokenFile?: string
  emulator?: boolean
}

/** `off` turns a schedule off. */
export const schedule = (value: string): string | false => (value === 'off' ? false : value)

/** One line per delivery a worker finished: GUID, event, outcome (never the payload). */
/** The sweep's REST fallback (docs/activity-sweeps.md §2 item 4), one line on stdout. */
export function logSweepFallback(p: SweepProgress): void {
  if (p.phase === 'fallback')
    process.stdout.write(
      `sweep: ${p.budget}: checking with REST conditional requests instead of GraphQL: ${p.reason}\n`
    )
}

export function logDelivery(d: {
  guid: string
  event: string
  status: string
  error?: string
}): void {
  process.stdout.write(
    `delivery ${d.guid} (${d.event}) ${d.status}${d.error ? `: ${d.error.slice(0, 200)}` : ''}\n`
  )
}

/** Resolves on the first SIGTERM or SIGINT. */
export function untilSignal(): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
      resolve()
    }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
}
