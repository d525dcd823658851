import type { IssueEventPayload } from '@hubstore/action-kit'
import { STORED_OBJECT_LABEL } from './constants.js'

/** What the event payload says about which issue to process. */
export type Target =
  { kind: 'issue'; number: number } | { kind: 'sweep' } | { kind: 'skip'; why: string }

/**
 * Chooses the issue: the `issue-number` input, else the event payload's issue (skipped when it is
 * not labelled `baseLabel`, `stored-object` unless config.yml says otherwise), else a sweep of
 * every open stored object.
 */
export function chooseTarget(
  inputIssue: number | undefined,
  payload: IssueEventPayload,
  baseLabel: string = STORED_OBJECT_LABEL
): Target {
  if (inputIssue !== undefined) return { kind: 'issue', number: inputIssue }
  const issue = payload.issue
  if (!issue) return { kind: 'sweep' }
  const labels = (issue.labels ?? []).map((l) => l.name)
  if (!labels.includes(baseLabel))
    return { kind: 'skip', why: `issue #${issue.number} is not labelled "${baseLabel}"` }
  return { kind: 'issue', number: issue.number }
}
