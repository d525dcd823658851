import { BadAdminRequest } from '../errors.js'
import { API_ROUTES } from '../routes/index.js'
import { adminString } from './decode.js'

/** The HTTP methods admin rules may name. */
export const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']

/** A route template the emulator serves (for `method`, unless `*`), or `*`. */
export function servedRoute(obj: Record<string, unknown>, method: string): string {
  const route = adminString(obj, 'route')
  if (route === undefined) throw new BadAdminRequest('"route" must be a route template or "*"')
  if (route === '*') return route
  const served = API_ROUTES.some(
    (r) => r.route.template === route && (method === '*' || r.route.method === method)
  )
  if (!served)
    throw new BadAdminRequest(
      `"route" ${route} is not a template the emulator serves for ${method} (see the ledger's "route")`
    )
  return route
}
