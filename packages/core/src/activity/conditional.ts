/**
 * Repair loop (c): REST conditional change detection, for the repositories the GraphQL change
 * query cannot serve (docs/activity-sweeps.md §2 item 4). Per repository, three conditional
 * GETs of one item each ask whether a stream moved since the validators stored in
 * `repository_validators`:
 *
 * - `commits`: `GET /repos/{o}/{r}/commits?per_page=1` (the default branch; its one item is the head);
 * - `issues`: `GET /repos/{o}/{r}/issues?state=all&sort=updated&direction=desc&per_page=1`;
 * - `pulls`: `GET /repos/{o}/{r}/pulls?state=all&sort=updated&direction=desc&per_page=1`.
 *
 * Each sends `If-Modified-Since: <stored Last-Modified>` (token-independent, so it survives an
 * App's hourly token rotation) and, only when the stored ETag was read with the same credential
 * by this process, `If-None-Match: <ETag>` (ETags are per token, docs/github-behaviour.md §12.4).
 * A 304 does not count against the primary rate limit; a 200 is compared with the stored row
 * like the GraphQL answer is (head SHA, newest `updated_at`), and its validators are saved once
 * the repository's delta fetch has succeeded, never before (a failed fetch must be seen again).
 *
 * No token is stored: the credential of an ETag is recorded as an HMAC-SHA-256 of the token
 * under a random key that exists only in this process's memory.
 */
import { createHmac, randomBytes } from 'node:crypto'
import type { HubstoreOctokit } from '../github/client.js'
import type { ActivityDb, RepositoryRow } from './types.js'

/** The streams a REST check asks about, in the order they are asked. */
export const REST_STREAMS = ['commits', 'issues', 'pulls'] as const
export type RestStream = (typeof REST_STREAMS)[number]

/** A `repository_validators` row: what one stream's last 200 answer carried. */
export interface StreamValidator {
  stream: RestStream
  /** `Last-Modified` as GitHub sent it (an HTTP date), sent back verbatim. */
  last_modified: string | null
  etag: string | null
  /** {@link credentialTag} of the credential that read `etag`. */
  etag_credential: string | null
}

/** What {@link checkRepository} found out about one repository. */
export interface RestCheck {
  /** Why the stored row is out of date (`head`, `issues`, `pulls`, `never-synced`); empty: unchanged. */
  why: string[]
  /** 404/410/451 on a listing: gone or no longer visible to this credential. */
  missing: boolean
  /** The default branch's head now (the stored one when the commits check answered 304). */
  headSha: string | null
  /** Validators of the 200 answers, to save with {@link saveValidators} once the repository is synced. */
  fresh: StreamValidator[]
  /** Requests sent, and how many of them were answered 304 (free). */
  sent: number
  notModified: number
}

/** This process's key for {@link credentialTag}; never written anywhere. */
const PROCESS_KEY = randomBytes(32)

/**
 * A tag of the credential `octokit` sends now (the token, or the App installation's current
 * token): HMAC-SHA-256 under a per-process random key, 32 hex digits, or `null` when the client
 * sends none. Equal tags mean "this credential, read by this process"; a stored tag from another
 * process never matches, and the token cannot be recovered from it.
 */
export async function credentialTag(octokit: HubstoreOctokit): Promise<string | null> {
  // auth-token ignores the argument; auth-app answers the installation's (cached) token
  const auth = (await octokit.auth({ type: 'installation' })) as { token?: unknown } | undefined
  const token = typeof auth?.token === 'string' ? auth.token : ''
  if (!token) return null
  return createHmac('sha256', PROCESS_KEY).update(token).digest('hex').slice(0, 32)
}

/** The stored validators of repository `id`, by stream. */
export async function loadValidators(
  db: ActivityDb,
  id: number
): Promise<Map<RestStream, StreamValidator>> {
  const rows = await db.all<StreamValidator>(
    'SELECT stream, last_modified, etag, etag_credential FROM repository_validators WHERE repository_id = ?',
    [id]
  )
  return new Map(rows.map((r) => [r.stream, r]))
}

/** Stores `validators` of repository `id` (one row per stream, replaced), checked at `at`. */
export async function saveValidators(
  db: ActivityDb,
  id: number,
  validators: readonly StreamValidator[],
  at: Date
): Promise<void> {
  for (const v of validators)
    await db.run(
      `INSERT INTO repository_validators (repository_id, stream, last_modified, etag, etag_credential, checked_at)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (repository_id, stream) DO UPDATE SET last_modified = excluded.last_modified,
         etag = excluded.etag, etag_credential = excluded.etag_credential, checked_at = excluded.checked_at`,
      [id, v.stream, v.last_modified, v.etag, v.etag_credential, at.toISOString()]
    )
}

/** The conditional headers for `stored`, as read by credential `tag`. */
export function conditionalHeaders(
  stored: StreamValidator | undefined,
  tag: string | null
): Record<string, string> {
  const headers: Record<string, string> = {}
  if (stored?.last_modified) headers['if-modified-since'] = stored.last_modified
  if (stored?.etag && tag !== null && stored.etag_credential === tag)
    headers['if-none-match'] = stored.etag
  return headers
}

type Json = Record<string, unknown>
const ROUTES: Record<RestStream, string> = {
  commits: 'GET /repos/{owner}/{repo}/commits',
  issues: 'GET /repos/{owner}/{repo}/issues',
  pulls: 'GET /repos/{owner}/{repo}/pulls'
}
const LISTING = { state: 'all', sort: 'updated', direction: 'desc' } as const

function statusOf(error: unknown): number | undefined {
  const s = (error as { status?: unknown } | null)?.status
  return typeof s === 'number' ? s : undefined
}

function header(headers: Record<string, unknown>, name: string): string | null {
  const v = headers[name]
  return typeof v === 'string' && v !== '' ? v : null
}

function newer(answer: string | undefined, stored: string | null): boolean {
  if (!answer) return false
  return !stored || Date.parse(answer) > Date.parse(stored)
}

/**
 * Checks one stored repository with up to three conditional GETs (the module TSDoc), each
 * counted by spend.ts only when not answered 304. A repository never synced is not asked: it is
 * `never-synced` at once (its full sync follows). An empty repository's commit listing answers
 * 409, which carries no validators and counts. `tag` is {@link credentialTag} of `octokit`.
 *
 * @throws GitHub's `RequestError` for answers other than 200, 304, 404/410/451 (missing) and an
 *   empty repository's 409; BudgetReserveError from the governor when attached
 */
export async function checkRepository(
  db: ActivityDb,
  octokit: HubstoreOctokit,
  tag: string | null,
  row: RepositoryRow | undefined
): Promise<RestCheck> {
  const check: RestCheck = {
    why: [],
    missing: false,
    headSha: row?.head_sha ?? null,
    fresh: [],
    sent: 0,
    notModified: 0
  }
  if (!row || !row.last_synced_at) return { ...check, why: ['never-synced'] }
  const [owner, repo] = row.full_name.split('/') as [string, string]
  const stored = await loadValidators(db, row.id)
  for (const stream of REST_STREAMS) {
    check.sent++
    let items: Json[]
    let headers: Record<string, unknown>
    try {
      const r = await octokit.request(ROUTES[stream], {
        owner,
        repo,
        per_page: 1,
        ...(stream === 'commits' ? {} : LISTING),
        headers: conditionalHeaders(stored.get(stream), tag)
      })
      items = r.data as unknown as Json[]
      headers = r.headers as Record<string, unknown>
    } catch (error) {
      const status = statusOf(error)
      if (status === 304) {
        check.notModified++
        continue
      }
      if (status === 404 || status === 410 || status === 451) return { ...check, missing: true }
      if (status === 409 && stream === 'commits') {
        // an empty repository: no head (docs/github-behaviour.md §12.1)
        if (check.headSha !== null) check.why.push('head')
        check.headSha = null
        continue
      }
      throw error
    }
    check.fresh.push({
      stream,
      last_modified: header(headers, 'last-modified'),
      etag: header(headers, 'etag'),
      etag_credential: tag
    })
    const first = items[0]
    if (stream === 'commits') {
      const head = typeof first?.sha === 'string' ? first.sha : null
      if (head !== (row.head_sha ?? null)) check.why.push('head')
      check.headSha = head
    } else if (newer(first?.updated_at as string | undefined, row.issues_updated_at))
      check.why.push(stream)
  }
  return check
}
