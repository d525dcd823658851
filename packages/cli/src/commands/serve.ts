import type { Command } from 'commander'
import { UsageError } from '../errors.js'
import { collectRepo, durationFlag, parsePort, wholeNumber } from '../options.js'
import { clientsFromFlags, databaseUrl } from './activity.js'
import {
  logDelivery,
  logSweepFallback,
  schedule,
  untilSignal,
  type ServeFlags
} from './serve-support.js'

/**
 * Where a generated admin token's hash is kept: `--admin-token-file`, else beside a SQLite
 * database (`<path>.admin-token`); PostgreSQL needs the flag or `$HUBSTORE_ADMIN_TOKEN`.
 * @throws {UsageError}
 */
export function adminTokenFile(flags: ServeFlags, database: string): string | undefined {
  if (flags.adminTokenFile) return flags.adminTokenFile
  if (process.env.HUBSTORE_ADMIN_TOKEN) return undefined
  const sqlite = /^sqlite:(.+)$/.exec(database)
  if (sqlite && sqlite[1] !== ':memory:') return `${sqlite[1]}.admin-token`
  throw new UsageError(
    'Set HUBSTORE_ADMIN_TOKEN, or give --admin-token-file PATH where a generated token is kept (needed with PostgreSQL).'
  )
}

/**
 * `hubstore serve`: the webhook receiver, the sync endpoints, the scheduler and the dashboard
 * (packages/server/README.md) until SIGTERM or Ctrl-C, which shut it down gracefully.
 */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description(
      'Run the webhook receiver, the sync endpoints, the sweep schedule and the sync-health dashboard until SIGTERM or Ctrl-C.'
    )
    .option('-p, --port <n>', 'port to listen on (0 picks a free one)', parsePort, 3000)
    .option('--host <host>', 'interface to bind', '127.0.0.1')
    .option(
      '--database <url>',
      'sqlite:PATH or postgres://… (default: $HUBSTORE_DATABASE_URL, else sqlite:hubstore-activity.db)'
    )
    .option(
      '-r, --repo <owner/name>',
      'token mode: a repository the sweep covers, with $GITHUB_TOKEN (repeatable); without it, App credentials ($GITHUB_APP_ID, $GITHUB_APP_PRIVATE_KEY)',
      collectRepo
    )
    .option('--api-url <url>', 'REST API root (default: $GITHUB_API_URL, else api.github.com)')
    .option(
      '--sweep-cron <expr>',
      'when the periodic sweep runs, UTC ("off": never)',
      '*/15 * * * *'
    )
    .option(
      '--redelivery-cron <expr>',
      'when failed deliveries are redelivered, App mode only ("off": never)',
      '0 */6 * * *'
    )
    .option(
      '--min-interval <duration>',
      'the sweep skips repositories synced within this (e.g. 10m)',
      durationFlag('--min-interval'),
      600_000
    )
    .option('--workers <n>', 'inbox workers in this process', wholeNumber('--workers', 0), 2)
    .option(
      '--admin-token-file <path>',
      "where a generated admin token's hash is kept (default: beside the SQLite database)"
    )
    .option(
      '--emulator',
      'start a local GitHub emulator with an App installed on three repositories, and serve it'
    )
    .addHelpText(
      'after',
      `
Environment: GITHUB_WEBHOOK_SECRET (required), GITHUB_APP_ID + GITHUB_APP_PRIVATE_KEY (App mode)
or GITHUB_TOKEN with --repo, HUBSTORE_ADMIN_TOKEN (else one is generated and printed once),
HUBSTORE_DATABASE_URL.
Example: hubstore serve --emulator`
    )
    .action(async (flags: ServeFlags) => {
      const { startServer, createActivityService } = await import('@hubstore/server')
      if (flags.emulator) {
        const { serveEmulator } = await import('./serve-emulator.js')
        return serveEmulator(flags)
      }
      if (!process.env.GITHUB_WEBHOOK_SECRET)
        throw new UsageError(
          'Set GITHUB_WEBHOOK_SECRET to the webhook secret of the GitHub App (or of the repository webhook); deliveries are verified with it.'
        )
      const database = databaseUrl(flags)
      const tokenFile = adminTokenFile(flags, database)
      const clients = clientsFromFlags(flags)
      const service = await createActivityService({
        database,
        clients,
        ...(flags.repo?.length ? { repositories: flags.repo } : {}),
        onError: (error) => process.stderr.write(`inbox worker: ${String(error)}\n`),
        onDelivery: logDelivery,
        onSweepProgress: logSweepFallback
      })
      const server = await startServer({
        service,
        port: flags.port,
        host: flags.host,
        ...(tokenFile ? { adminTokenFile: tokenFile } : {}),
        sweepCron: schedule(flags.sweepCron),
        redeliveryCron: schedule(flags.redeliveryCron),
        minIntervalMs: flags.minInterval,
        workers: flags.workers
      }).catch(async (error: unknown) => {
        await service.close()
        if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE')
          throw new UsageError(
            `--port ${flags.port} is in use on ${flags.host}: pick another port, or --port 0 for a free one.`
          )
        throw error
      })
      await untilSignal()
      await server.close()
    })
}
