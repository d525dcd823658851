/**
 * Counts every byte of every answer a data operation receives, for the persist-data tests
 * (`packages/core/__tests__/data/growth*.test.ts`) and `bench/persist-data.ts`: each GitHub API
 * response body of `octokit` (a raw body is read whole and handed on; a parsed one counted as its
 * JSON) and each LFS response (pass the returned `fetch` to the data functions). The caller
 * resets `bytes` and `requests` between operations.
 */
import type { createGitHubClient } from '@hubstore/core'

/** The running totals: bytes received (API + LFS), API requests answered, the counting `fetch`. */
export interface ReceivedCounter {
  bytes: number
  requests: number
  fetch: typeof fetch
}

/** A counter hooked into `octokit`'s requests; its `fetch` counts the LFS transfers. */
export function receivedBytes(
  octokit: Pick<ReturnType<typeof createGitHubClient>, 'hook'>
): ReceivedCounter {
  const counter: ReceivedCounter = { bytes: 0, requests: 0, fetch: globalThis.fetch }
  counter.fetch = async (url, init) => {
    const res = await globalThis.fetch(url, init)
    counter.bytes += (await res.clone().arrayBuffer()).byteLength
    return res
  }
  octokit.hook.wrap('request', async (request, options) => {
    const response = await request(options)
    const data = response.data as unknown
    counter.requests++
    if (data instanceof ReadableStream) {
      const bytes = Buffer.from(await new Response(data).arrayBuffer())
      counter.bytes += bytes.length
      ;(response as { data: unknown }).data = new Response(bytes).body
    } else
      counter.bytes += Buffer.byteLength(
        typeof data === 'string' ? data : JSON.stringify(data ?? '')
      )
    return response
  })
  return counter
}
