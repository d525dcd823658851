import { createHmac, randomBytes } from 'node:crypto'
import type { DeliveryTarget } from './records.js'

/** GitHub records a delivery as failed when the receiver takes longer than 10 s (§7.1). */
export const DELIVERY_TIMEOUT_MS = 10_000

/** `User-Agent: GitHub-Hookshot/<hex>`: one short hex id per emulator process, as GitHub's build ids. */
export const HOOKSHOT_USER_AGENT = `GitHub-Hookshot/${randomBytes(4).toString('hex').slice(0, 7)}`

/** What a fault rule makes of one attempt instead of (or before) sending it. */
export type DeliveryFault =
  { mode: 'drop' } | { mode: 'fail'; status: number } | { mode: 'delay'; ms: number }

/** The outcome of one attempt, as a delivery record keeps it. */
export interface AttemptResult {
  status: string
  status_code: number
  duration: number
  headers: Record<string, string>
  payload: string | null
}

/**
 * The request headers GitHub sends with a delivery (https://docs.github.com/webhooks/webhook-events-and-payloads#delivery-headers):
 * the signatures (`X-Hub-Signature-256` = `sha256=` HMAC-SHA256 of the raw body,
 * `X-Hub-Signature` = `sha1=` HMAC-SHA1) only when the hook has a secret.
 */
export function deliveryHeaders(
  target: DeliveryTarget,
  event: string,
  guid: string,
  body: string
): Record<string, string> {
  const headers: Record<string, string> = {
    Accept: '*/*',
    'Content-Type':
      target.contentType === 'json' ? 'application/json' : 'application/x-www-form-urlencoded',
    'User-Agent': HOOKSHOT_USER_AGENT,
    'X-GitHub-Delivery': guid,
    'X-GitHub-Event': event,
    'X-GitHub-Hook-ID': String(target.hookId),
    'X-GitHub-Hook-Installation-Target-ID': String(target.targetId),
    'X-GitHub-Hook-Installation-Target-Type': target.targetType
  }
  if (target.secret) {
    headers['X-Hub-Signature'] =
      `sha1=${createHmac('sha1', target.secret).update(body).digest('hex')}`
    headers['X-Hub-Signature-256'] =
      `sha256=${createHmac('sha256', target.secret).update(body).digest('hex')}`
  }
  return headers
}

/** The body as sent: the JSON itself, or `payload=<url-encoded JSON>` for `form` hooks. */
export function deliveryBody(target: DeliveryTarget, json: string): string {
  return target.contentType === 'json' ? json : `payload=${encodeURIComponent(json)}`
}

/**
 * POSTs one delivery and reports what happened: `OK` for a 2xx answer, `Invalid HTTP
 * Response: <status>` otherwise, `timed out` after `DELIVERY_TIMEOUT_MS`, `failed to connect
 * to host` when nothing answered. A `drop` fault sends nothing and reports the connection
 * failure; a `fail` fault sends nothing and reports the status; `delay` waits first (wall time).
 * Never throws.
 */
export async function sendDelivery(
  url: string,
  headers: Record<string, string>,
  body: string,
  fault: DeliveryFault | null,
  signal: AbortSignal
): Promise<AttemptResult> {
  const started = performance.now()
  const seconds = () => Math.round(performance.now() - started) / 1000
  if (fault?.mode === 'drop')
    return {
      status: 'failed to connect to host',
      status_code: 0,
      duration: 0,
      headers: {},
      payload: null
    }
  if (fault?.mode === 'fail')
    return {
      status: `Invalid HTTP Response: ${fault.status}`,
      status_code: fault.status,
      duration: 0,
      headers: {},
      payload: null
    }
  if (fault?.mode === 'delay') await new Promise((resolve) => setTimeout(resolve, fault.ms))
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers,
      body,
      redirect: 'manual',
      signal: AbortSignal.any([signal, AbortSignal.timeout(DELIVERY_TIMEOUT_MS)])
    })
    const payload = await res.text()
    return {
      status: res.status >= 200 && res.status < 300 ? 'OK' : `Invalid HTTP Response: ${res.status}`,
      status_code: res.status,
      duration: seconds(),
      headers: Object.fromEntries(res.headers),
      payload: payload === '' ? null : payload
    }
  } catch (error) {
    const timedOut = error instanceof DOMException && error.name === 'TimeoutError'
    return {
      status: timedOut ? 'timed out' : 'failed to connect to host',
      status_code: 0,
      duration: seconds(),
      headers: {},
      payload: null
    }
  }
}
