/**
 * A sweep in a child process, for the kill -9 test: argv = database URL, API URL, token,
 * repositories (comma list). Prints one line per progress step on standard output.
 */
import { activityClients } from '../../../src/activity/auth.js'
import { openActivityDb } from '../../../src/activity/store/open.js'
import { sweep } from '../../../src/activity/sweep.js'

const [database, baseUrl, token, repositories] = process.argv.slice(2) as [
  string,
  string,
  string,
  string
]
const db = await openActivityDb(database)
const clients = activityClients({
  token,
  baseUrl,
  client: { retry: { retryAfterBaseMs: 5 }, throttle: { writeSpacingMs: 0, retryAfterBaseMs: 5 } }
})
const job = await sweep(db, {
  ...clients,
  repositories: repositories.split(','),
  onProgress: (p) => process.stdout.write(`${JSON.stringify(p)}\n`)
})
process.stdout.write(`${JSON.stringify({ phase: 'done', status: job.status })}\n`)
await db.close()
