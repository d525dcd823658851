import { PER_PAGE_DEFAULT, PER_PAGE_MAX } from './limits.js'
import type { RouteRequest, RouteResult } from './router.js'

function positiveInt(value: string | null): number | null {
  if (value === null || !/^\d+$/.test(value)) return null
  const n = Number(value)
  return n >= 1 ? n : null
}

/** Per-endpoint pagination rules; the defaults are the common ones (30, max 100). */
export interface PageOptions {
  /** `per_page` when absent (default `PER_PAGE_DEFAULT`). */
  perPageDefault?: number
  /** Largest honoured `per_page` (default `PER_PAGE_MAX`). */
  perPageMax?: number
  /** Wraps the page, e.g. `{total_count, variables}` (default: the plain array). */
  wrap?: (page: unknown[], total: number) => unknown
}

/**
 * Answers one page of `items` (`per_page` default 30, clamped to 100; `page` from 1) with a
 * `link` header of absolute URLs on the emulator's origin — `rel="prev"`, `"next"`, `"last"`,
 * `"first"` as GitHub sends them (docs/github-behaviour.md §3.1, §8 item 12) — so
 * `octokit.paginate` follows them back here.
 */
export function paginate<T>(
  req: RouteRequest,
  items: T[],
  encode: (item: T) => unknown,
  options: PageOptions = {}
): RouteResult {
  const perPage = Math.min(
    positiveInt(req.query.get('per_page')) ?? options.perPageDefault ?? PER_PAGE_DEFAULT,
    options.perPageMax ?? PER_PAGE_MAX
  )
  const page = positiveInt(req.query.get('page')) ?? 1
  const last = Math.max(1, Math.ceil(items.length / perPage))
  const slice = items.slice((page - 1) * perPage, page * perPage)
  const link = (n: number, rel: string): string => {
    const url = new URL(req.url.href)
    url.searchParams.set('page', String(n))
    return `<${url.href}>; rel="${rel}"`
  }
  const links: string[] = []
  if (page > 1) links.push(link(Math.min(page - 1, last), 'prev'))
  if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'))
  if (page > 1) links.push(link(1, 'first'))
  return {
    status: 200,
    body: options.wrap ? options.wrap(slice.map(encode), items.length) : slice.map(encode),
    headers: links.length > 0 ? { link: links.join(', ') } : undefined
  }
}
