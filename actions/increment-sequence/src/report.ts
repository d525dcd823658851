import { code, md, type SummaryPart } from '@hubstore/action-kit'
import type { IncrementResult } from '@hubstore/core'

/** Where the sequence file is, for messages. */
export interface Where {
  repository: string
  path: string
  branch?: string
}

/** `7` or `7–9`. */
const numbers = (r: IncrementResult): string =>
  r.first === r.last ? `${r.first}` : `${r.first}–${r.last}`

/** The notice when an idempotency key had already received its numbers. */
export function reuseNotice(r: IncrementResult, idempotencyKey: string | undefined): string {
  return (
    `Idempotency key "${idempotencyKey}" had already received ${r.key} ${numbers(r)}; ` +
    'returning the same number(s), nothing written. If this is a different job (a matrix ' +
    'leg, another call of a reusable workflow), give each its own idempotency-key.'
  )
}

/** The step's one log line. */
export function logLine(r: IncrementResult, where: Where): string {
  return (
    `${r.key} ${numbers(r)}${r.formatted ? ` (${r.formatted.first})` : ''} from ` +
    `${where.repository}:${where.path}${where.branch ? `@${where.branch}` : ''}: ` +
    `${r.reused ? 'already claimed' : `commit ${r.commitSha}`}, ${r.attempts} attempt(s), ` +
    `${r.requests} request(s)`
  )
}

/** The job summary: one sentence and one table row. */
export function summaryParts(r: IncrementResult, where: Where): SummaryPart[] {
  const place = `${where.repository}:${where.path}${where.branch ? ` (branch ${where.branch})` : ''}`
  return [
    {
      text: md`${r.reused ? 'Returned the number(s) this run already had' : 'Reserved'} ${numbers(r)} of ${code(r.key)} in ${place}.`
    },
    {
      table: {
        header: ['Sequence', 'Value', 'Last', 'Previous', 'Formatted', 'Commit', 'Attempts'],
        rows: [
          [
            r.key,
            r.first,
            r.last,
            r.previous,
            r.formatted?.first ?? '',
            r.commitSha ?? '',
            r.attempts
          ]
        ]
      }
    }
  ]
}
