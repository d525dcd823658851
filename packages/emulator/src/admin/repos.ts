import { fields } from '../decode.js'
import { BadAdminRequest } from '../errors.js'
import type { Route } from '../router.js'
import { adminString, oneOf, strings } from './decode.js'

/**
 * Admin routes that set up what the API then serves: health, repositories (with their first
 * commit), tokens, files committed directly, teams.
 */
export const repoAdminRoutes: Route[] = [
  {
    method: 'GET',
    template: '/_emulator/health',
    handler: ({ shapes }) => ({ status: 200, body: { ok: true, url: shapes.origin } })
  },
  {
    method: 'POST',
    template: '/_emulator/repos',
    handler: async ({ models, shapes, body }) => {
      const obj = fields(body)
      if (obj.private !== undefined && typeof obj.private !== 'boolean')
        throw new BadAdminRequest('"private" must be a boolean')
      if (obj.auto_init !== undefined && typeof obj.auto_init !== 'boolean')
        throw new BadAdminRequest('"auto_init" must be a boolean')
      const repo = models.repos.create({
        full_name: adminString(obj, 'full_name', true),
        default_branch: adminString(obj, 'default_branch'),
        private: obj.private as boolean | undefined,
        owner_type: oneOf(obj, 'owner_type', ['User', 'Organization'] as const),
        default_labels: obj.default_labels === true
      })
      await models.contents.initRepo(repo, obj.auto_init !== false)
      const repoName = `${repo.owner}/${repo.name}`
      models.events.emit({
        name: 'repository',
        action: 'created',
        repo: repoName,
        sender: repo.owner
      })
      return { status: 201, body: shapes.repo(repo, null) }
    }
  },
  {
    method: 'POST',
    template: '/_emulator/tokens',
    handler: ({ models, body }) => {
      const obj = fields(body)
      const limit = obj.rate_limit_per_hour
      if (
        limit !== undefined &&
        (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 0)
      )
        throw new BadAdminRequest('"rate_limit_per_hour" must be a non-negative integer')
      const permission = oneOf(obj, 'permission', ['admin', 'write', 'read'] as const)
      if (!permission) throw new BadAdminRequest('"permission" must be one of admin, write, read')
      const token = models.users.createToken({
        token: adminString(obj, 'token', true),
        login: adminString(obj, 'login', true),
        type: oneOf(obj, 'type', ['User', 'Bot'] as const),
        permission,
        repos: strings(obj, 'repos'),
        emails: strings(obj, 'emails'),
        rate_limit_per_hour: limit as number | undefined
      })
      const user = models.users.get(token.login)
      return { status: 201, body: { ...token, type: user.type, id: user.id } }
    }
  },
  {
    method: 'POST',
    template: '/_emulator/repos/{owner}/{repo}/files',
    handler: async ({ models, params, body }) => {
      const obj = fields(body)
      if (typeof obj.content !== 'string') throw new BadAdminRequest('"content" must be a string')
      const encoding = oneOf(obj, 'encoding', ['utf-8', 'base64'] as const)
      const { path, sha, size, commit } = await models.contents.putFile(
        params.owner,
        params.repo,
        adminString(obj, 'path', true),
        obj.content,
        encoding,
        { branch: adminString(obj, 'branch'), message: adminString(obj, 'message') }
      )
      return { status: 201, body: { path, sha, size, commit } }
    }
  },
  {
    method: 'POST',
    template: '/_emulator/teams',
    handler: ({ models, body }) => {
      const obj = fields(body)
      const team = models.teams.createTeam({
        org: adminString(obj, 'org', true),
        slug: adminString(obj, 'slug', true),
        members: strings(obj, 'members') ?? []
      })
      return { status: 201, body: team }
    }
  }
]
