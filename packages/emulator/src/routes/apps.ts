import { AppShapes } from '../shapes/apps.js'
import { fields } from '../decode.js'
import { InvalidRequest } from '../errors.js'
import type { AccessTokenRequest } from '../models/apps.js'
import { paginate } from '../paginate.js'
import type { Route, RouteRequest } from '../router.js'

function appShapes(req: RouteRequest): AppShapes {
  return new AppShapes(req.shapes, req.models.apps)
}

function describe(value: unknown): string {
  return value === null ? 'nil' : JSON.stringify(value)
}

/** The body of an access-token request, type-checked as GitHub's schema does (422 otherwise). */
function accessTokenBody(body: unknown): AccessTokenRequest {
  const obj = fields(body)
  const out: AccessTokenRequest = {}
  const { repositories, repository_ids: ids, permissions } = obj
  if (repositories !== undefined) {
    if (!Array.isArray(repositories) || repositories.some((r) => typeof r !== 'string'))
      throw new InvalidRequest(
        `For 'properties/repositories', ${describe(repositories)} is not an array of strings.`
      )
    out.repositories = repositories as string[]
  }
  if (ids !== undefined) {
    if (!Array.isArray(ids) || ids.some((r) => !Number.isInteger(r)))
      throw new InvalidRequest(
        `For 'properties/repository_ids', ${describe(ids)} is not an array of integers.`
      )
    out.repository_ids = ids as number[]
  }
  if (permissions !== undefined) {
    if (
      !permissions ||
      typeof permissions !== 'object' ||
      Array.isArray(permissions) ||
      Object.values(permissions).some((v) => typeof v !== 'string')
    )
      throw new InvalidRequest(
        `For 'properties/permissions', ${describe(permissions)} is not an object.`
      )
    out.permissions = permissions as Record<string, string>
  }
  return out
}

/** GitHub Apps: App JWT routes and the installation-token repository listing. */
export const appRoutes: Route[] = [
  {
    method: 'GET',
    template: '/app',
    handler: (req) => ({
      status: 200,
      body: appShapes(req).integration(req.models.apps.requireApp(req.caller))
    })
  },
  {
    method: 'GET',
    template: '/app/installations',
    handler: (req) => {
      const shapes = appShapes(req)
      return paginate(req, req.models.apps.listInstallations(req.caller), (i) =>
        shapes.installation(i)
      )
    }
  },
  {
    method: 'GET',
    template: '/app/installations/{installation_id}',
    handler: (req) => {
      const installation = req.models.apps.getInstallation(
        req.caller,
        Number(req.params.installation_id)
      )
      return { status: 200, body: appShapes(req).installation(installation) }
    }
  },
  {
    method: 'POST',
    template: '/app/installations/{installation_id}/access_tokens',
    handler: (req) => {
      const minted = req.models.apps.createAccessToken(
        req.caller,
        Number(req.params.installation_id),
        accessTokenBody(req.body)
      )
      return {
        status: 201,
        body: appShapes(req).installationToken(
          minted.record,
          minted.installation,
          minted.repositories
        )
      }
    }
  },
  {
    method: 'GET',
    template: '/installation/repositories',
    handler: (req) => {
      const { installation, repositories } = req.models.apps.installationRepositories(req.caller)
      return paginate(req, repositories, (r) => req.shapes.repo(r, req.caller!.token.permission), {
        wrap: (page, total) => ({
          total_count: total,
          repositories: page,
          repository_selection: installation.repository_selection
        })
      })
    }
  }
]
