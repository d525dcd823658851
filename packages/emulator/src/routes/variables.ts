import { fields, optionalString, requiredString } from '../decode.js'
import { VARIABLES_PER_PAGE_DEFAULT, VARIABLES_PER_PAGE_MAX } from '../limits.js'
import { paginate } from '../paginate.js'
import type { Route } from '../router.js'
import type { VariableRecord } from '../state.js'

/** `actions-variable`: `{name, value, created_at, updated_at}` (docs/github-behaviour.md §4). */
function variable(v: VariableRecord): Record<string, unknown> {
  return { name: v.name, value: v.value, created_at: v.created_at, updated_at: v.updated_at }
}

/** Actions repository variables (`actions/*-repo-variable(s)`, docs/github-behaviour.md §4). */
export const variableRoutes: Route[] = [
  {
    method: 'GET',
    template: '/repos/{owner}/{repo}/actions/variables',
    handler: (req) => {
      const list = req.models.variables.listRepoVariables(
        req.caller,
        req.params.owner,
        req.params.repo
      )
      return paginate(req, list, variable, {
        perPageDefault: VARIABLES_PER_PAGE_DEFAULT,
        perPageMax: VARIABLES_PER_PAGE_MAX,
        wrap: (page, total) => ({ total_count: total, variables: page })
      })
    }
  },
  {
    method: 'POST',
    template: '/repos/{owner}/{repo}/actions/variables',
    handler: ({ models, caller, params, body }) => {
      const obj = fields(body)
      models.variables.createRepoVariable(caller, params.owner, params.repo, {
        name: requiredString(obj, 'name'),
        value: requiredString(obj, 'value')
      })
      return { status: 201, body: {} }
    }
  },
  {
    method: 'GET',
    template: '/repos/{owner}/{repo}/actions/variables/{name}',
    handler: ({ models, caller, params }) => {
      const v = models.variables.getRepoVariable(caller, params.owner, params.repo, params.name)
      return { status: 200, body: variable(v) }
    }
  },
  {
    method: 'PATCH',
    template: '/repos/{owner}/{repo}/actions/variables/{name}',
    handler: ({ models, caller, params, body }) => {
      const obj = fields(body)
      models.variables.updateRepoVariable(caller, params.owner, params.repo, params.name, {
        name: optionalString(obj, 'name'),
        value: optionalString(obj, 'value')
      })
      return { status: 204 }
    }
  },
  {
    method: 'DELETE',
    template: '/repos/{owner}/{repo}/actions/variables/{name}',
    handler: ({ models, caller, params }) => {
      models.variables.deleteRepoVariable(caller, params.owner, params.repo, params.name)
      return { status: 204 }
    }
  }
]
