/** One API request as the emulator saw it (admin requests are never recorded). */
export interface LedgerEntry {
  /** HTTP method, e.g. `GET`. */
  method: string
  /** Route template, e.g. `/repos/{owner}/{repo}/issues/{issue_number}/comments`; `(unmatched)` for unknown routes. */
  route: string
  /** The request path with its query, as sent. */
  path: string
  /** HTTP status answered. */
  status: number
  /** The token's user, `null` when unauthenticated (or the token was bad). */
  login: string | null
  /** When the request arrived (emulated clock), ISO 8601 with milliseconds. */
  time: string
  /** Set when an injected fault produced the answer: `before` (handler not run) or `after` (it ran). */
  fault?: 'before' | 'after'
  /**
   * Set on a `304 Not Modified` answer to a conditional GET (docs/github-behaviour.md §12.4): it
   * did not count against the primary rate limit.
   */
  notModified?: boolean
  /**
   * On a 413 (body over the limit, §11.3): bytes read from the connection (headers and body)
   * when the emulator answered and closed it; the rest of the body is never read.
   */
  bytesRead?: number
}

/** Route value recorded for requests that matched no route. */
export const UNMATCHED_ROUTE = '(unmatched)'

/** The request ledger of one emulator instance. */
export class Ledger {
  private entries: LedgerEntry[] = []

  record(entry: LedgerEntry): void {
    this.entries.push(entry)
  }

  /** A copy of every entry, oldest first. */
  list(): LedgerEntry[] {
    return [...this.entries]
  }

  clear(): void {
    this.entries = []
  }
}
