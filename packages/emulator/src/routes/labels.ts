import { fields, nullableString, optionalString } from '../decode.js'
import { paginate } from '../paginate.js'
import type { Route } from '../router.js'
import type { LabelInput } from '../models/labels.js'

function labelInput(body: unknown): LabelInput {
  const obj = fields(body)
  return {
    name: optionalString(obj, 'name'),
    new_name: optionalString(obj, 'new_name'),
    color: optionalString(obj, 'color'),
    description: nullableString(obj, 'description')
  }
}

/** Repository labels (`issues/*-label*`). */
export const labelRoutes: Route[] = [
  {
    method: 'GET',
    template: '/repos/{owner}/{repo}/labels',
    handler: (req) => {
      const { repo, labels } = req.models.labels.listLabelsForRepo(
        req.caller,
        req.params.owner,
        req.params.repo
      )
      return paginate(req, labels, (l) => req.shapes.label(repo, l))
    }
  },
  {
    method: 'POST',
    template: '/repos/{owner}/{repo}/labels',
    handler: ({ models, shapes, caller, params, body }) => {
      const { repo, label } = models.labels.createLabel(
        caller,
        params.owner,
        params.repo,
        labelInput(body)
      )
      return shapes.created(shapes.label(repo, label))
    }
  },
  {
    method: 'GET',
    template: '/repos/{owner}/{repo}/labels/{name}',
    handler: ({ models, shapes, caller, params }) => {
      const { repo, label } = models.labels.getLabel(caller, params.owner, params.repo, params.name)
      return { status: 200, body: shapes.label(repo, label) }
    }
  },
  {
    method: 'PATCH',
    template: '/repos/{owner}/{repo}/labels/{name}',
    handler: ({ models, shapes, caller, params, body }) => {
      const { repo, label } = models.labels.updateLabel(
        caller,
        params.owner,
        params.repo,
        params.name,
        labelInput(body)
      )
      return { status: 200, body: shapes.label(repo, label) }
    }
  },
  {
    method: 'DELETE',
    template: '/repos/{owner}/{repo}/labels/{name}',
    handler: ({ models, caller, params }) => {
      models.labels.deleteLabel(caller, params.owner, params.repo, params.name)
      return { status: 204 }
    }
  }
]
