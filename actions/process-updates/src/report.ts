import { md, type SummaryPart } from '@hubstore/action-kit'
import { isHubstoreError, type ProcessResult } from '@hubstore/core'
import { oneLine } from '@hubstore/core/objects'

/** Updates applied and rejected across `results`, and the objects that failed. */
export function totals(results: ProcessResult[]): {
  applied: number
  rejected: number
  failed: ProcessResult[]
} {
  return {
    applied: results.reduce((n, r) => n + r.applied.length, 0),
    rejected: results.reduce((n, r) => n + r.rejected.length, 0),
    failed: results.filter((r) => r.error)
  }
}

/**
 * The result of an object whose processing threw a hubstore error (as processOpenObjects reports
 * one); any other thrown value is rethrown (a bug, not a failed object).
 */
export function failedResult(issueNumber: number, error: unknown): ProcessResult {
  if (!isHubstoreError(error)) throw error
  return {
    issueNumber,
    objectId: '',
    applied: [],
    rejected: [],
    data: {},
    json: '{}',
    requests: 0,
    marking: 'none',
    error: { code: error.code, message: error.message }
  }
}

/** The annotation of a failed object: issue, id, code and message, on one line. */
export function failureLine(r: ProcessResult): string {
  return oneLine(
    `#${r.issueNumber} ${r.objectId || '(no id)'} failed: ${r.error?.code}: ${r.error?.message}`
  )
}

/** The job summary: totals, one row per object, the failed objects and the rejected comments. */
export function summaryParts(results: ProcessResult[]): SummaryPart[] {
  const { applied, rejected, failed } = totals(results)
  return [
    {
      text: failed.length
        ? md`${results.length} object(s) processed: ${applied} update(s) applied, ${rejected} rejected. ${failed.length} object(s) failed.`
        : md`${results.length} object(s) processed: ${applied} update(s) applied, ${rejected} rejected.`
    },
    {
      table: {
        header: ['Issue', 'Object', 'Applied', 'Rejected'],
        rows: results.map((r) => [
          `#${r.issueNumber}`,
          r.objectId,
          r.error ? '—' : r.applied.length,
          r.error ? 'failed' : r.rejected.length
        ])
      }
    },
    ...(failed.length > 0
      ? [
          {
            text: md`
**Failed** (each error says what to fix; the next run retries them):
            `
          },
          {
            table: {
              header: ['Issue', 'Object', 'Error'],
              rows: failed.map((r) => [
                `#${r.issueNumber}`,
                r.objectId,
                `${r.error?.code}: ${r.error?.message}`
              ])
            }
          }
        ]
      : []),
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
