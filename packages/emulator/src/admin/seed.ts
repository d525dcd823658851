import { fields } from '../decode.js'
import type { Caller } from '../models/users.js'
import type { Route } from '../router.js'
import { adminString, integer } from './decode.js'

/** Admin route for bulk seeding: many issues in one request, made by the issues model. */

/** Largest `count` of `seed-issues` in one request. */
const SEED_ISSUES_MAX = 100_000

export const seedAdminRoutes: Route[] = [
  {
    method: 'POST',
    template: '/_emulator/repos/{owner}/{repo}/seed-issues',
    handler: ({ models, params, body }) => {
      const obj = fields(body)
      const count = integer(obj, 'count', 1, SEED_ISSUES_MAX)
      const repo = models.repos.find(params.owner, params.repo)
      const login = adminString(obj, 'login') ?? repo.owner
      const prefix = adminString(obj, 'title_prefix') ?? 'Seeded issue'
      // The issues model's own create, as an admin of every repository, so numbering,
      // timestamps and counters follow the same rules as API-created issues.
      const caller: Caller = {
        token: { token: '', login, permission: 'admin', repos: null, rate_limit_per_hour: 0 },
        user: models.users.ensure(login)
      }
      let first = 0
      let last = 0
      for (let i = 0; i < count; i++) {
        const { issue } = models.issues.create(caller, repo.owner, repo.name, {
          title: `${prefix} ${i + 1}`,
          body: null
        })
        if (i === 0) first = issue.number
        last = issue.number
      }
      return { status: 201, body: { count, first, last } }
    }
  }
]
