import type { Caller } from './models/users.js'
import type { Models } from './models/index.js'
import type { Shapes } from './shapes/resources.js'
import type { EmulatorContext } from './context.js'

/** What a route handler receives: decoded path params, query, parsed JSON body, caller. */
export interface RouteRequest {
  params: Record<string, string>
  query: URLSearchParams
  body: unknown
  caller: Caller | null
  models: Models
  shapes: Shapes
  /** The full request URL on the emulator's origin (for `link` headers). */
  url: URL
  ctx: EmulatorContext
  /** The request body as received (for non-JSON bodies such as Git LFS uploads). */
  rawBody: Buffer
  /** Request headers, lower-cased names (Accept, If-None-Match …). */
  headers: Record<string, string | string[] | undefined>
}

/** What a route handler returns; the server adds the common headers and serialises `body`. */
export interface RouteResult {
  status: number
  body?: unknown
  /** Sent as-is instead of JSON-encoding `body` (set `content-type` in `headers`). */
  raw?: Buffer | string
  headers?: Record<string, string>
}

/** One route: HTTP method plus a GitHub path template such as `/repos/{owner}/{repo}`. */
export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  template: string
  handler: (req: RouteRequest) => RouteResult | Promise<RouteResult>
  /** `false` for routes that do not spend the rate-limit budget (`/rate_limit`). */
  rateLimited?: boolean
}

interface Segment {
  literal?: string
  param?: string
  /** `{path}`, `{ref}`, `{branch}`, `{basehead}` take every remaining segment (raw slashes), URL-decoded as a whole. */
  greedy?: boolean
  /** Params named `*_number` / `*_id` only match digits. */
  numeric?: boolean
}

/** A route with its template split into segments. */
export interface CompiledRoute {
  route: Route
  segments: Segment[]
}

/** Params that take every remaining segment (they contain slashes: paths, refs, branch names). */
const GREEDY_PARAMS = new Set(['path', 'ref', 'branch', 'basehead'])

/** Splits every template once, up front. */
export function compileRoutes(routes: Route[]): CompiledRoute[] {
  return routes.map((route) => ({
    route,
    segments: route.template
      .split('/')
      .slice(1)
      .map((part): Segment => {
        const m = /^\{(\w+)\}$/.exec(part)
        if (!m) return { literal: part }
        const greedy = GREEDY_PARAMS.has(m[1])
        return { param: m[1], greedy, numeric: /(_number|_id)$/.test(m[1]) }
      })
  }))
}

/**
 * Finds the route for `method` and the raw (still percent-encoded) `pathname`. Params are
 * decoded after splitting, so `%2F` inside a segment and raw slashes in `{path}` both work.
 * Returns `null` when nothing matches (the server answers 404 `Not Found`).
 */
export function matchRoute(
  routes: CompiledRoute[],
  method: string,
  pathname: string
): { route: Route; params: Record<string, string> } | null {
  const parts = pathname.split('/').slice(1)
  for (const { route, segments } of routes) {
    if (route.method !== method) continue
    const params = matchSegments(segments, parts)
    if (params) return { route, params }
  }
  return null
}

function matchSegments(segments: Segment[], parts: string[]): Record<string, string> | null {
  const params: Record<string, string> = {}
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]
    if (seg.greedy) {
      const rest = parts.slice(i)
      if (rest.length === 0 || rest.every((p) => p === '')) return null
      const value = decode(rest.join('/'))
      if (value === null) return null
      params[seg.param!] = value
      return params
    }
    const part = parts[i]
    if (part === undefined) return null
    if (seg.literal !== undefined) {
      if (seg.literal !== part) return null
      continue
    }
    const value = decode(part)
    if (value === null || value === '') return null
    if (seg.numeric && !/^\d+$/.test(value)) return null
    params[seg.param!] = value
  }
  return parts.length === segments.length ? params : null
}

function decode(raw: string): string | null {
  try {
    return decodeURIComponent(raw)
  } catch {
    return null
  }
}
