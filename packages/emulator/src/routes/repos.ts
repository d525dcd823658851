import { lastModified } from '../etag.js'
import type { Route } from '../router.js'

/** Repositories and collaborators. */
export const repoRoutes: Route[] = [
  {
    method: 'GET',
    template: '/repos/{owner}/{repo}',
    handler: ({ models, shapes, caller, params }) => {
      const { repo, permission } = models.repos.get(caller, params.owner, params.repo)
      const changed = [repo.updated_at, repo.pushed_at, repo.created_at].filter(Boolean).sort()
      return {
        status: 200,
        body: shapes.repo(repo, permission),
        headers: lastModified(changed.pop())
      }
    }
  },
  {
    method: 'GET',
    template: '/repos/{owner}/{repo}/collaborators/{username}/permission',
    handler: ({ models, shapes, caller, params }) => {
      const { permission, user } = models.repos.getCollaboratorPermissionLevel(
        caller,
        params.owner,
        params.repo,
        params.username
      )
      return {
        status: 200,
        body: { permission, role_name: permission, user: shapes.collaborator(user, permission) }
      }
    }
  }
]
