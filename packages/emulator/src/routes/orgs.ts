import type { Route } from '../router.js'
import { organizationFull } from '../shapes/orgs.js'

/** `orgs/get`: an organisation account (docs/github-behaviour.md §11.4); anonymous callers too. */
export const orgRoutes: Route[] = [
  {
    method: 'GET',
    template: '/orgs/{org}',
    handler: (req) => {
      const org = req.models.orgs.get(req.params.org)
      return { status: 200, body: organizationFull(req.shapes, org, req.models.orgs.counts(org)) }
    }
  }
]
