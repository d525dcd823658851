import { fields } from './decode.js'
import { BadAdminRequest, NotFound } from './errors.js'
import type { FaultInput, FaultPhase, LatencyInput } from './faults.js'
import type { Caller } from './models/users.js'
import type { BudgetInput, SecondaryLimitInput } from './rate-limit.js'
import type { Route } from './router.js'
import { API_ROUTES } from './routes/index.js'

/**
 * Admin routes for rate limits, secondary limits, faults, latency and bulk seeding
 * (reference/github-api.md §5, §8 items 5 and 17). Registered in `ADMIN_ROUTES` (src/admin.ts);
 * `EmulatorAdminClient` wraps them.
 */

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']
/** Largest `count` of `seed-issues` in one request. */
const SEED_ISSUES_MAX = 100_000

function integer(obj: Record<string, unknown>, key: string, min: number, max = Infinity) {
  const value = obj[key]
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    throw new BadAdminRequest(
      `"${key}" must be an integer ${max === Infinity ? `>= ${min}` : `from ${min} to ${max}`}`
    )
  return value
}

function optionalInteger(obj: Record<string, unknown>, key: string, min: number, max = Infinity) {
  return obj[key] === undefined ? undefined : integer(obj, key, min, max)
}

function optionalString(obj: Record<string, unknown>, key: string): string | undefined {
  const value = obj[key]
  if (value === undefined) return undefined
  if (typeof value !== 'string' || value === '')
    throw new BadAdminRequest(`"${key}" must be a non-empty string`)
  return value
}

function rateStatus(obj: Record<string, unknown>): 403 | 429 | undefined {
  const status = obj.status
  if (status !== undefined && status !== 403 && status !== 429)
    throw new BadAdminRequest('"status" must be 403 or 429')
  return status
}

/** A route template the emulator serves (for `method`, unless `*`), or `*`. */
function servedRoute(obj: Record<string, unknown>, method: string): string {
  const route = optionalString(obj, 'route')
  if (route === undefined) throw new BadAdminRequest('"route" must be a route template or "*"')
  if (route === '*') return route
  const served = API_ROUTES.some(
    (r) => r.route.template === route && (method === '*' || r.route.method === method)
  )
  if (!served)
    throw new BadAdminRequest(
      `"route" ${route} is not a template the emulator serves for ${method} (see the ledger's "route")`
    )
  return route
}

function faultInput(body: unknown): FaultInput {
  const obj = fields(body)
  const method = optionalString(obj, 'method')?.toUpperCase()
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

export const limitsAdminRoutes: Route[] = [
  {
    method: 'POST',
    template: '/_emulator/rate-limits',
    handler: ({ ctx, body }) => {
      const obj = fields(body)
      const resource = obj.resource
      if (resource !== undefined && resource !== 'core' && resource !== 'graphql')
        throw new BadAdminRequest('"resource" must be "core" or "graphql"')
      const input: BudgetInput = {
        token: optionalString(obj, 'token'),
        resource: resource as BudgetInput['resource'],
        limit: integer(obj, 'limit', 0),
        remaining: optionalInteger(obj, 'remaining', 0),
        reset_in_s: optionalInteger(obj, 'reset_in_s', 0),
        status: rateStatus(obj)
      }
      return { status: 200, body: { ...ctx.rate.setBudget(input), resource: resource ?? 'core' } }
    }
  },
  {
    method: 'POST',
    template: '/_emulator/secondary-limits',
    handler: ({ ctx, body }) => {
      const obj = fields(body)
      const methods = obj.methods
      if (
        methods !== undefined &&
        (!Array.isArray(methods) ||
          methods.some((m) => typeof m !== 'string' || !METHODS.includes(m.toUpperCase())))
      )
        throw new BadAdminRequest(`"methods" must be an array of ${METHODS.join(', ')}`)
      const input: SecondaryLimitInput = {
        token: optionalString(obj, 'token'),
        count: integer(obj, 'count', 1),
        retry_after_s: integer(obj, 'retry_after_s', 0),
        status: rateStatus(obj),
        methods: methods as string[] | undefined
      }
      return { status: 201, body: ctx.rate.addSecondaryLimit(input) }
    }
  },
  {
    method: 'GET',
    template: '/_emulator/secondary-limits',
    handler: ({ ctx }) => ({ status: 200, body: { rules: ctx.rate.secondaryLimits() } })
  },
  {
    method: 'DELETE',
    template: '/_emulator/secondary-limits',
    handler: ({ ctx }) => {
      ctx.rate.clearSecondaryLimits()
      return { status: 204 }
    }
  },
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
      const route = optionalString(obj, 'route')
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
  },
  {
    method: 'POST',
    template: '/_emulator/repos/{owner}/{repo}/seed-issues',
    handler: ({ models, params, body }) => {
      const obj = fields(body)
      const count = integer(obj, 'count', 1, SEED_ISSUES_MAX)
      const repo = models.repos.find(params.owner, params.repo)
      const login = optionalString(obj, 'login') ?? repo.owner
      const prefix = optionalString(obj, 'title_prefix') ?? 'Seeded issue'
      // The issues model's own create, as an admin of every repository, so numbering,
      // timestamps and counters follow the same rules as API-created issues.
      const caller: Caller = {
        token: { token: '', login, permission: 'admin', repos: null, rate_limit_per_hour: 0 },
        user: models.users.ensure(login)
      }
      let first = 0
      let last = 0
      for (let i = 0; i < count; i++) {
        const { issue } = models.issues.create(caller, repo.owner, repo.name, {
          title: `${prefix} ${i + 1}`,
          body: null
        })
        if (i === 0) first = issue.number
        last = issue.number
      }
      return { status: 201, body: { count, first, last } }
    }
  }
]
