import { code, md, type SummaryPart } from '@hubstore/action-kit'
import type { SyncCounts } from '@hubstore/core/activity'
import type { DatabaseReport } from './database.js'
import type { StepJob } from './work.js'

/** Error rows a summary shows at most. */
export const MAX_ERRORS = 50

interface JobError {
  repository?: string
  delivery?: string
  code: string
  message: string
}

const KiB = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`

/** The step's log line: the job and what it spent. */
export function jobLine(r: StepJob): string {
  const job = r.job
  if (!job) return `${r.event?.name ?? 'event'} payload already ingested: nothing to do`
  return `job #${job.id} (${job.type}) ${job.status}: ${job.repositories_processed} repositories, ${job.rest_requests} REST requests, ${job.graphql_points} GraphQL points; counts ${job.counts}`
}

/** The errors the job recorded (its `errors` JSON). */
export function jobErrors(r: StepJob): JobError[] {
  return r.job ? (JSON.parse(r.job.errors) as JobError[]) : []
}

function databaseLine(d: DatabaseReport): SummaryPart {
  if (d.kind === 'postgres') return { text: md`Database: PostgreSQL ${code(d.url)}.` }
  const restored = !d.restore
    ? md`started empty (no backup on ${code(d.branch)} yet)`
    : d.restore.restored
      ? md`restored from backup ${code(d.restore.backupId ?? '')} of ${code(d.branch)}`
      : md`
already in the workspace
        `
  return {
    text: md`Database: SQLite in ${code(d.path)}, ${restored}; backed up as ${code(d.backup.backupId)} (${KiB(d.backup.uploadedBytes)} uploaded).`
  }
}

/** Summary: the job, its counts and spend, its errors (escaped), and the database. */
export function stepSummary(r: StepJob, d: DatabaseReport): SummaryPart[] {
  const job = r.job
  if (!job)
    return [
      { text: md`The ${r.event?.name ?? ''} payload of this run was ingested before: no new job.` },
      databaseLine(d)
    ]
  const counts = JSON.parse(job.counts) as SyncCounts
  const errors = jobErrors(r)
  return [
    {
      text: md`Job #${job.id} (${job.type}) ${job.status}: ${job.repositories_processed} repositories processed; ${job.rest_requests} REST requests, ${job.graphql_points} GraphQL points spent.`
    },
    { table: { header: ['Rows written', 'Count'], rows: Object.entries(counts) } },
    ...(errors.length === 0
      ? []
      : [
          {
            table: {
              header: ['Repository or delivery', 'Error', 'Message'],
              rows: errors
                .slice(0, MAX_ERRORS)
                .map((e) => [e.repository ?? e.delivery ?? '', e.code, e.message])
            }
          }
        ]),
    databaseLine(d)
  ]
}
