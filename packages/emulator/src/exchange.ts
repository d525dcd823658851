/**
 * One API request and its answer as the emulator saw them, handed to
 * `EmulatorOptions.onExchange` after the response is written. The conformance suite records
 * these and validates them against GitHub's OpenAPI description
 * (`docs/github-behaviour.md §6`). Admin requests (`/_emulator/...`) are never reported.
 */
export interface Exchange {
  /** Upper-case HTTP method, e.g. `'GET'`. */
  method: string
  /** The matched route template (`/repos/{owner}/{repo}/issues`), or the ledger's unmatched marker. */
  route: string
  /** Decoded path parameters of the matched route (`{}` when no route matched). */
  params: Record<string, string>
  /** The request path as received, without the query string. */
  path: string
  status: number
  /** Query parameters; a repeated name keeps its last value. */
  query: Record<string, string>
  /** Request headers, lower-case names. */
  requestHeaders: Record<string, string | string[] | undefined>
  /** The parsed JSON request body; `undefined` for no body or a non-JSON body. */
  requestBody: unknown
  /** Response headers, lower-case names. */
  responseHeaders: Record<string, string>
  /** The parsed JSON response body; `undefined` when there is none or it is not JSON. */
  responseBody: unknown
}
