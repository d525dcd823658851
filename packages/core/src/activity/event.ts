/**
 * The workflow's own event as an inbox delivery (the sync-activity action's `mode: event`;
 * docs/activity-action.md §2): a workflow run on `push`, `issues` or `pull_request` gets the
 * webhook payload of that event in the file `GITHUB_EVENT_PATH` names. It is stored in the
 * inbox under a GUID derived from its bytes — a rerun of the same run reads the same file, so it
 * is a duplicate and nothing new is processed — and the inbox is then processed as the webhook
 * workers do (worker.ts), through the same handlers.
 */
import { createHash } from 'node:crypto'
import type { HubstoreOctokit } from '../github/client.js'
import { storeDelivery } from './inbox.js'
import { getJob } from './jobs.js'
import { processInbox, type ProcessInboxResult } from './worker.js'
import type { ActivityDb, SyncJobRow } from './types.js'

/** The workflow events `mode: event` ingests (each has a webhook handler, process/index.ts). */
export const WORKFLOW_EVENTS = ['push', 'issues', 'pull_request'] as const
export type WorkflowEvent = (typeof WORKFLOW_EVENTS)[number]

/** Options of {@link ingestEvent}. */
export interface IngestEventOptions {
  /** `GITHUB_EVENT_NAME`: one of {@link WORKFLOW_EVENTS}. */
  event: WorkflowEvent
  /** The payload (the file's JSON object); the SHA-256 of its JSON text makes the GUID. */
  payload: Record<string, unknown>
  /** The client for the payload's installation (`null`: none, a token's client). */
  clientFor: (installationId: number | null) => Promise<HubstoreOctokit>
  now?: () => Date
}

/** What {@link ingestEvent} did. */
export interface IngestEventResult {
  /** `workflow-<event>-<first 32 hex digits of the payload's SHA-256>`. */
  guid: string
  /** The GUID was in the inbox already (a rerun): nothing new was stored. */
  duplicate: boolean
  /** The inbox pass (the event's delivery and any other claimable one). */
  pass: ProcessInboxResult
  /** The pass's `webhook` job row; `undefined` when the pass claimed nothing. */
  job: SyncJobRow | undefined
}

/** The inbox GUID of a workflow event: stable across reruns of the same payload text. */
export function workflowEventGuid(event: string, payloadText: string): string {
  return `workflow-${event}-${createHash('sha256').update(payloadText).digest('hex').slice(0, 32)}`
}

/**
 * Stores the workflow's event payload in the inbox (one SQL statement) and processes the inbox
 * once (`processInbox`): the push's commits upserted by SHA (fetched through compare when the
 * payload is capped), the issue or pull request by id. Requests: what the handler needs (none
 * for a complete push payload). A second call with the same payload stores and processes
 * nothing: `duplicate`, no job.
 * A payload the handler cannot use (no `repository.id`) leaves its delivery `failed` with
 * `INVALID_WEBHOOK_PAYLOAD` in the job's errors; nothing is thrown.
 */
export async function ingestEvent(
  db: ActivityDb,
  options: IngestEventOptions
): Promise<IngestEventResult> {
  const text = JSON.stringify(options.payload)
  const guid = workflowEventGuid(options.event, text)
  const now = options.now ?? (() => new Date())
  const stored = await storeDelivery(db, {
    guid,
    event: options.event,
    payload: options.payload,
    text,
    receivedAt: now()
  })
  const pass = await processInbox(db, { clientFor: options.clientFor, now })
  const job = pass.job_id === null ? undefined : await getJob(db, pass.job_id)
  return { guid, duplicate: stored.kind === 'duplicate', pass, job }
}
