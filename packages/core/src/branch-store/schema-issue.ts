/** Messages from a failed zod parse: the field it names and the problem. */
import type { z } from 'zod'

/** The dotted path of a zod issue (`[3].photo_id`, `posted_count`), for messages. */
export function issuePath(path: ReadonlyArray<PropertyKey>): string {
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join('')
}

/** The first issue of a failed zod parse as `{field, problem}`. */
export function firstIssue(error: z.ZodError): { field: string; problem: string } {
  const issue = error.issues[0]
  return { field: issue ? issuePath(issue.path) : '', problem: issue?.message ?? 'invalid' }
}
