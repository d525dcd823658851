/**
 * Baseline: the naive counter most build-number actions implement (bench only, never shipped).
 * Read the file, add one, write it back quoting the blob SHA that was read; on a 409, re-read and
 * try again, at most 5 retries, waiting 100 ms × 2^n (no jitter). Answers that are neither
 * success nor 409 (a lost answer, a 5xx) end the attempt with an error: the naive version never
 * reads back, so such a number is either lost or, if the caller retries, handed out twice.
 */
import type { HubstoreOctokit } from '@hubstore/core'

export interface BaselineResult {
  value: number
  /** writes and reads spent, counted by the caller's ledger; here only attempts */
  attempts: number
}

const RETRIES = 5
const BASE_MS = 100

export async function naiveIncrement(
  octokit: HubstoreOctokit,
  owner: string,
  repo: string,
  name: string,
  path = 'sequence_data.json'
): Promise<BaselineResult> {
  for (let attempt = 0; ; attempt++) {
    const { data } = await octokit.rest.repos.getContent({ owner, repo, path })
    const file = data as { content: string; sha: string }
    const json = JSON.parse(Buffer.from(file.content, 'base64').toString('utf8'))
    const value = (json.sequences[name] ?? 0) + 1
    json.sequences[name] = value
    try {
      await octokit.rest.repos.createOrUpdateFileContents({
        owner,
        repo,
        path,
        sha: file.sha,
        message: `Increment ${name}: ${value - 1} → ${value}`,
        content: Buffer.from(JSON.stringify(json, null, 2)).toString('base64'),
        // The stated policy (5 retries on 409) is the only retry: plugin-retry off for the write.
        request: { retries: 0 }
      })
      return { value, attempts: attempt + 1 }
    } catch (error) {
      if ((error as { status?: number }).status !== 409 || attempt >= RETRIES) throw error
      await new Promise((resolve) => setTimeout(resolve, BASE_MS * 2 ** attempt))
    }
  }
}
