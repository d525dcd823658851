/**
 * A worker process for the inbox tests:
 * `node --import tsx inbox-worker.ts <database url> <worker id> <limit> <mode>`.
 * Prints `ready` once the database is open and waits for a line on standard input, then
 * processes the inbox pass after pass until a pass claims nothing, and prints one JSON line
 * `{"processed": [guid, …]}`. In mode `hang`, the first delivery that needs a GitHub client
 * prints `mid` and never gets one: the process stays in the middle of its pass, holding the
 * deliveries it claimed, until the test kills it (kill -9).
 */
import { createInterface } from 'node:readline'
import { openActivityDb } from '../../../src/activity/store/open.js'
import { processInbox } from '../../../src/activity/worker.js'

const [url, workerId, limit, mode] = process.argv.slice(2)
const db = await openActivityDb(url, { poolSize: 2 })
process.stdout.write('ready\n')
await new Promise<void>((resolve) =>
  createInterface({ input: process.stdin }).once('line', () => resolve())
)
const processed: string[] = []
for (;;) {
  const r = await processInbox(db, {
    workerId,
    limit: Number(limit),
    clientFor: () => {
      if (mode === 'hang') {
        process.stdout.write('mid\n')
        return new Promise(() => undefined)
      }
      throw new Error('this worker has no GitHub client')
    },
    onDelivery: (d) => {
      if (d.status === 'processed') processed.push(d.guid)
    }
  })
  if (r.claimed === 0) break
}
process.stdout.write(`${JSON.stringify({ processed })}\n`)
await db.close()
// the tsx loader keeps a handle open after the work is done: end the process explicitly
process.exit(0)
