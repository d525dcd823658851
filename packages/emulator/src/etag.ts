import { createHash } from 'node:crypto'
import type { RouteResult } from './router.js'

/**
 * Conditional GETs (docs/github-behaviour.md §1.1, §8 item 7): every successful API GET carries
 * `ETag: "<sha256 of the body>"` (the JSON text, or the raw bytes); a request whose
 * `If-None-Match` lists that tag (strong or `W/` weak, or `*`) is answered `304 Not Modified`
 * without a body, and the server gives the spent rate-limit request back.
 */

/** The strong entity tag of a response body. */
export function etagOf(result: RouteResult): string | null {
  if (result.raw !== undefined) return `"${createHash('sha256').update(result.raw).digest('hex')}"`
  if (result.body === undefined) return null
  return `"${createHash('sha256').update(JSON.stringify(result.body)).digest('hex')}"`
}

/** Whether `If-None-Match` (comma list, weak tags allowed) matches `etag`. */
export function ifNoneMatchMatches(header: string | string[] | undefined, etag: string): boolean {
  if (header === undefined) return false
  const text = Array.isArray(header) ? header.join(',') : header
  const bare = etag.replace(/^W\//, '')
  return text
    .split(',')
    .map((t) => t.trim())
    .some((t) => t === '*' || t.replace(/^W\//, '') === bare)
}

/**
 * Adds the `ETag` to a 200 GET answer, or turns it into a bodiless 304 when `If-None-Match`
 * matches (`notModified: true`; the caller refunds the rate limit). Other answers pass through.
 */
export function applyEtag(
  method: string,
  ifNoneMatch: string | string[] | undefined,
  result: RouteResult
): { result: RouteResult; notModified: boolean } {
  if (method !== 'GET' || result.status !== 200) return { result, notModified: false }
  const etag = etagOf(result)
  if (!etag) return { result, notModified: false }
  const headers: Record<string, string> = { ...(result.headers ?? {}), etag }
  if (ifNoneMatchMatches(ifNoneMatch, etag)) {
    const kept: Record<string, string> = { etag }
    for (const name of ['cache-control', 'vary', 'link'])
      if (headers[name] !== undefined) kept[name] = headers[name]
    return { result: { status: 304, headers: kept }, notModified: true }
  }
  return { result: { ...result, headers }, notModified: false }
}
