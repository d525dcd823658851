import { paginate } from '../paginate.js'
import type { Route } from '../router.js'
import { teamFull } from '../shapes/orgs.js'

/** Teams (set through the admin API): get one by name, list its members two ways. */
export const teamRoutes: Route[] = [
  {
    method: 'GET',
    template: '/orgs/{org}/teams/{team_slug}',
    handler: (req) => {
      const team = req.models.teams.getByName(req.caller, req.params.org, req.params.team_slug)
      const org = req.models.orgs.get(team.org)
      const counts = { ...req.models.orgs.counts(org), teamRepos: 0 }
      return { status: 200, body: teamFull(req.shapes, team, org, counts) }
    }
  },
  {
    method: 'GET',
    template: '/teams/{team_id}/members',
    handler: (req) => {
      const members = req.models.teams.listMembersLegacy(req.caller, req.params.team_id)
      return paginate(req, members, (u) => req.shapes.userRecord(u))
    }
  },
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
