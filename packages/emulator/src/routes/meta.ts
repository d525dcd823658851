import type { Route } from '../router.js'
import { rateStatusFor } from '../rate-limit.js'

/** The authenticated user and the rate-limit status. */
export const metaRoutes: Route[] = [
  {
    method: 'GET',
    template: '/user',
    handler: ({ models, shapes, caller }) => {
      const user = models.users.getAuthenticated(caller)
      return { status: 200, body: shapes.authenticatedUser(user) }
    }
  },
  {
    method: 'GET',
    template: '/rate_limit',
    rateLimited: false,
    handler: ({ ctx, caller }) => {
      const core = { ...rateStatusFor(ctx, caller, 'core'), resource: 'core' }
      const graphql = { ...rateStatusFor(ctx, caller, 'graphql'), resource: 'graphql' }
      // `search` is required by `rate-limit-overview`; search is not served, so its
      // per-minute bucket (30 with a token, 10 without) is always full.
      const searchLimit = caller ? 30 : 10
      const search = {
        limit: searchLimit,
        used: 0,
        remaining: searchLimit,
        reset: Math.floor(ctx.clock.now().getTime() / 1000) + 60,
        resource: 'search'
      }
      return { status: 200, body: { resources: { core, search, graphql }, rate: core } }
    }
  }
]
