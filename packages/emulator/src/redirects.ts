import type { EmulatorContext } from './context.js'
import { DOCUMENTATION_URL } from './errors.js'
import type { RouteResult } from './router.js'

/**
 * A renamed repository's old name (docs/github-behaviour.md §12.2): a request to
 * `/repos/{old owner}/{old name}/…` whose repository no longer exists under that name, but
 * was renamed away from it, is answered `301 Moved Permanently` for GET and HEAD (`307
 * Temporary Redirect` for other methods, as GitHub does) with `Location` = the same path under
 * the current name and GitHub's body `{message, url, documentation_url}`. GitHub's `Location`
 * is `/repositories/{id}/…`; the emulator serves no `/repositories/{id}` routes, so it points
 * at the new name, which Octokit's `fetch` follows the same way. `null` when not redirected.
 */
export function repositoryRedirect(
  ctx: EmulatorContext,
  method: string,
  template: string,
  params: Record<string, string>,
  url: URL
): RouteResult | null {
  if (!template.startsWith('/repos/{owner}/{repo}')) return null
  const { owner, repo } = params
  if (!owner || !repo || ctx.store.data.repos[`${owner}/${repo}`.toLowerCase()]) return null
  const target = ctx.models.repoLifecycle.redirectTarget(owner, repo)
  if (!target) return null
  const parts = url.pathname.split('/')
  parts[2] = encodeURIComponent(target.owner)
  parts[3] = encodeURIComponent(target.name)
  const location = new URL(parts.join('/') + url.search, url.origin).href
  const permanent = method === 'GET' || method === 'HEAD'
  return {
    status: permanent ? 301 : 307,
    headers: { location },
    body: {
      message: permanent ? 'Moved Permanently' : 'Temporary Redirect',
      url: location,
      documentation_url: DOCUMENTATION_URL
    }
  }
}
