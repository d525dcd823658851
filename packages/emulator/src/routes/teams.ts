import { paginate } from '../paginate.js'
import type { Route } from '../router.js'

/** `teams/list-members-in-org` (teams set through the admin API). */
export const teamRoutes: Route[] = [
  {
    method: 'GET',
    template: '/orgs/{org}/teams/{team_slug}/members',
    handler: (req) => {
      const members = req.models.teams.listMembersInOrg(
        req.caller,
        req.params.org,
        req.params.team_slug
      )
      return paginate(req, members, (u) => req.shapes.userRecord(u))
    }
  }
]
