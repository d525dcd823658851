import { codeList, md, type SummaryPart } from '@hubstore/action-kit'
import type { SyncSnapshotResult as Outcome } from '@hubstore/core'

/** What happened to the file, in a few words ("committed data/x.json on main (abc1234)"). */
export function describeOutcome(
  result: Outcome,
  commit: boolean,
  branch: string | undefined
): string {
  const where = commit ? `${result.path} on ${branch ?? 'the default branch'}` : result.path
  if (result.outcome === 'unchanged') return `nothing changed; ${where} left as it was`
  if (result.outcome === 'superseded')
    return `a newer snapshot landed meanwhile; ${where} left to it`
  return commit
    ? `committed ${where}${result.commitSha ? ` (${result.commitSha.slice(0, 7)})` : ''}`
    : `wrote ${where} in the workspace`
}

/** The log's warnings: skipped issues and duplicate object ids. */
export function warnings(result: Outcome): string[] {
  return [
    ...result.skipped.map((s) => `#${s.issueNumber} skipped (${s.reason}): ${s.message}`),
    ...result.duplicates.map(
      (d) =>
        `object id "${d.objectId}" is on issues ${d.issueNumbers.map((n) => `#${n}`).join(', ')}; ` +
        `the snapshot keeps #${d.issueNumbers[0]}`
    )
  ]
}

/** The job summary: the outcome, the counts, and the ids changed, removed and pending. */
export function summaryParts(result: Outcome, outcome: string): SummaryPart[] {
  return [
    { text: md`${outcome}.` },
    {
      table: {
        header: [
          'Mode',
          'Objects',
          'Changed',
          'Removed',
          'Pending',
          'Skipped',
          'Duplicates',
          'Requests'
        ],
        rows: [
          [
            result.mode,
            result.objects,
            result.changedIds.length,
            result.removedIds.length,
            result.pendingIds.length,
            result.skipped.length,
            result.duplicates.length,
            result.requests
          ]
        ]
      }
    },
    { text: md`Changed: ${codeList(result.changedIds)}` },
    { text: md`Removed: ${codeList(result.removedIds)}` },
    ...(result.pendingIds.length > 0
      ? [{ text: md`Updates queued, entry kept as it was: ${codeList(result.pendingIds)}` }]
      : [])
  ]
}
