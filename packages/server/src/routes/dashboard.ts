import type { FastifyInstance } from 'fastify'
import { dashboardAssets } from '../dashboard-assets.js'

/**
 * The dashboard page at `/` and its files. The page holds no data: it asks for the admin
 * token once (kept in the tab's sessionStorage) and reads `/api/sync/*` with it, so the data
 * stays behind the token while the page itself needs none. A Content-Security-Policy allows
 * only this origin's scripts, styles and requests.
 */
export async function dashboardRoutes(app: FastifyInstance): Promise<void> {
  const assets = dashboardAssets()
  const csp =
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
  const serve =
    (name: string) => async (_request: unknown, reply: import('fastify').FastifyReply) => {
      const asset = assets.get(name)!
      return reply
        .header('content-type', asset.contentType)
        .header('content-security-policy', csp)
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'no-cache')
        .send(asset.body)
    }
  app.get('/', serve('index.html'))
  for (const name of assets.keys()) app.get(`/${name}`, serve(name))
}
