/**
 * The webhook inbox, first stop of every delivery (docs/activity-sync.md §4): verify the
 * signature on the raw bytes, store the delivery by its GUID, answer at once. Nothing is
 * processed here, so the answer comes well inside GitHub's 10 s (docs/github-behaviour.md
 * §7.1) and a delivery that was answered 202 is already on disk: a crash after that loses
 * nothing, and workers (worker.ts) process it later.
 */
import { verify } from '@octokit/webhooks-methods'
import type { ActivityDb, ReceiveOutcome } from './types.js'

/**
 * GitHub caps webhook payloads at 25 MB (docs/github-behaviour.md §7); 25 MiB is a little more,
 * so no genuine delivery is refused.
 */
export const WEBHOOK_PAYLOAD_MAX_BYTES = 25 * 1024 * 1024

/** Request headers as `node:http` gives them (any case), or a fetch `Headers`. */
export type DeliveryHeaders =
  Record<string, string | string[] | undefined> | { get(name: string): string | null }

/** Options of {@link receiveDelivery}. */
export interface ReceiveOptions {
  headers: DeliveryHeaders
  /** The request body exactly as received: the signature is over these bytes. */
  rawBody: Uint8Array
  /** The webhook secret (the App's, or the repository webhook's). */
  secret: string
  /** Clock for `received_at` (default the host's). */
  now?: () => Date
  /** Largest body accepted, in bytes (default {@link WEBHOOK_PAYLOAD_MAX_BYTES}). */
  maxBytes?: number
}

/** One header, case-insensitive; the first value of a repeated one. */
export function header(headers: DeliveryHeaders, name: string): string | undefined {
  if (typeof (headers as { get?: unknown }).get === 'function')
    return (headers as { get(n: string): string | null }).get(name) ?? undefined
  const wanted = name.toLowerCase()
  for (const [k, v] of Object.entries(headers as Record<string, string | string[] | undefined>))
    if (k.toLowerCase() === wanted) return Array.isArray(v) ? v[0] : v
  return undefined
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

/**
 * Accepts one webhook request into the inbox.
 *
 * - body over `maxBytes` → `rejected` 413;
 * - `X-Hub-Signature-256` missing, or not `sha256=` HMAC-SHA256 of the raw body under `secret`
 *   (`@octokit/webhooks-methods` `verify`, constant time) → `rejected` 401;
 * - `X-GitHub-Delivery` or `X-GitHub-Event` missing, or the body not a JSON object → 400;
 * - otherwise the delivery is stored (`pending`) by GUID → `stored` 202; a GUID already in the
 *   inbox (GitHub's redelivery keeps the GUID) stores nothing new and answers `duplicate` 202,
 *   only counting the receipt (`deliveries.receipts`).
 *
 * Nothing is written for a rejected request. One SQL statement, no GitHub request.
 */
export async function receiveDelivery(
  db: ActivityDb,
  options: ReceiveOptions
): Promise<ReceiveOutcome> {
  const max = options.maxBytes ?? WEBHOOK_PAYLOAD_MAX_BYTES
  if (options.rawBody.byteLength > max)
    return { kind: 'rejected', status: 413, reason: `payload over ${max} bytes` }
  const signature = header(options.headers, 'x-hub-signature-256')
  if (!signature) return { kind: 'rejected', status: 401, reason: 'X-Hub-Signature-256 missing' }
  let text: string
  try {
    text = utf8.decode(options.rawBody)
  } catch {
    return { kind: 'rejected', status: 401, reason: 'signature does not match' }
  }
  if (!options.secret || !(await verify(options.secret, text, signature)))
    return { kind: 'rejected', status: 401, reason: 'signature does not match' }
  const guid = header(options.headers, 'x-github-delivery')
  const event = header(options.headers, 'x-github-event')
  if (!guid) return { kind: 'rejected', status: 400, reason: 'X-GitHub-Delivery missing' }
  if (!event) return { kind: 'rejected', status: 400, reason: 'X-GitHub-Event missing' }
  let payload: unknown
  try {
    payload = JSON.parse(text)
  } catch {
    return { kind: 'rejected', status: 400, reason: 'body is not JSON' }
  }
  if (!payload || typeof payload !== 'object' || Array.isArray(payload))
    return { kind: 'rejected', status: 400, reason: 'body is not a JSON object' }
  const hookDelivery = Number(header(options.headers, 'x-github-hook-delivery-id'))
  return storeDelivery(db, {
    guid,
    event,
    payload: payload as Record<string, unknown>,
    text,
    hookDeliveryId: Number.isSafeInteger(hookDelivery) && hookDelivery > 0 ? hookDelivery : null,
    receivedAt: (options.now ?? (() => new Date()))()
  })
}

/** A delivery to put in the inbox, already checked (signature, headers, JSON object). */
export interface InboxEntry {
  guid: string
  event: string
  /** The payload parsed, for its `action` and `installation.id`. */
  payload: Record<string, unknown>
  /** The payload text as received, stored as it is. */
  text: string
  /** `X-GitHub-Hook-Delivery-Id` (App deliveries; the redelivery loop needs it), else `null`. */
  hookDeliveryId?: number | null
  receivedAt: Date
}

/**
 * Stores one checked delivery `pending` by its GUID, or, when the GUID is already in the inbox,
 * only counts the receipt (`deliveries.receipts`): `stored` or `duplicate`, both 202. What
 * {@link receiveDelivery} does after its checks, and what the sync-activity action's event mode
 * uses for the workflow's own payload (no signature there: the runner wrote the file). One SQL
 * statement.
 */
export async function storeDelivery(db: ActivityDb, entry: InboxEntry): Promise<ReceiveOutcome> {
  const { guid, payload } = entry
  const p = payload as { action?: unknown; installation?: { id?: unknown } }
  const action = typeof p.action === 'string' ? p.action : null
  const installationId = typeof p.installation?.id === 'number' ? p.installation.id : null
  const row = await db.get<{ receipts: number }>(
    `INSERT INTO deliveries (guid, event, action, installation_id, hook_delivery_id, payload, received_at, receipts, status, attempts)
     VALUES (?, ?, ?, ?, ?, ?, ?, 1, 'pending', 0)
     ON CONFLICT (guid) DO UPDATE SET receipts = deliveries.receipts + 1
     RETURNING receipts`,
    [
      guid,
      entry.event,
      action,
      installationId,
      entry.hookDeliveryId ?? null,
      entry.text,
      entry.receivedAt.toISOString()
    ]
  )
  return row && row.receipts > 1
    ? { kind: 'duplicate', status: 202, guid }
    : { kind: 'stored', status: 202, guid }
}
