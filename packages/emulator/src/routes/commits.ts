import { GitShapes } from '../shapes/git.js'
import type { CommitsModel } from '../models/commits.js'
import { lastModified } from '../etag.js'
import { paginate } from '../paginate.js'
import type { Route, RouteRequest } from '../router.js'

function model(req: RouteRequest): CommitsModel {
  return req.models.commits
}

/**
 * `repos/list-commits` (`sha`, `path`, `since`, `until`, `author`, `committer`, pagination) and
 * `repos/get-commit`, both with `Last-Modified` (docs/github-behaviour.md §12.1, §12.4).
 */
export const commitRoutes: Route[] = [
  {
    method: 'GET',
    template: '/repos/{owner}/{repo}/commits',
    handler: async (req) => {
      const r = await model(req).list(req.caller, req.params.owner, req.params.repo, {
        sha: req.query.get('sha'),
        path: req.query.get('path'),
        since: req.query.get('since'),
        until: req.query.get('until'),
        author: req.query.get('author'),
        committer: req.query.get('committer')
      })
      const shapes = new GitShapes(req.ctx.store, req.shapes.origin)
      const page = paginate(req, r.commits, (c) => shapes.commit(r.repo, c.sha, c.commit))
      // Last-Modified: the newest committer date listed (§12.4)
      const newest = r.commits
        .map((c) => c.commit.committer.date)
        .sort()
        .pop()
      return { ...page, headers: { ...page.headers, ...lastModified(newest) } }
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
        headers: lastModified(r.commit.committer.date),
        body: shapes.commit(r.repo, r.sha, r.commit, {
          stats: { total: additions + deletions, additions, deletions },
          files
        })
      }
    }
  }
]
