import { fields } from '../decode.js'
import { BadAdminRequest } from '../errors.js'
import type { Route } from '../router.js'

/**
 * Admin routes for GitHub Apps (registered in `ADMIN_ROUTES`, wrapped by
 * `EmulatorAdminClient.createApp` / `.createInstallation`):
 * - `POST /_emulator/apps {slug, name?, owner?, webhook_url?, webhook_secret?, permissions?,
 *   events?}` → 201 `{id, slug, client_id, private_key}` (the RSA private key in PEM, returned
 *   only here); 409 when the slug is taken;
 * - `POST /_emulator/apps/{slug}/installations {account, repositories?}` → 201 `{id}`
 *   (`repositories` absent: every repository of the account, also later ones);
 * - `DELETE /_emulator/installations/{installation_id}` → 204 (uninstall; `installation.deleted`);
 * - `POST /_emulator/installations/{installation_id}/repositories {add?, remove?}` → 200
 *   `{id, repository_selection, repository_ids}` (`installation_repositories` added / removed).
 */

function text(obj: Record<string, unknown>, key: string, required = false): string | undefined {
  const value = obj[key]
  if (value === undefined && !required) return undefined
  if (typeof value !== 'string' || value === '')
    throw new BadAdminRequest(`"${key}" must be a non-empty string`)
  return value
}

function texts(obj: Record<string, unknown>, key: string): string[] | undefined {
  const value = obj[key]
  if (value === undefined) return undefined
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))
    throw new BadAdminRequest(`"${key}" must be an array of strings`)
  return value as string[]
}

function permissionMap(obj: Record<string, unknown>): Record<string, string> | undefined {
  const value = obj.permissions
  if (value === undefined) return undefined
  const levels = ['read', 'write', 'admin']
  if (
    !value ||
    typeof value !== 'object' ||
    Array.isArray(value) ||
    Object.values(value).some((v) => !levels.includes(v as string))
  )
    throw new BadAdminRequest('"permissions" must map permission names to read, write or admin')
  return value as Record<string, string>
}

export const appsAdminRoutes: Route[] = [
  {
    method: 'POST',
    template: '/_emulator/apps',
    handler: ({ models, ctx, body }) => {
      const obj = fields(body)
      const slug = text(obj, 'slug', true)!
      if (!/^[a-z0-9][a-z0-9-]*$/i.test(slug))
        throw new BadAdminRequest('"slug" must be letters, digits and dashes')
      const { app, privateKey } = models.apps.create({
        slug,
        name: text(obj, 'name'),
        owner: text(obj, 'owner'),
        webhook_url: text(obj, 'webhook_url'),
        webhook_secret: text(obj, 'webhook_secret'),
        permissions: permissionMap(obj),
        events: texts(obj, 'events')
      })
      ctx.webhooks.pingApp(app)
      return {
        status: 201,
        body: { id: app.id, slug: app.slug, client_id: app.client_id, private_key: privateKey }
      }
    }
  },
  {
    method: 'DELETE',
    template: '/_emulator/installations/{installation_id}',
    handler: ({ models, params }) => {
      models.apps.uninstall(Number(params.installation_id))
      return { status: 204 }
    }
  },
  {
    method: 'POST',
    template: '/_emulator/installations/{installation_id}/repositories',
    handler: ({ models, params, body }) => {
      const obj = fields(body)
      const installation = models.apps.changeRepositories(Number(params.installation_id), {
        add: texts(obj, 'add'),
        remove: texts(obj, 'remove')
      })
      return {
        status: 200,
        body: {
          id: installation.id,
          repository_selection: installation.repository_selection,
          repository_ids: installation.repository_ids
        }
      }
    }
  },
  {
    method: 'POST',
    template: '/_emulator/apps/{slug}/installations',
    handler: ({ models, params, body }) => {
      const obj = fields(body)
      const installation = models.apps.install(params.slug, {
        account: text(obj, 'account', true)!,
        repositories: texts(obj, 'repositories')
      })
      return { status: 201, body: { id: installation.id } }
    }
  }
]
