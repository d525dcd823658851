/**
 * A `hubstore serve` process for the crash and scale-out tests: the real service and server,
 * configured from the environment — SERVE_DATABASE (URL), GITHUB_WEBHOOK_SECRET,
 * HUBSTORE_ADMIN_TOKEN, SERVE_CLOCK_OFFSET_MS (the workers' clock runs this far ahead, so a
 * restart can take over leases a killed process left), SERVE_WORKERS, SERVE_PORT (default a
 * free one), SERVE_MIN_INTERVAL_MS, and App credentials in GITHUB_APP_ID +
 * GITHUB_APP_PRIVATE_KEY with GITHUB_API_URL (the emulator). Prints the server's
 * `listening on <url>` line; SIGTERM shuts it down gracefully and exits 0.
 */
import { activityClients } from '@hubstore/core/activity'
import { createActivityService, startServer } from '@hubstore/server'

const offset = Number(process.env.SERVE_CLOCK_OFFSET_MS ?? 0)
const now = (): Date => new Date(Date.now() + offset)
const { GITHUB_APP_ID: appId, GITHUB_APP_PRIVATE_KEY: privateKey } = process.env
const clients =
  appId && privateKey
    ? activityClients({ appId, privateKey, baseUrl: process.env.GITHUB_API_URL! })
    : undefined
const service = await createActivityService({
  database: process.env.SERVE_DATABASE!,
  ...(clients ? { clients } : {}),
  now,
  pollIntervalMs: 20,
  onError: (error) => process.stderr.write(`worker: ${String(error)}\n`)
})
const server = await startServer({
  service,
  port: Number(process.env.SERVE_PORT ?? 0),
  now,
  minIntervalMs: Number(process.env.SERVE_MIN_INTERVAL_MS ?? 600_000),
  workers: Number(process.env.SERVE_WORKERS ?? 2),
  sweepCron: false,
  redeliveryCron: false
})
process.once('SIGTERM', () => {
  void server.close().then(() => process.exit(0))
})
