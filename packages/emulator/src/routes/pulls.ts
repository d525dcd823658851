import {
  fields,
  nullableString,
  optionalBoolean,
  optionalString,
  requiredString
} from '../decode.js'
import { InvalidRequest } from '../errors.js'
import type { PullRecord, RepoRecord } from '../state.js'
import { lastModified } from '../etag.js'
import { paginate } from '../paginate.js'
import type { Route, RouteRequest } from '../router.js'
import { ActivityShapes } from '../shapes/activity.js'

function shapes(req: RouteRequest): ActivityShapes {
  return new ActivityShapes(req.ctx.store, req.shapes.origin)
}

/** The `pull-request` answer of one pull request. */
async function full(req: RouteRequest, repo: RepoRecord, pull: PullRecord, status = 200) {
  const view = await req.models.pulls.view(repo, pull)
  const body = shapes(req).pull(repo, pull, view.headSha, view.baseSha, view)
  return status === 201
    ? req.shapes.created(body)
    : { status, body, headers: lastModified(pull.updated_at) }
}

function number(req: RouteRequest): number {
  return Number(req.params.pull_number)
}

function state(obj: Record<string, unknown>): 'open' | 'closed' | undefined {
  const value = optionalString(obj, 'state')
  if (value !== undefined && value !== 'open' && value !== 'closed')
    throw new InvalidRequest(
      `For 'properties/state', "${value}" is not a member of ["open", "closed"].`
    )
  return value
}

/** `pulls/create`, `pulls/list`, `pulls/get`, `pulls/update`, `pulls/merge` (§12.3). */
export const pullRoutes: Route[] = [
  {
    method: 'POST',
    template: '/repos/{owner}/{repo}/pulls',
    handler: async (req) => {
      const obj = fields(req.body)
      const { repo, pull } = await req.models.pulls.create(
        req.caller,
        req.params.owner,
        req.params.repo,
        {
          title: requiredString(obj, 'title'),
          head: requiredString(obj, 'head'),
          base: requiredString(obj, 'base'),
          body: nullableString(obj, 'body'),
          draft: optionalBoolean(obj, 'draft')
        }
      )
      return full(req, repo, pull, 201)
    }
  },
  {
    method: 'GET',
    template: '/repos/{owner}/{repo}/pulls',
    handler: async (req) => {
      const q = req.query
      const { repo, pulls } = await req.models.pulls.list(
        req.caller,
        req.params.owner,
        req.params.repo,
        {
          state: q.get('state'),
          head: q.get('head'),
          base: q.get('base'),
          sort: q.get('sort'),
          direction: q.get('direction')
        }
      )
      const views = new Map<number, { headSha: string; baseSha: string }>()
      for (const p of pulls) views.set(p.number, await req.models.pulls.view(repo, p))
      const s = shapes(req)
      const page = paginate(req, pulls, (p) =>
        s.pullSimple(repo, p, views.get(p.number)!.headSha, views.get(p.number)!.baseSha)
      )
      const newest = pulls
        .map((p) => p.updated_at)
        .sort()
        .pop()
      return { ...page, headers: { ...page.headers, ...lastModified(newest ?? repo.created_at) } }
    }
  },
  {
    method: 'GET',
    template: '/repos/{owner}/{repo}/pulls/{pull_number}',
    handler: async (req) => {
      const { repo, pull } = await req.models.pulls.get(
        req.caller,
        req.params.owner,
        req.params.repo,
        number(req)
      )
      return full(req, repo, pull)
    }
  },
  {
    method: 'PATCH',
    template: '/repos/{owner}/{repo}/pulls/{pull_number}',
    handler: async (req) => {
      const obj = fields(req.body)
      const { repo, pull } = await req.models.pulls.update(
        req.caller,
        req.params.owner,
        req.params.repo,
        number(req),
        {
          title: optionalString(obj, 'title'),
          body: nullableString(obj, 'body'),
          state: state(obj),
          base: optionalString(obj, 'base')
        }
      )
      return full(req, repo, pull)
    }
  },
  {
    method: 'PUT',
    template: '/repos/{owner}/{repo}/pulls/{pull_number}/merge',
    handler: async (req) => {
      const obj = fields(req.body)
      const { sha } = await req.models.pulls.merge(
        req.caller,
        req.params.owner,
        req.params.repo,
        number(req),
        {
          commit_title: optionalString(obj, 'commit_title'),
          commit_message: optionalString(obj, 'commit_message'),
          sha: optionalString(obj, 'sha'),
          merge_method: optionalString(obj, 'merge_method')
        }
      )
      return {
        status: 200,
        body: { sha, merged: true, message: 'Pull Request successfully merged' }
      }
    }
  }
]
