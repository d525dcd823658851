import {
  fields,
  optionalBoolean,
  nullableString,
  requiredString,
  optionalString
} from '../decode.js'
import { lastModified } from '../etag.js'
import { tokenPermission } from '../models/access.js'
import { paginate } from '../paginate.js'
import type { Route, RouteRequest } from '../router.js'
import { ActivityShapes } from '../shapes/activity.js'
import type { RepoRecord } from '../state.js'

function shapes(req: RouteRequest): ActivityShapes {
  return new ActivityShapes(req.ctx.store, req.shapes.origin)
}

function listQuery(req: RouteRequest) {
  const q = req.query
  return {
    visibility: q.get('visibility'),
    type: q.get('type'),
    sort: q.get('sort'),
    direction: q.get('direction')
  }
}

function createBody(req: RouteRequest) {
  const obj = fields(req.body)
  return {
    name: requiredString(obj, 'name'),
    description: nullableString(obj, 'description'),
    private: optionalBoolean(obj, 'private'),
    auto_init: optionalBoolean(obj, 'auto_init')
  }
}

/** A repository listing: `minimal-repository` items, `Last-Modified` = the newest change. */
function repoList(req: RouteRequest, repos: RepoRecord[]) {
  const page = paginate(req, repos, (r) =>
    req.shapes.repo(r, req.caller ? tokenPermission(req.caller, r) : null)
  )
  const newest = repos
    .map((r) => r.updated_at ?? r.created_at)
    .sort()
    .pop()
  return { ...page, headers: { ...page.headers, ...lastModified(newest) } }
}

/**
 * `repos/compare-commits`, `repos/list-contributors`, and the repository lifecycle:
 * `repos/list-for-authenticated-user`, `repos/list-for-org`, `repos/create-for-authenticated-user`,
 * `repos/create-in-org`, `repos/update` (rename), `repos/delete` (docs/github-behaviour.md §12).
 */
export const activityRoutes: Route[] = [
  {
    method: 'GET',
    template: '/repos/{owner}/{repo}/compare/{basehead}',
    handler: async (req) => {
      const { owner, repo, basehead } = req.params
      const c = await req.models.activity.compare(req.caller, owner, repo, basehead)
      return { status: 200, body: shapes(req).comparison(c, basehead) }
    }
  },
  {
    method: 'GET',
    template: '/repos/{owner}/{repo}/contributors',
    handler: async (req) => {
      const anon = ['1', 'true'].includes(req.query.get('anon') ?? '')
      const { contributors } = await req.models.activity.contributors(
        req.caller,
        req.params.owner,
        req.params.repo,
        anon
      )
      if (contributors === null) return { status: 204 }
      const s = shapes(req)
      return paginate(req, contributors, (c) => s.contributor(c))
    }
  },
  {
    method: 'GET',
    template: '/user/repos',
    handler: (req) =>
      repoList(req, req.models.repoLifecycle.listForAuthenticatedUser(req.caller, listQuery(req)))
  },
  {
    method: 'GET',
    template: '/orgs/{org}/repos',
    handler: (req) =>
      repoList(req, req.models.repoLifecycle.listForOrg(req.caller, req.params.org, listQuery(req)))
  },
  {
    method: 'POST',
    template: '/user/repos',
    handler: async (req) => {
      const repo = await req.models.repoLifecycle.createForAuthenticatedUser(
        req.caller,
        createBody(req)
      )
      return req.shapes.created(req.shapes.repo(repo, 'admin'))
    }
  },
  {
    method: 'POST',
    template: '/orgs/{org}/repos',
    handler: async (req) => {
      const repo = await req.models.repoLifecycle.createInOrg(
        req.caller,
        req.params.org,
        createBody(req)
      )
      return req.shapes.created(req.shapes.repo(repo, 'admin'))
    }
  },
  {
    method: 'PATCH',
    template: '/repos/{owner}/{repo}',
    handler: async (req) => {
      const obj = fields(req.body)
      const repo = await req.models.repoLifecycle.update(
        req.caller,
        req.params.owner,
        req.params.repo,
        {
          name: optionalString(obj, 'name'),
          description: nullableString(obj, 'description'),
          private: optionalBoolean(obj, 'private'),
          default_branch: optionalString(obj, 'default_branch')
        }
      )
      return { status: 200, body: req.shapes.repo(repo, 'admin') }
    }
  },
  {
    method: 'DELETE',
    template: '/repos/{owner}/{repo}',
    handler: async (req) => {
      await req.models.repoLifecycle.delete(req.caller, req.params.owner, req.params.repo, (r) =>
        req.shapes.repo(r, 'admin')
      )
      return { status: 204 }
    }
  }
]
