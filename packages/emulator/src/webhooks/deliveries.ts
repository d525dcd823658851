import { NotFound } from '../errors.js'
import type { RouteRequest, RouteResult } from '../router.js'
import { InvalidDeliveryCursor } from './errors.js'
import type { DeliveryRecord } from './records.js'

/** `per_page` of a deliveries listing: default 30, at most 100 (GitHub's). */
const PER_PAGE_DEFAULT = 30
const PER_PAGE_MAX = 100

/**
 * Every delivery attempt of one emulator instance, in memory, newest last; each attempt is one
 * record (a redelivery is a new record with the same `guid`). GitHub keeps them for the
 * redelivery window; the emulator keeps them until `reset`.
 */
export class DeliveryLog {
  private readonly records: DeliveryRecord[] = []
  private nextId = 1

  /** A fresh delivery id (GitHub's are integers, growing). */
  newId(): number {
    return this.nextId++
  }

  add(record: DeliveryRecord): void {
    this.records.push(record)
  }

  /** The attempts of one hook (an App's or a repository webhook's), newest first. */
  of(type: 'App' | 'Repository', hookId: number): DeliveryRecord[] {
    return this.records
      .filter((r) => r.target.type === type && r.target.hookId === hookId)
      .reverse()
  }

  /** One attempt of the hook; throws `NotFound`. */
  get(type: 'App' | 'Repository', hookId: number, id: number): DeliveryRecord {
    const found = this.records.find(
      (r) => r.id === id && r.target.type === type && r.target.hookId === hookId
    )
    if (!found) throw new NotFound()
    return found
  }

  /** Every attempt, oldest first. */
  all(): DeliveryRecord[] {
    return [...this.records]
  }

  clear(): void {
    this.records.length = 0
  }
}

/** `hook-delivery-item` (https://docs.github.com/rest/apps/webhooks#list-deliveries-for-an-app-webhook). */
export function deliveryItem(r: DeliveryRecord): Record<string, unknown> {
  return {
    id: r.id,
    guid: r.guid,
    delivered_at: r.delivered_at,
    redelivery: r.redelivery,
    duration: r.duration,
    status: r.status,
    status_code: r.status_code,
    event: r.event,
    action: r.action,
    installation_id: r.installation_id,
    repository_id: r.repository_id,
    throttled_at: null
  }
}

/** `hook-delivery`: the item plus `url`, the request sent and the response received. */
export function deliveryFull(r: DeliveryRecord): Record<string, unknown> {
  return {
    ...deliveryItem(r),
    url: r.url,
    request: { headers: { ...r.request.headers }, payload: r.request.payload },
    response: { headers: { ...r.response.headers }, payload: r.response.payload }
  }
}

/**
 * One page of `records` (newest first) with GitHub's cursor pagination: `per_page` (≤ 100),
 * `cursor` from the previous page's `link` header (`rel="next"` only, as GitHub sends it),
 * `status` = `success` | `failure` filters on the outcome. Throws `InvalidDeliveryCursor`.
 */
export function deliveriesPage(req: RouteRequest, records: DeliveryRecord[]): RouteResult {
  const perPage = Math.min(
    Number.parseInt(req.query.get('per_page') ?? '', 10) || PER_PAGE_DEFAULT,
    PER_PAGE_MAX
  )
  const status = req.query.get('status')
  let list = records.filter((r) => r.done)
  if (status === 'success') list = list.filter((r) => r.status === 'OK')
  if (status === 'failure') list = list.filter((r) => r.status !== 'OK')
  const cursor = req.query.get('cursor')
  if (cursor !== null) {
    const m = /^v1_(\d+)$/.exec(cursor)
    if (!m) throw new InvalidDeliveryCursor()
    list = list.filter((r) => r.id < Number(m[1]))
  }
  const page = list.slice(0, perPage)
  const headers: Record<string, string> = {}
  if (list.length > perPage) {
    const url = new URL(req.url.href)
    url.searchParams.set('per_page', String(perPage))
    url.searchParams.set('cursor', `v1_${page[page.length - 1].id}`)
    headers.link = `<${url.href}>; rel="next"`
  }
  return { status: 200, body: page.map(deliveryItem), headers }
}
