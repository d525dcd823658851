import { fields } from '../decode.js'
import type { Caller } from '../models/users.js'
import type { Route } from '../router.js'
import { BadAdminRequest } from '../errors.js'
import { adminString, integer, oneOf } from './decode.js'

/** Admin route for bulk seeding: many issues in one request, made by the issues model. */

/** Largest `count` of `seed-repos` in one request. */
const SEED_REPOS_MAX = 10_000

/** Largest `count` of `seed-issues` in one request. */
const SEED_ISSUES_MAX = 100_000

/** One issue of `seed-issues`' `issues` list: what `issues/create` takes, plus its state. */
export interface SeedIssue {
  title: string
  body?: string | null
  labels?: string[]
  state?: 'open' | 'closed'
}

function seedIssueList(value: unknown): SeedIssue[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > SEED_ISSUES_MAX)
    throw new BadAdminRequest(`"issues" must be a list of 1 to ${SEED_ISSUES_MAX} issues`)
  return value.map((item, i) => {
    const issue = item as Partial<SeedIssue> | null
    const ok =
      issue !== null &&
      typeof issue === 'object' &&
      typeof issue.title === 'string' &&
      issue.title !== '' &&
      (issue.body === undefined || issue.body === null || typeof issue.body === 'string') &&
      (issue.labels === undefined ||
        (Array.isArray(issue.labels) && issue.labels.every((l) => typeof l === 'string'))) &&
      (issue.state === undefined || issue.state === 'open' || issue.state === 'closed')
    if (!ok)
      throw new BadAdminRequest(
        `"issues[${i}]" must be {title, body?, labels?: string[], state?: "open" | "closed"}`
      )
    return issue as SeedIssue
  })
}

export const seedAdminRoutes: Route[] = [
  {
    // Many repositories in one request, made by the repositories model: `<owner>/<prefix>-<i>`.
    // The first gets its git repository as `POST /_emulator/repos` makes it; the others a copy
    // of it (one initial commit, the same SHA everywhere), so 1,000 take seconds, not minutes.
    // No webhook events are sent (they are fixtures, not activity).
    method: 'POST',
    template: '/_emulator/seed-repos',
    handler: async ({ models, body }) => {
      const obj = fields(body)
      const owner = adminString(obj, 'owner', true)
      const count = integer(obj, 'count', 1, SEED_REPOS_MAX)
      const prefix = adminString(obj, 'prefix') ?? 'seeded'
      if (obj.auto_init !== undefined && typeof obj.auto_init !== 'boolean')
        throw new BadAdminRequest('"auto_init" must be a boolean')
      const ownerType = oneOf(obj, 'owner_type', ['User', 'Organization'] as const)
      const names: string[] = []
      let template: ReturnType<typeof models.repos.create> | undefined
      for (let i = 0; i < count; i++) {
        const repo = models.repos.create({
          full_name: `${owner}/${prefix}-${i}`,
          owner_type: ownerType
        })
        if (template) await models.contents.copyRepo(repo, template)
        else {
          await models.contents.initRepo(repo, obj.auto_init !== false)
          template = repo
        }
        names.push(`${repo.owner}/${repo.name}`)
      }
      return { status: 201, body: { count, names } }
    }
  },
  {
    method: 'POST',
    template: '/_emulator/repos/{owner}/{repo}/seed-issues',
    handler: ({ models, params, body }) => {
      const obj = fields(body)
      const listed = obj.issues === undefined ? undefined : seedIssueList(obj.issues)
      const count = listed ? listed.length : integer(obj, 'count', 1, SEED_ISSUES_MAX)
      const repo = models.repos.find(params.owner, params.repo)
      const login = adminString(obj, 'login') ?? repo.owner
      const prefix = adminString(obj, 'title_prefix') ?? 'Seeded issue'
      // The issues model's own create and update, as an admin of every repository, so
      // numbering, labels, timestamps and counters follow the same rules as API-made issues.
      const caller: Caller = {
        token: { token: '', login, permission: 'admin', repos: null, rate_limit_per_hour: 0 },
        user: models.users.ensure(login)
      }
      let first = 0
      let last = 0
      for (let i = 0; i < count; i++) {
        const seed = listed?.[i]
        const { issue } = models.issues.create(caller, repo.owner, repo.name, {
          title: seed?.title ?? `${prefix} ${i + 1}`,
          body: seed?.body ?? null,
          ...(seed?.labels ? { labels: seed.labels } : {})
        })
        if (seed?.state === 'closed')
          models.issues.update(caller, repo.owner, repo.name, issue.number, { state: 'closed' })
        if (i === 0) first = issue.number
        last = issue.number
      }
      return { status: 201, body: { count, first, last } }
    }
  }
]
