import type { Route } from '../router.js'
import { rateStatusFor } from '../rate-limit.js'

/** The authenticated user and the rate-limit status. */
export const metaRoutes: Route[] = [
  {
    method: 'GET',
    template: '/user',
    handler: ({ models, shapes, caller }) => {
      const user = models.users.getAuthenticated(caller)
      return { status: 200, body: { ...shapes.userRecord(user), name: null, email: null } }
    }
  },
  {
    method: 'GET',
    template: '/rate_limit',
    rateLimited: false,
    handler: ({ ctx, caller }) => {
      const core = { ...rateStatusFor(ctx, caller, 'core'), resource: 'core' }
      const graphql = { ...rateStatusFor(ctx, caller, 'graphql'), resource: 'graphql' }
      return { status: 200, body: { resources: { core, graphql }, rate: core } }
    }
  }
]
