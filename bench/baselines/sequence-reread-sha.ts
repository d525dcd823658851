/**
 * Baseline: "re-read the sha just before writing" (bench only, never shipped), as
 * moonshot-partners/build-number-manager does (docs/peers-and-limits.md §2, §7).
 * Read the value, add one, then fetch the file again only for its current blob SHA and PUT with
 * that. The second read defeats the compare-and-swap: the SHA always matches, so two writers
 * that read the same value both succeed and hand out the same number (and one increment is lost).
 * 409s (a write between the SHA read and the PUT) are retried like the naive baseline.
 */
import type { HubstoreOctokit } from '@hubstore/core'
import type { BaselineResult } from './sequence-naive.js'

const RETRIES = 5
const BASE_MS = 100

export async function rereadShaIncrement(
  octokit: HubstoreOctokit,
  owner: string,
  repo: string,
  name: string,
  path = 'sequence_data.json'
): Promise<BaselineResult> {
  const read = async () => {
    const { data } = await octokit.rest.repos.getContent({ owner, repo, path })
    const file = data as { content: string; sha: string }
    return { sha: file.sha, json: JSON.parse(Buffer.from(file.content, 'base64').toString('utf8')) }
  }
  for (let attempt = 0; ; attempt++) {
    const { json } = await read()
    const value = (json.sequences[name] ?? 0) + 1
    json.sequences[name] = value
    const { sha } = await read() // "make sure the sha is fresh" — the defect
    try {
      await octokit.rest.repos.createOrUpdateFileContents({
        owner,
        repo,
        path,
        sha,
        message: `Increment ${name}: ${value - 1} → ${value}`,
        content: Buffer.from(JSON.stringify(json, null, 2)).toString('base64'),
        request: { retries: 0 }
      })
      return { value, attempts: attempt + 1 }
    } catch (error) {
      if ((error as { status?: number }).status !== 409 || attempt >= RETRIES) throw error
      await new Promise((resolve) => setTimeout(resolve, BASE_MS * 2 ** attempt))
    }
  }
}
