import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { SYNC_JOB_STATUSES, type JobQuery, type SyncJobStatus } from '@hubstore/core/activity'
import { bearerToken, type AdminTokenCheck } from '../admin-token.js'
import type { ServerState } from '../options.js'
import type { Scheduler } from '../scheduler.js'

/** The prefix of the admin API; every route under it needs the admin bearer token. */
export const SYNC_PREFIX = '/api/sync'

const JOB_STATUSES: readonly SyncJobStatus[] = SYNC_JOB_STATUSES
/** `GET /api/sync/jobs` limits (the JobQuery contract): default 20, at most 500. */
const JOBS_LIMIT = { default: 20, max: 500 } as const

/**
 * Answers 401 unless the request carries `Authorization: Bearer <admin token>`. The token is
 * never logged or echoed.
 */
export function requireAdmin(check: AdminTokenCheck) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (!check.accepts(bearerToken(request.headers.authorization)))
      await reply
        .code(401)
        .header('www-authenticate', 'Bearer realm="hubstore"')
        .send({ error: 'Missing or wrong admin token: send Authorization: Bearer <token>.' })
  }
}

/**
 * The admin API, the seed's endpoints: `POST /api/sync/periodic` (a sweep now: 200 `{job}`,
 * 409 while one runs in any process), `POST /api/sync/repository/:id` (one repository by
 * GitHub id: 200 `{job}`, 404 unknown), `GET /api/sync/jobs?limit&status` (200 `{jobs}`,
 * newest first) and `GET /api/sync/health` (200 the `HealthReport`). 400 for a malformed
 * parameter; 401 without the admin token.
 */
export async function syncRoutes(
  app: FastifyInstance,
  state: ServerState,
  check: AdminTokenCheck,
  scheduler: Scheduler
): Promise<void> {
  await app.register(
    async (scope) => {
      scope.addHook('onRequest', requireAdmin(check))

      scope.post('/periodic', async (_request, reply) => {
        const outcome = await scheduler.run('sweep')
        if (outcome.started) return reply.code(200).send({ job: outcome.job })
        if (outcome.reason === 'stopping')
          return reply.code(503).send({ error: 'The server is shutting down: try again later.' })
        return reply
          .code(409)
          .send({ error: 'A sweep is already running (here or in another server process).' })
      })

      scope.post<{ Params: { id: string } }>('/repository/:id', async (request, reply) => {
        const id = positiveInteger(request.params.id)
        if (id === undefined)
          return reply.code(400).send({
            error: 'The repository id must be a GitHub repository id (a positive number).'
          })
        const job = await state.service.syncRepository(id, state.now())
        if (!job)
          return reply.code(404).send({
            error: `No repository with id ${id} in the database: it syncs once an installation covers it.`
          })
        return reply.code(200).send({ job })
      })

      scope.get<{ Querystring: Record<string, string | undefined> }>(
        '/jobs',
        async (request, reply) => {
          const query: JobQuery = {}
          const { limit, status } = request.query
          if (limit !== undefined) {
            const n = positiveInteger(limit)
            if (n === undefined || n > JOBS_LIMIT.max)
              return reply
                .code(400)
                .send({ error: `limit must be a whole number from 1 to ${JOBS_LIMIT.max}.` })
            query.limit = n
          } else query.limit = JOBS_LIMIT.default
          if (status !== undefined) {
            if (!(JOB_STATUSES as readonly string[]).includes(status))
              return reply
                .code(400)
                .send({ error: `status must be one of ${JOB_STATUSES.join(', ')}.` })
            query.status = status as SyncJobStatus
          }
          return reply.send({ jobs: await state.service.listJobs(query) })
        }
      )

      scope.get('/health', async () =>
        state.service.healthReport({ now: state.now(), minIntervalMs: state.minIntervalMs })
      )
    },
    { prefix: SYNC_PREFIX }
  )
}

function positiveInteger(text: string): number | undefined {
  if (!/^[1-9][0-9]{0,15}$/.test(text)) return undefined
  const n = Number(text)
  return Number.isSafeInteger(n) ? n : undefined
}
