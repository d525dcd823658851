import { md, type Cell, type SummaryPart } from '@hubstore/action-kit'
import type { MigrationReport } from '@hubstore/core'

/** The one-line account of a migration command, for the log and the summary. */
export function headline(report: MigrationReport, repository: string, branch: string): string {
  const t = report.totals
  return (
    `${report.command}${report.dryRun ? ' (dry run)' : ''} on ${repository}@${branch}: ` +
    `${t.variables} variable(s), ${t.bytes} bytes; ${t.mapped} mapped, ${t.invalid} invalid, ` +
    `${t.unmapped} unmapped; ${t.migrated} migrated, ${t.mismatches} mismatch(es), ` +
    `${t.deleted} deleted, ${t.restored} restored` +
    (report.commitSha ? `; commit ${report.commitSha}` : '') +
    (report.backupPath ? `; backup ${report.backupPath}` : '') +
    `; ${report.requests} request(s).`
  )
}

/** One warning per variable that is invalid, mismatched or carries a warning. */
export function warnings(report: MigrationReport): string[] {
  return report.variables.flatMap((v) => [
    ...(v.status === 'invalid_json' || v.status === 'invalid_shape'
      ? [`${v.name}: ${v.status}: ${v.problem}`]
      : []),
    ...(v.mismatches?.length ? [`${v.name}: ${v.mismatches.join('; ')}`] : []),
    ...(v.warning ? [`${v.name}: ${v.warning}`] : [])
  ])
}

/** The summary table: one row per variable. */
export function summaryRows(report: MigrationReport): Cell[][] {
  return report.variables.map((v) => [
    v.name,
    v.bytes,
    v.path ?? '—',
    v.status,
    v.outcome ?? v.action ?? (v.mismatches ? (v.mismatches.length ? 'mismatch' : 'valid') : '—'),
    [v.problem, v.reason, ...(v.mismatches ?? []).slice(0, 3), v.warning].filter(Boolean).join('; ')
  ])
}

/** The job summary: the headline, the variables, and the files written (when any). */
export function summaryParts(report: MigrationReport, headline: string): SummaryPart[] {
  return [
    { text: md`${headline}` },
    {
      table: {
        header: ['Variable', 'Bytes', 'Target', 'Status', 'Result', 'Details'],
        rows: summaryRows(report)
      }
    },
    ...(report.files.length
      ? [
          {
            table: {
              header: ['File', 'From', 'Action', 'Bytes'],
              rows: report.files.map((f) => [f.path, f.sources.join(', '), f.action, f.bytes])
            }
          }
        ]
      : [])
  ]
}
