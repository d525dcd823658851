import { InputError, readEvent, repositoryEventSchema } from '@hubstore/action-kit'
import {
  importActivity,
  ingestEvent,
  sweep,
  WORKFLOW_EVENTS,
  type ActivityDb,
  type DetectMode,
  type SweepProgress,
  type SyncJobRow,
  type WorkflowEvent
} from '@hubstore/core/activity'
import type { StepClients } from './clients.js'
import { Inputs, type Mode } from './constants.js'

/** What the step's one job was. */
export interface StepJob {
  /** The job row; `undefined` when the event was already in the database (a rerun). */
  job: SyncJobRow | undefined
  /** `mode: event`: the event and whether its payload had been ingested before. */
  event?: { name: string; duplicate: boolean }
}

/** The inputs {@link syncJob} reads. */
export interface SyncInputs {
  mode: Mode
  repositories: string[]
  /** `undefined`: the sweep's default (10 minutes) */
  minIntervalMs: number | undefined
  /** How the sweep detects changes (`undefined`: `auto`). */
  detect?: DetectMode
}

/**
 * `event`: the workflow's `push` / `issues` / `pull_request` payload into the inbox and
 * processed (a `webhook` job). `sweep` with the App: every installation's repositories (the
 * first run, with none stored, is the initial import); with the token: `repositories`.
 *
 * @throws {InputError} when `mode: event` runs on another event, or `repositories` is empty
 */
export async function syncJob(
  db: ActivityDb,
  i: SyncInputs,
  clients: StepClients,
  /** Where the sweep's REST fallback line goes (the step log). */
  log: (line: string) => void = () => {}
): Promise<StepJob> {
  const onProgress = (p: SweepProgress) => {
    if (p.phase === 'fallback')
      log(`${p.budget}: checking with REST conditional requests instead of GraphQL: ${p.reason}`)
  }
  if (i.mode === 'event') {
    const name = process.env.GITHUB_EVENT_NAME ?? ''
    if (!(WORKFLOW_EVENTS as readonly string[]).includes(name))
      throw new InputError(
        Inputs.Mode,
        `event ingests a ${WORKFLOW_EVENTS.join(', ')} event, and this run's event is "${name}"`,
        'Use mode: sweep for schedule and workflow_dispatch runs.'
      )
    const { payload } = readEvent(repositoryEventSchema)
    const r = await ingestEvent(db, {
      event: name as WorkflowEvent,
      payload,
      clientFor: clients.clientFor
    })
    return { job: r.job, event: { name, duplicate: r.duplicate } }
  }
  const app = clients.app
  if (app) {
    const stored = await db.get<{ n: number }>(
      'SELECT COUNT(*) AS n FROM repositories WHERE installation_id IS NOT NULL AND deleted_at IS NULL'
    )
    if (!stored || Number(stored.n) === 0)
      return {
        job: await importActivity(db, { clientFor: app.clientFor, appClient: app.appClient })
      }
    return {
      job: await sweep(db, {
        clientFor: app.clientFor,
        budgetKey: app.budgetKey,
        repositories: 'installations',
        minIntervalMs: i.minIntervalMs,
        detect: i.detect,
        onProgress
      })
    }
  }
  if (i.repositories.length === 0)
    throw new InputError(Inputs.Repositories, 'it is empty', 'Name repositories as owner/name.')
  return {
    job: await sweep(db, {
      clientFor: clients.clientFor,
      repositories: i.repositories,
      minIntervalMs: i.minIntervalMs,
      detect: i.detect,
      onProgress
    })
  }
}
