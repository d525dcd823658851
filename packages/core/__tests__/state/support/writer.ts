/**
 * One writer process of the concurrency test: records one posted photo in one album through the
 * git backend, with its own client (own limiter, own connection pool).
 * Usage: node --import tsx writer.ts <api url> <token> <owner/repo> <account> <album> <position>
 * Prints one JSON line: {"ok": true, "attempts": n} or {"ok": false, "error": "..."}.
 */
import { createGitHubClient } from '../../../src/github/client.js'
import { createStateStorage } from '../../../src/index.js'
import { recordPost } from '@hubstore/core/automation-state'

const [url, token, fullName, account, album, position] = process.argv.slice(2)
const [owner, repo] = fullName.split('/')
const octokit = createGitHubClient({
  token,
  baseUrl: url,
  retry: { retryAfterBaseMs: 5 },
  throttle: { writeSpacingMs: 2, retryAfterBaseMs: 5 }
})
try {
  const storage = await createStateStorage(
    { octokit, owner, repo },
    { env: {}, backend: 'git', store: { retry: { maxAttempts: 12, baseMs: 50, maxMs: 800 } } }
  )
  const p = Number(position)
  await recordPost(storage, account, album, {
    position: p,
    photo_id: `photo-${account}-${album}-${p}`,
    instagram_post_id: `ig-${process.pid}`,
    workflow_run_id: String(process.pid)
  })
  process.stdout.write(`${JSON.stringify({ ok: true, requests: octokit.hubstore.requests })}\n`)
} catch (error) {
  process.stdout.write(
    `${JSON.stringify({ ok: false, error: String((error as Error).message) })}\n`
  )
  process.exitCode = 1
}
