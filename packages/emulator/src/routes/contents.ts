import type { Route } from '../router.js'

/** `repos/get-content` (files set through the admin API). */
export const contentRoutes: Route[] = [
  {
    method: 'GET',
    template: '/repos/{owner}/{repo}/contents/{path}',
    handler: ({ models, shapes, caller, params, query }) => {
      const found = models.contents.getContent(caller, params.owner, params.repo, params.path)
      const ref = query.get('ref') ?? found.repo.default_branch
      if (found.file)
        return { status: 200, body: shapes.contentFile(found.repo, found.path, found.file, ref) }
      return {
        status: 200,
        body: (found.entries ?? []).map((e) => shapes.entry(found.repo, e, ref))
      }
    }
  }
]
