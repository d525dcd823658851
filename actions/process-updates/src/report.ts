import { md, type SummaryPart } from '@hubstore/action-kit'
import type { ProcessResult } from '@hubstore/core'

/** Updates applied and rejected across `results`. */
export function totals(results: ProcessResult[]): { applied: number; rejected: number } {
  return {
    applied: results.reduce((n, r) => n + r.applied.length, 0),
    rejected: results.reduce((n, r) => n + r.rejected.length, 0)
  }
}

/** The job summary: totals, one row per object, and the rejected comments (when any). */
export function summaryParts(results: ProcessResult[]): SummaryPart[] {
  const { applied, rejected } = totals(results)
  return [
    {
      text: md`${results.length} object(s) processed: ${applied} update(s) applied, ${rejected} rejected.`
    },
    {
      table: {
        header: ['Issue', 'Object', 'Applied', 'Rejected'],
        rows: results.map((r) => [
          `#${r.issueNumber}`,
          r.objectId,
          r.applied.length,
          r.rejected.length
        ])
      }
    },
    ...(rejected > 0
      ? [
          {
            table: {
              header: ['Issue', 'Comment', 'Author', 'Reason'],
              rows: results.flatMap((r) =>
                r.rejected.map((x) => [
                  `#${r.issueNumber}`,
                  x.commentId,
                  x.author,
                  `${x.code}: ${x.reason}`
                ])
              )
            }
          }
        ]
      : [])
  ]
}
