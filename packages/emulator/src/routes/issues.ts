import {
  fields,
  labelNames,
  labelsBody,
  nullableString,
  optionalString,
  requiredString
} from '../decode.js'
import { lastModified } from '../etag.js'
import { paginate } from '../paginate.js'
import type { Route } from '../router.js'

/** Issues and the labels on them (`issues/*`). */
export const issueRoutes: Route[] = [
  {
    method: 'POST',
    template: '/repos/{owner}/{repo}/issues',
    handler: ({ models, shapes, caller, params, body }) => {
      const obj = fields(body)
      const { repo, issue } = models.issues.create(caller, params.owner, params.repo, {
        title: requiredString(obj, 'title'),
        body: nullableString(obj, 'body'),
        labels: labelNames(obj.labels)
      })
      return shapes.created(shapes.issue(repo, issue))
    }
  },
  {
    method: 'GET',
    template: '/repos/{owner}/{repo}/issues',
    handler: (req) => {
      const q = req.query
      const { repo, issues } = req.models.issues.listForRepo(
        req.caller,
        req.params.owner,
        req.params.repo,
        {
          state: q.get('state') ?? undefined,
          labels: q.get('labels') ?? undefined,
          since: q.get('since') ?? undefined,
          sort: q.get('sort') ?? undefined,
          direction: q.get('direction') ?? undefined,
          creator: q.get('creator') ?? undefined
        }
      )
      const page = paginate(req, issues, (i) => req.shapes.issue(repo, i))
      // Last-Modified: the newest change of any issue of the repository (§12.4)
      const newest = Object.values(repo.issues).map((i) => i.updated_at)
      return {
        ...page,
        headers: { ...page.headers, ...lastModified([repo.created_at, ...newest].sort().pop()) }
      }
    }
  },
  {
    method: 'GET',
    template: '/repos/{owner}/{repo}/issues/{issue_number}',
    handler: ({ models, shapes, caller, params }) => {
      const n = Number(params.issue_number)
      const { repo, issue } = models.issues.get(caller, params.owner, params.repo, n)
      return {
        status: 200,
        body: shapes.issue(repo, issue),
        headers: lastModified(issue.updated_at)
      }
    }
  },
  {
    method: 'PATCH',
    template: '/repos/{owner}/{repo}/issues/{issue_number}',
    handler: ({ models, shapes, caller, params, body }) => {
      const obj = fields(body)
      const n = Number(params.issue_number)
      const { repo, issue } = models.issues.update(caller, params.owner, params.repo, n, {
        title: optionalString(obj, 'title'),
        body: nullableString(obj, 'body'),
        state: optionalString(obj, 'state'),
        state_reason: nullableString(obj, 'state_reason'),
        labels: labelNames(obj.labels)
      })
      return { status: 200, body: shapes.issue(repo, issue) }
    }
  },
  {
    method: 'GET',
    template: '/repos/{owner}/{repo}/issues/{issue_number}/labels',
    handler: (req) => {
      const { params } = req
      const n = Number(params.issue_number)
      const { repo, labels } = req.models.issueLabels.listLabelsOnIssue(
        req.caller,
        params.owner,
        params.repo,
        n
      )
      return paginate(req, labels, (l) => req.shapes.label(repo, l))
    }
  },
  {
    method: 'POST',
    template: '/repos/{owner}/{repo}/issues/{issue_number}/labels',
    handler: ({ models, shapes, caller, params, body }) => {
      const n = Number(params.issue_number)
      const names = labelsBody(body)
      const { repo, labels } = models.issueLabels.addLabels(
        caller,
        params.owner,
        params.repo,
        n,
        names
      )
      return { status: 200, body: labels.map((l) => shapes.label(repo, l)) }
    }
  },
  {
    method: 'PUT',
    template: '/repos/{owner}/{repo}/issues/{issue_number}/labels',
    handler: ({ models, shapes, caller, params, body }) => {
      const n = Number(params.issue_number)
      const names = labelsBody(body)
      const { repo, labels } = models.issueLabels.setLabels(
        caller,
        params.owner,
        params.repo,
        n,
        names
      )
      return { status: 200, body: labels.map((l) => shapes.label(repo, l)) }
    }
  },
  {
    method: 'DELETE',
    template: '/repos/{owner}/{repo}/issues/{issue_number}/labels',
    handler: ({ models, caller, params }) => {
      const n = Number(params.issue_number)
      models.issueLabels.removeAllLabels(caller, params.owner, params.repo, n)
      return { status: 204 }
    }
  },
  {
    method: 'DELETE',
    template: '/repos/{owner}/{repo}/issues/{issue_number}/labels/{name}',
    handler: ({ models, shapes, caller, params }) => {
      const n = Number(params.issue_number)
      const { repo, labels } = models.issueLabels.removeLabel(
        caller,
        params.owner,
        params.repo,
        n,
        params.name
      )
      return { status: 200, body: labels.map((l) => shapes.label(repo, l)) }
    }
  }
]
