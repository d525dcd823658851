/**
 * One backup or restore in a process of its own, for the kill -9 test, which bundles it with
 * test-support/bundle-for-child.ts and runs the bundle as
 * `node data-worker.mjs <backup|restore> <dir> <owner/repo> <kill-at> [cache-dir]` (by hand:
 * `node --import tsx data-worker.ts …`)
 * with `HUBSTORE_API_URL` and `GITHUB_TOKEN` in the environment (the token never in argv).
 * Prints `ready`, waits for a line on stdin, then runs. Every GitHub request and LFS request
 * counts two events (sent, answered) and every progress report one; at event `<kill-at>` (0 =
 * never) the process sends itself SIGKILL. Ends with one JSON line `{"events": n, "result"}`.
 */
import { createInterface } from 'node:readline'
// Bottleneck's zero-length waits through setImmediate, as in the Jest process: about 15 ms less
// per request, pure waiting against the emulator (see the file). The kill points count events,
// not time, so they fall where they did.
import '../../../../../test-support/jest-setup.js'
import { createGitHubClient } from '../../../src/github/client.js'
import { backupDirectory } from '../../../src/data/backup.js'
import { restoreDirectory } from '../../../src/data/restore.js'

const [mode, dir, fullName, killAt, cacheDir] = process.argv.slice(2) as [
  'backup' | 'restore',
  string,
  string,
  string,
  string | undefined
]
const [owner, repo] = fullName.split('/') as [string, string]
const kill = Number(killAt)
let events = 0
const tick = () => {
  if (++events === kill) process.kill(process.pid, 'SIGKILL')
}

const octokit = createGitHubClient({
  token: process.env.GITHUB_TOKEN,
  baseUrl: process.env.HUBSTORE_API_URL,
  retry: { retryAfterBaseMs: 5 },
  throttle: { writeSpacingMs: 0, retryAfterBaseMs: 5 }
})
octokit.hook.wrap('request', async (request, options) => {
  tick()
  const response = await request(options)
  tick()
  return response
})
const remote = {
  fetch: (async (url, init) => {
    tick()
    const response = await fetch(url, init)
    tick()
    return response
  }) as typeof fetch,
  onProgress: () => tick()
}

const lines = createInterface({ input: process.stdin })
console.log('ready')
await new Promise((resolve) => lines.once('line', resolve))
lines.close()
const ctx = { octokit, owner, repo }
const result =
  mode === 'backup'
    ? await backupDirectory(ctx, dir, remote)
    : await restoreDirectory(ctx, dir, { ...remote, cacheDir })
console.log(JSON.stringify({ events, result: { ...result, manifest: undefined } }))
