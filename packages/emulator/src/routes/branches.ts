import { GitShapes } from '../shapes/git.js'
import type { BranchesModel } from '../models/branches.js'
import { paginate } from '../paginate.js'
import type { Route, RouteRequest } from '../router.js'

function model(req: RouteRequest): BranchesModel {
  return req.models.branches
}

/** `repos/list-branches` and `repos/get-branch`. */
export const branchRoutes: Route[] = [
  {
    method: 'GET',
    template: '/repos/{owner}/{repo}/branches',
    handler: async (req) => {
      const r = await model(req).list(req.caller, req.params.owner, req.params.repo)
      const shapes = new GitShapes(req.ctx.store, req.shapes.origin)
      const onlyProtected = req.query.get('protected') === 'true'
      const branches = onlyProtected ? [] : r.branches
      return paginate(req, branches, (b) => shapes.shortBranch(r.repo, b.name, b.sha))
    }
  },
  {
    method: 'GET',
    template: '/repos/{owner}/{repo}/branches/{branch}',
    handler: async (req) => {
      const r = await model(req).get(
        req.caller,
        req.params.owner,
        req.params.repo,
        req.params.branch
      )
      const shapes = new GitShapes(req.ctx.store, req.shapes.origin)
      return { status: 200, body: shapes.branch(r.repo, r.name, r.sha, r.commit) }
    }
  }
]
