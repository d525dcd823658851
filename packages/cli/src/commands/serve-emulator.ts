import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { activityClients } from '@hubstore/core/activity'
import { startEmulator } from '@hubstore/emulator'
import { createActivityService, startServer, WEBHOOK_PATH } from '@hubstore/server'
import {
  logDelivery,
  logSweepFallback,
  schedule,
  untilSignal,
  type ServeFlags
} from './serve-support.js'

/** The account and repositories `hubstore serve --emulator` starts with. */
export const EMULATOR_ACCOUNT = 'demo-org'
const EMULATOR_REPOSITORIES = ['web', 'api', 'docs']
const APP_SLUG = 'hubstore-sync'

/** A port no one listens on now (the App's webhook URL must be known before the server starts). */
function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, host, () => {
      const address = probe.address()
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

/**
 * `hubstore serve --emulator`: a local GitHub (in memory) with an App registered (webhook URL
 * this server, a random secret, read permissions, the events of packages/server/README.md),
 * the server on a SQLite file in a temporary directory (or `--database`), then the App
 * installed on `demo-org` with three repositories, so `installation.created` arrives, is
 * processed and shows on the dashboard. Prints the emulator URL, an admin token for it and
 * the dashboard link; runs until SIGTERM or Ctrl-C.
 */
export async function serveEmulator(flags: ServeFlags): Promise<void> {
  const emulator = await startEmulator()
  const dir = mkdtempSync(join(tmpdir(), 'hubstore-serve-'))
  try {
    const port = flags.port === 0 ? await freePort(flags.host) : flags.port
    const secret = process.env.GITHUB_WEBHOOK_SECRET || randomBytes(20).toString('hex')
    const adminToken = process.env.HUBSTORE_ADMIN_TOKEN || randomBytes(24).toString('base64url')
    for (const name of EMULATOR_REPOSITORIES)
      await emulator.admin.createRepo({ full_name: `${EMULATOR_ACCOUNT}/${name}` })
    const app = await emulator.admin.createApp({
      slug: APP_SLUG,
      webhook_url: `http://${flags.host}:${port}${WEBHOOK_PATH}`,
      webhook_secret: secret,
      permissions: { contents: 'read', issues: 'read', pull_requests: 'read', metadata: 'read' },
      events: ['repository', 'push', 'pull_request', 'issues']
    })
    const service = await createActivityService({
      database: flags.database ?? `sqlite:${join(dir, 'activity.db')}`,
      clients: activityClients({
        appId: app.id,
        privateKey: app.private_key,
        baseUrl: emulator.url
      }),
      onError: (error) => process.stderr.write(`inbox worker: ${String(error)}\n`),
      onDelivery: logDelivery,
      onSweepProgress: logSweepFallback
    })
    const server = await startServer({
      service,
      port,
      host: flags.host,
      webhookSecret: secret,
      adminToken,
      sweepCron: schedule(flags.sweepCron),
      redeliveryCron: schedule(flags.redeliveryCron),
      minIntervalMs: flags.minInterval,
      workers: flags.workers
    })
    await emulator.admin.createInstallation(APP_SLUG, { account: EMULATOR_ACCOUNT })
    const out = (line: string): void => void process.stdout.write(`${line}\n`)
    out(`emulator: ${emulator.url} (App ${APP_SLUG} installed on ${EMULATOR_ACCOUNT})`)
    // A token this run made up is printed once (as `hubstore serve` does with its generated
    // one); one from $HUBSTORE_ADMIN_TOKEN never is.
    if (process.env.HUBSTORE_ADMIN_TOKEN) out(`dashboard: ${server.url}/`)
    else {
      out(`admin token (this run only): ${adminToken}`)
      out(`dashboard: ${server.url}/#token=${encodeURIComponent(adminToken)}`)
    }
    out('Ctrl-C stops both.')
    await untilSignal()
    await server.close()
  } finally {
    await emulator.close()
    rmSync(dir, { recursive: true, force: true })
  }
}
