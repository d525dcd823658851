/**
 * In-process request hooks, for tests that need an interleaving no admin rule can express:
 * "another writer commits between my read and my write", "the write applies and the connection
 * drops". A hook runs once an API request has been authenticated, counted against the rate
 * limit and matched to a route, before fault injection and the handler; it may await anything
 * (admin calls included — admin requests are never hooked) and may ask for the connection to be
 * dropped after the handler ran, so the change is applied and the answer lost.
 *
 * ```ts
 * const off = emulator.onRequest({ method: 'PUT', route: '/repos/{owner}/{repo}/contents/{path}', times: 1 },
 *   () => emulator.admin.putFile('o/r', 'f.json', 'theirs'))
 * ```
 */

/** What a hook is told about the request. */
export interface HookedRequest {
  method: string
  /** route template, as in the ledger (`/repos/{owner}/{repo}/contents/{path}`) */
  route: string
  /** path and query as sent */
  path: string
  /** the route's parameters (`owner`, `repo`, `path`, …) */
  params: Record<string, string>
  /** the caller's login, `null` when anonymous */
  login: string | null
}

/** What a hook may ask for: nothing, or to drop the connection once the handler has run. */
export type HookAction = void | { drop: 'after' }

/** Which requests a hook sees; every field is optional (absent = any). */
export interface RequestMatch {
  /** HTTP method (`PUT`) */
  method?: string
  /** route template */
  route?: string
  /** only requests whose path contains this (e.g. `/repos/octocat/store-1/`) */
  pathIncludes?: string
  /** only requests of this caller (`null`: anonymous ones) */
  login?: string | null
  /** run for at most this many matching requests, then never again */
  times?: number
}

/** A hook: sync or async. */
export type RequestHook = (request: HookedRequest) => HookAction | Promise<HookAction>

/** The hooks of one emulator instance, run oldest first. */
export class RequestHooks {
  private hooks: Array<{ match: RequestMatch; fn: RequestHook; left: number }> = []

  /** Adds a hook; returns the function that removes it. */
  add(match: RequestMatch, fn: RequestHook): () => void {
    const entry = { match, fn, left: match.times ?? Number.POSITIVE_INFINITY }
    this.hooks.push(entry)
    return () => {
      this.hooks = this.hooks.filter((h) => h !== entry)
    }
  }

  /** Runs every matching hook; `drop` when any of them asked for it. */
  async run(request: HookedRequest): Promise<{ drop: boolean }> {
    let drop = false
    for (const hook of [...this.hooks]) {
      const { method, route, pathIncludes, login } = hook.match
      if (hook.left <= 0) continue
      if (login !== undefined && login !== request.login) continue
      if (method !== undefined && method.toUpperCase() !== request.method) continue
      if (route !== undefined && route !== request.route) continue
      if (pathIncludes !== undefined && !request.path.includes(pathIncludes)) continue
      hook.left -= 1
      const action = await hook.fn(request)
      if (action && action.drop === 'after') drop = true
    }
    return { drop }
  }
}
