import { GitShapes } from '../shapes/git.js'
import type { CommitsModel } from '../models/commits.js'
import { paginate } from '../paginate.js'
import type { Route, RouteRequest } from '../router.js'

function model(req: RouteRequest): CommitsModel {
  return req.models.commits
}

/** `repos/list-commits` (`sha`, `path`, pagination) and `repos/get-commit`. */
export const commitRoutes: Route[] = [
  {
    method: 'GET',
    template: '/repos/{owner}/{repo}/commits',
    handler: async (req) => {
      const r = await model(req).list(req.caller, req.params.owner, req.params.repo, {
        sha: req.query.get('sha'),
        path: req.query.get('path')
      })
      const shapes = new GitShapes(req.ctx.store, req.shapes.origin)
      return paginate(req, r.commits, (c) => shapes.commit(r.repo, c.sha, c.commit))
    }
  },
  {
    method: 'GET',
    template: '/repos/{owner}/{repo}/commits/{ref}',
    handler: async (req) => {
      const r = await model(req).get(req.caller, req.params.owner, req.params.repo, req.params.ref)
      const shapes = new GitShapes(req.ctx.store, req.shapes.origin)
      const api = shapes.repoApi(r.repo)
      const html = shapes.repoHtml(r.repo)
      const files = r.files.map((f) => ({
        ...f,
        blob_url: `${html}/blob/${r.sha}/${encodeURI(f.filename)}`,
        raw_url: `${html}/raw/${r.sha}/${encodeURI(f.filename)}`,
        contents_url: `${api}/contents/${encodeURI(f.filename)}?ref=${r.sha}`
      }))
      const additions = r.files.reduce((n, f) => n + f.additions, 0)
      const deletions = r.files.reduce((n, f) => n + f.deletions, 0)
      return {
        status: 200,
        body: shapes.commit(r.repo, r.sha, r.commit, {
          stats: { total: additions + deletions, additions, deletions },
          files
        })
      }
    }
  }
]
