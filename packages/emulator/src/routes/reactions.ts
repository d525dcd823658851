import { fields, requiredString } from '../decode.js'
import type { ReactionTarget } from '../models/reactions.js'
import { paginate } from '../paginate.js'
import type { Route, RouteRequest } from '../router.js'

function issueTarget(req: RouteRequest): ReactionTarget {
  return { issue_number: Number(req.params.issue_number) }
}

function commentTarget(req: RouteRequest): ReactionTarget {
  return { comment_id: Number(req.params.comment_id) }
}

/** The three reaction routes for one parent kind (`reactions/*-for-issue[-comment]`). */
function reactionRoutes(base: string, target: (req: RouteRequest) => ReactionTarget): Route[] {
  return [
    {
      method: 'POST',
      template: `${base}/reactions`,
      handler: (req) => {
        const content = requiredString(fields(req.body), 'content')
        const { reaction, created } = req.models.reactions.create(
          req.caller,
          req.params.owner,
          req.params.repo,
          target(req),
          content
        )
        return { status: created ? 201 : 200, body: req.shapes.reaction(reaction) }
      }
    },
    {
      method: 'GET',
      template: `${base}/reactions`,
      handler: (req) => {
        const { reactions } = req.models.reactions.list(
          req.caller,
          req.params.owner,
          req.params.repo,
          target(req),
          req.query.get('content') ?? undefined
        )
        return paginate(req, reactions, (r) => req.shapes.reaction(r))
      }
    },
    {
      method: 'DELETE',
      template: `${base}/reactions/{reaction_id}`,
      handler: (req) => {
        const id = Number(req.params.reaction_id)
        req.models.reactions.delete(req.caller, req.params.owner, req.params.repo, target(req), id)
        return { status: 204 }
      }
    }
  ]
}

/** Reactions on issues and on issue comments. */
export const reactionRoutesAll: Route[] = [
  ...reactionRoutes('/repos/{owner}/{repo}/issues/{issue_number}', issueTarget),
  ...reactionRoutes('/repos/{owner}/{repo}/issues/comments/{comment_id}', commentTarget)
]
