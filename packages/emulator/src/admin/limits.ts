import { fields } from '../decode.js'
import { BadAdminRequest } from '../errors.js'
import type { BudgetInput, SecondaryLimitInput } from '../rate-limit.js'
import type { Route } from '../router.js'
import { adminString, integer, optionalInteger } from './decode.js'
import { METHODS } from './served.js'

/**
 * Admin routes for the primary rate-limit budgets and queued secondary-limit answers
 * (docs/github-behaviour.md §5).
 */

function rateStatus(obj: Record<string, unknown>): 403 | 429 | undefined {
  const status = obj.status
  if (status !== undefined && status !== 403 && status !== 429)
    throw new BadAdminRequest('"status" must be 403 or 429')
  return status
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
        token: adminString(obj, 'token'),
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
        token: adminString(obj, 'token'),
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
  }
]
