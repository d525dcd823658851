import { paginate } from '../paginate.js'
import type { Route, RouteRequest } from '../router.js'
import { deliveriesPage, deliveryFull } from '../webhooks/deliveries.js'
import { WebhookShapes } from '../webhooks/shapes.js'

/**
 * Repository webhooks and their deliveries (https://docs.github.com/rest/repos/webhooks) and
 * the App webhook's deliveries (https://docs.github.com/rest/apps/webhooks, App JWT only).
 * Creating a repository webhook sends it a `ping`, as GitHub does.
 */

function shapes(req: RouteRequest): WebhookShapes {
  return new WebhookShapes(req.ctx.store, req.shapes, req.models.apps)
}

function hookOf(req: RouteRequest) {
  const { owner, repo, hook_id } = req.params
  return req.models.repoHooks.get(req.caller, owner, repo, Number(hook_id))
}

export const hookRoutes: Route[] = [
  {
    method: 'POST',
    template: '/repos/{owner}/{repo}/hooks',
    handler: (req) => {
      const { repo, hook } = req.models.repoHooks.create(
        req.caller,
        req.params.owner,
        req.params.repo,
        req.body
      )
      req.ctx.webhooks.pingRepoHook(repo, hook)
      return req.shapes.created(shapes(req).hook(repo, hook))
    }
  },
  {
    method: 'GET',
    template: '/repos/{owner}/{repo}/hooks',
    handler: (req) => {
      const { repo, hooks } = req.models.repoHooks.list(
        req.caller,
        req.params.owner,
        req.params.repo
      )
      const s = shapes(req)
      return paginate(req, hooks, (h) => s.hook(repo, h))
    }
  },
  {
    method: 'GET',
    template: '/repos/{owner}/{repo}/hooks/{hook_id}',
    handler: (req) => {
      const { repo, hook } = hookOf(req)
      return { status: 200, body: shapes(req).hook(repo, hook) }
    }
  },
  {
    method: 'PATCH',
    template: '/repos/{owner}/{repo}/hooks/{hook_id}',
    handler: (req) => {
      const { owner, repo: name, hook_id } = req.params
      const { repo, hook } = req.models.repoHooks.update(
        req.caller,
        owner,
        name,
        Number(hook_id),
        req.body
      )
      return { status: 200, body: shapes(req).hook(repo, hook) }
    }
  },
  {
    method: 'DELETE',
    template: '/repos/{owner}/{repo}/hooks/{hook_id}',
    handler: (req) => {
      const { owner, repo, hook_id } = req.params
      req.models.repoHooks.delete(req.caller, owner, repo, Number(hook_id))
      return { status: 204 }
    }
  },
  {
    method: 'POST',
    template: '/repos/{owner}/{repo}/hooks/{hook_id}/pings',
    handler: (req) => {
      const { repo, hook } = hookOf(req)
      req.ctx.webhooks.pingRepoHook(repo, hook)
      return { status: 204 }
    }
  },
  {
    method: 'GET',
    template: '/repos/{owner}/{repo}/hooks/{hook_id}/deliveries',
    handler: (req) => {
      const { hook } = hookOf(req)
      return deliveriesPage(req, req.ctx.webhooks.log.of('Repository', hook.id))
    }
  },
  {
    method: 'GET',
    template: '/repos/{owner}/{repo}/hooks/{hook_id}/deliveries/{delivery_id}',
    handler: (req) => {
      const { hook } = hookOf(req)
      const record = req.ctx.webhooks.log.get('Repository', hook.id, Number(req.params.delivery_id))
      return { status: 200, body: deliveryFull(record) }
    }
  },
  {
    method: 'POST',
    template: '/repos/{owner}/{repo}/hooks/{hook_id}/deliveries/{delivery_id}/attempts',
    handler: (req) => {
      const { hook } = hookOf(req)
      req.ctx.webhooks.redeliver('Repository', hook.id, Number(req.params.delivery_id))
      return { status: 202, body: {} }
    }
  },
  {
    method: 'GET',
    template: '/app/hook/deliveries',
    handler: (req) => {
      const app = req.models.apps.requireApp(req.caller)
      return deliveriesPage(req, req.ctx.webhooks.log.of('App', app.id))
    }
  },
  {
    method: 'GET',
    template: '/app/hook/deliveries/{delivery_id}',
    handler: (req) => {
      const app = req.models.apps.requireApp(req.caller)
      const record = req.ctx.webhooks.log.get('App', app.id, Number(req.params.delivery_id))
      return { status: 200, body: deliveryFull(record) }
    }
  },
  {
    method: 'POST',
    template: '/app/hook/deliveries/{delivery_id}/attempts',
    handler: (req) => {
      const app = req.models.apps.requireApp(req.caller)
      req.ctx.webhooks.redeliver('App', app.id, Number(req.params.delivery_id))
      return { status: 202, body: {} }
    }
  }
]
