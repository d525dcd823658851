/** What a webhook handler gets, and what it answers (docs/activity-sync.md §3). */
import type { HubstoreOctokit } from '../../github/client.js'
import { InvalidWebhookPayloadError } from '../../errors/activity.js'
import type { ActivityDb, SyncCounts } from '../types.js'

export type Json = Record<string, unknown>

/** A delivery claimed from the inbox, its payload parsed. */
export interface ClaimedDelivery {
  guid: string
  event: string
  action: string | null
  installation_id: number | null
  payload: Json
  attempts: number
}

/** The context of one delivery's processing. */
export interface HandlerContext {
  db: ActivityDb
  delivery: ClaimedDelivery
  /** The client for the delivery's installation (built on first use). */
  octokit(): Promise<HubstoreOctokit>
  /** Rows written, added to by the handler (the worker pass's job sums them). */
  counts: SyncCounts
  /** Repositories the handler wrote to (their number is the job's `repositories_processed`). */
  repositories: Set<number>
  now: () => Date
}

/**
 * A handler: does what needs GitHub (fetches, imports) and answers the writes that remain, which
 * the worker runs in one transaction with the delivery's `processed` mark. Every write is an
 * idempotent upsert, so processing a delivery twice (a redelivery, a retry after a crash) leaves
 * the same rows.
 */
export type Handler = (ctx: HandlerContext) => Promise<(tx: ActivityDb) => Promise<void>>

/** `payload[field]` as an object, or InvalidWebhookPayloadError. */
export function need(ctx: HandlerContext, field: string): Json {
  const v = ctx.delivery.payload[field]
  if (!v || typeof v !== 'object' || typeof (v as Json).id !== 'number')
    throw new InvalidWebhookPayloadError(ctx.delivery.guid, ctx.delivery.event, `${field}.id`)
  return v as Json
}

/** Nothing left to write. */
export const nothing = async (): Promise<void> => undefined
