import Fastify, { type FastifyError } from 'fastify'
import { adminTokenCheck } from './admin-token.js'
import { resolveServerOptions, type ServerOptions } from './options.js'
import { dashboardRoutes } from './routes/dashboard.js'
import { syncRoutes } from './routes/sync.js'
import { webhookRoutes } from './routes/webhook.js'
import { Scheduler, type RunKind, type RunOutcome } from './scheduler.js'
import type { InboxWorkerHandle } from './service.js'

/** A started server. */
export interface RunningServer {
  /** `http://<host>:<port>` */
  readonly url: string
  readonly port: number
  /** A sweep or redelivery now, through the same one-at-a-time guard as the schedule. */
  run(kind: RunKind): Promise<RunOutcome>
  /**
   * Graceful shutdown: stops accepting connections and answers the requests in flight
   * (fastify `close`), stops the schedules and waits for a running sweep, stops the inbox
   * workers once their current delivery is done, then closes the database. Idempotent.
   */
  close(): Promise<void>
}

/**
 * Starts `hubstore serve` in this process: the webhook receiver (`POST /api/github/webhook`,
 * open, guarded by the signature), the admin API (`/api/sync/*`, admin bearer token), the
 * dashboard (`/`), `options.workers` inbox workers and the cron schedules. Jobs a dead
 * process left `running` are marked `interrupted` first; deliveries it had accepted are still
 * in the inbox and the workers process them. Prints `listening on <url>`, and a generated
 * admin token once. Shapes and defaults: {@link ServerOptions}; packages/server/README.md.
 * @throws {InvalidOptionsError} from {@link resolveServerOptions}; the listen error (e.g.
 * `EADDRINUSE`) as Node gives it.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const state = resolveServerOptions(options)
  const check = adminTokenCheck(state.adminToken, state.adminTokenFile)
  await state.service.markInterruptedJobs(state.now())

  const app = Fastify({
    logger: false,
    routerOptions: { ignoreTrailingSlash: true },
    return503OnClosing: true
  })
  app.setErrorHandler((error: FastifyError, _request, reply) => {
    const status = error.statusCode ?? 500
    if (status >= 500) state.log(`request failed: ${error.message}`)
    const message =
      error.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
        ? `The payload is over ${state.maxPayloadBytes} bytes (maxPayloadBytes); nothing was stored.`
        : status >= 500
          ? 'Internal error.'
          : error.message
    return reply.code(status).send({ error: message })
  })
  const scheduler = new Scheduler(state)
  await webhookRoutes(app, state)
  await syncRoutes(app, state, check, scheduler)
  await dashboardRoutes(app)
  await app.listen({ port: state.port, host: state.host })
  const address = app.server.address()
  const port = typeof address === 'object' && address ? address.port : state.port
  const url = `http://${state.host.includes(':') ? `[${state.host}]` : state.host}:${port}`
  state.log(`listening on ${url}`)
  if (check.generated)
    state.log(
      `admin token (printed once; only its hash is kept, in ${state.adminTokenFile}): ${check.generated}`
    )

  const workers: InboxWorkerHandle[] = []
  for (let i = 0; i < state.workers; i++)
    workers.push(state.service.startInboxWorker({ workerId: `${state.runnerId}#${i}` }))
  scheduler.start()

  let closing: Promise<void> | undefined
  return {
    url,
    port,
    run: (kind) => scheduler.run(kind),
    close: () =>
      (closing ??= (async () => {
        await app.close()
        await scheduler.stop()
        await Promise.all(workers.map((w) => w.stop()))
        await state.service.close()
      })())
  }
}
