import { createHash } from 'node:crypto'
import type { RouteResult } from './router.js'

/**
 * Conditional GETs (docs/github-behaviour.md §1.1, §8 item 7, §12.4): every successful API GET
 * carries `ETag: "<sha256 of the credential and the body>"` — GitHub's tags are specific to the
 * token, so the same listing read with another token (an App's next installation token) has
 * another tag — and the listings that know when they last changed (repository, commits, issues,
 * pull requests) carry `Last-Modified`. A request whose `If-None-Match` lists the tag (strong or
 * `W/` weak, or `*`), or, without `If-None-Match`, whose `If-Modified-Since` is not before
 * `Last-Modified`, is answered `304 Not Modified` without a body, and the server gives the spent
 * rate-limit request back and marks the ledger entry `notModified`.
 */

/** The strong entity tag of a response body as seen by `credential` (the token; `''` anonymous). */
export function etagOf(result: RouteResult, credential = ''): string | null {
  const hash = createHash('sha256').update(`${credential}\0`)
  if (result.raw !== undefined) return `"${hash.update(result.raw).digest('hex')}"`
  if (result.body === undefined) return null
  return `"${hash.update(JSON.stringify(result.body)).digest('hex')}"`
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
 * `{'last-modified': <HTTP date>}` for an ISO 8601 timestamp (whole seconds, as HTTP dates are),
 * for a route's `headers`; `{}` when `iso` is absent or not a date.
 */
export function lastModified(iso: string | null | undefined): Record<string, string> {
  const time = iso ? Date.parse(iso) : NaN
  return Number.isNaN(time) ? {} : { 'last-modified': new Date(time).toUTCString() }
}

/** Whether `If-Modified-Since` is a date not before `Last-Modified` (both whole seconds). */
export function notModifiedSince(
  header: string | string[] | undefined,
  modified: string | undefined
): boolean {
  if (header === undefined || modified === undefined) return false
  const since = Date.parse(Array.isArray(header) ? header[0] : header)
  const changed = Date.parse(modified)
  return !Number.isNaN(since) && !Number.isNaN(changed) && changed <= since
}

/** The request headers `applyEtag` reads. */
export interface ConditionalHeaders {
  'if-none-match'?: string | string[]
  'if-modified-since'?: string | string[]
}

/**
 * Adds the `ETag` (of `credential` and the body) to a 200 GET answer, or turns it into a
 * bodiless 304 when the validators match (`notModified: true`; the caller refunds the rate
 * limit). `If-None-Match` wins over `If-Modified-Since` when both are sent (RFC 9110 §13.1.3).
 * Other answers pass through.
 */
export function applyEtag(
  method: string,
  request: ConditionalHeaders,
  result: RouteResult,
  credential = ''
): { result: RouteResult; notModified: boolean } {
  if (method !== 'GET' || result.status !== 200) return { result, notModified: false }
  const etag = etagOf(result, credential)
  if (!etag) return { result, notModified: false }
  const headers: Record<string, string> = { ...(result.headers ?? {}), etag }
  const inm = request['if-none-match']
  const matches =
    inm !== undefined
      ? ifNoneMatchMatches(inm, etag)
      : notModifiedSince(request['if-modified-since'], headers['last-modified'])
  if (matches) {
    const kept: Record<string, string> = { etag }
    for (const name of ['cache-control', 'vary', 'link', 'last-modified'])
      if (headers[name] !== undefined) kept[name] = headers[name]
    return { result: { status: 304, headers: kept }, notModified: true }
  }
  return { result: { ...result, headers }, notModified: false }
}
