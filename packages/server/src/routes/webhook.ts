import type { FastifyInstance } from 'fastify'
import type { ServerState } from '../options.js'

/** The webhook receiver's path (the seed's; with or without the trailing slash). */
export const WEBHOOK_PATH = '/api/github/webhook'

/**
 * `POST /api/github/webhook`: the body is kept as raw bytes (every content type parsed as a
 * `Buffer`, so the signature is checked on exactly what GitHub signed — docs/github-behaviour.md
 * §7), handed to `receiveDelivery`, and answered with its status: 202 stored or duplicate,
 * 401 bad or missing signature, 400 missing headers, 413 over `maxPayloadBytes` (fastify's
 * body limit refuses it before it is read whole). Nothing is processed here: workers do that,
 * so the answer comes well inside GitHub's 10 s (docs/sync-server.md §1).
 */
export async function webhookRoutes(app: FastifyInstance, state: ServerState): Promise<void> {
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers()
    scope.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: state.maxPayloadBytes },
      (_request, body, done) => done(null, body)
    )
    const handler = async (
      request: { headers: Record<string, string | string[] | undefined>; body: unknown },
      reply: { code(n: number): { send(body: unknown): unknown } }
    ): Promise<unknown> => {
      const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0)
      const outcome = await state.service.receiveDelivery({
        headers: request.headers,
        rawBody,
        secret: state.webhookSecret,
        maxBytes: state.maxPayloadBytes,
        now: state.now()
      })
      if (outcome.kind === 'rejected')
        return reply.code(outcome.status).send({ error: outcome.reason })
      return reply.code(202).send({ guid: outcome.guid, duplicate: outcome.kind === 'duplicate' })
    }
    scope.post(WEBHOOK_PATH, { bodyLimit: state.maxPayloadBytes }, handler)
  })
}
