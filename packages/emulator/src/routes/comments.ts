import { fields, requiredString } from '../decode.js'
import { paginate } from '../paginate.js'
import type { Route } from '../router.js'

/** Issue comments (`issues/*-comment*`). */
export const commentRoutes: Route[] = [
  {
    method: 'POST',
    template: '/repos/{owner}/{repo}/issues/{issue_number}/comments',
    handler: ({ models, shapes, caller, params, body }) => {
      const n = Number(params.issue_number)
      const text = requiredString(fields(body), 'body')
      const { repo, comment } = models.comments.createComment(
        caller,
        params.owner,
        params.repo,
        n,
        text
      )
      return shapes.created(shapes.comment(repo, comment))
    }
  },
  {
    method: 'GET',
    template: '/repos/{owner}/{repo}/issues/{issue_number}/comments',
    handler: (req) => {
      const { params } = req
      const { repo, comments } = req.models.comments.listComments(
        req.caller,
        params.owner,
        params.repo,
        Number(params.issue_number),
        req.query.get('since') ?? undefined
      )
      return paginate(req, comments, (c) => req.shapes.comment(repo, c))
    }
  },
  {
    method: 'GET',
    template: '/repos/{owner}/{repo}/issues/comments',
    handler: (req) => {
      const q = req.query
      const { repo, comments } = req.models.comments.listCommentsForRepo(
        req.caller,
        req.params.owner,
        req.params.repo,
        {
          since: q.get('since') ?? undefined,
          sort: q.get('sort') ?? undefined,
          direction: q.get('direction') ?? undefined
        }
      )
      return paginate(req, comments, (c) => req.shapes.comment(repo, c))
    }
  },
  {
    method: 'GET',
    template: '/repos/{owner}/{repo}/issues/comments/{comment_id}',
    handler: ({ models, shapes, caller, params }) => {
      const id = Number(params.comment_id)
      const { repo, comment } = models.comments.getComment(caller, params.owner, params.repo, id)
      return { status: 200, body: shapes.comment(repo, comment) }
    }
  },
  {
    method: 'PATCH',
    template: '/repos/{owner}/{repo}/issues/comments/{comment_id}',
    handler: ({ models, shapes, caller, params, body }) => {
      const id = Number(params.comment_id)
      const text = requiredString(fields(body), 'body')
      const { repo, comment } = models.comments.updateComment(
        caller,
        params.owner,
        params.repo,
        id,
        text
      )
      return { status: 200, body: shapes.comment(repo, comment) }
    }
  },
  {
    method: 'DELETE',
    template: '/repos/{owner}/{repo}/issues/comments/{comment_id}',
    handler: ({ models, caller, params }) => {
      models.comments.deleteComment(caller, params.owner, params.repo, Number(params.comment_id))
      return { status: 204 }
    }
  }
]
