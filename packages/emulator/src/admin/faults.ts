import { fields } from '../decode.js'
import { BadAdminRequest, NotFound } from '../errors.js'
import type { FaultInput, FaultPhase, LatencyInput } from '../faults.js'
import type { Route } from '../router.js'
import { adminString, integer, optionalInteger } from './decode.js'
import { METHODS, servedRoute } from './served.js'

/**
 * Admin routes for injected faults and latency (docs/github-behaviour.md §8 items 5 and 17);
 * the rules themselves live in `src/faults.ts`.
 */

function faultInput(body: unknown): FaultInput {
  const obj = fields(body)
  const method = adminString(obj, 'method')?.toUpperCase()
  if (method === undefined || (method !== '*' && !METHODS.includes(method)))
    throw new BadAdminRequest(`"method" must be one of ${METHODS.join(', ')} or "*"`)
  const when = obj.when
  if (when !== undefined && when !== 'before' && when !== 'after')
    throw new BadAdminRequest('"when" must be "before" or "after"')
  const probability = obj.probability
  if (
    probability !== undefined &&
    (typeof probability !== 'number' || !(probability >= 0 && probability <= 1))
  )
    throw new BadAdminRequest('"probability" must be a number from 0 to 1')
  const message = obj.message
  if (message !== undefined && typeof message !== 'string')
    throw new BadAdminRequest('"message" must be a string')
  return {
    method,
    route: servedRoute(obj, method),
    status: integer(obj, 'status', 400, 599),
    count: optionalInteger(obj, 'count', 1),
    probability: probability as number | undefined,
    seed: optionalInteger(obj, 'seed', 0, 2 ** 32 - 1),
    when: when as FaultPhase | undefined,
    message: message as string | undefined
  }
}

export const faultAdminRoutes: Route[] = [
  {
    method: 'POST',
    template: '/_emulator/faults',
    handler: ({ ctx, body }) => ({ status: 201, body: ctx.faults.add(faultInput(body)) })
  },
  {
    method: 'GET',
    template: '/_emulator/faults',
    handler: ({ ctx }) => ({
      status: 200,
      body: { faults: ctx.faults.list(), latency: ctx.faults.latencyRules() }
    })
  },
  {
    method: 'DELETE',
    template: '/_emulator/faults',
    handler: ({ ctx }) => {
      ctx.faults.clearFaults()
      return { status: 204 }
    }
  },
  {
    method: 'DELETE',
    template: '/_emulator/faults/{id}',
    handler: ({ ctx, params }) => {
      if (!ctx.faults.remove(params.id)) throw new NotFound()
      return { status: 204 }
    }
  },
  {
    method: 'POST',
    template: '/_emulator/latency',
    handler: ({ ctx, body }) => {
      const obj = fields(body)
      const route = adminString(obj, 'route')
      const input: LatencyInput = {
        ms: integer(obj, 'ms', 0, 60_000),
        route: route === undefined ? undefined : servedRoute(obj, '*'),
        jitter_ms: optionalInteger(obj, 'jitter_ms', 0, 60_000),
        seed: optionalInteger(obj, 'seed', 0, 2 ** 32 - 1)
      }
      return { status: 200, body: { latency: ctx.faults.setLatency(input) } }
    }
  },
  {
    method: 'DELETE',
    template: '/_emulator/latency',
    handler: ({ ctx }) => {
      ctx.faults.clearLatency()
      return { status: 204 }
    }
  }
]
