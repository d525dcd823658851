import { strict as assert } from 'node:assert'
import type { ScenarioGroup } from '../harness.js'
import { OWNER } from '../../support.js'

/** Users, rate limit, repositories, collaborators, teams. */
export const meta: ScenarioGroup = {
  name: 'repos, users, rate limit, teams',
  scenarios: [
    {
      title:
        'users/get-authenticated: 200 the token user, 304 on a matching ETag, 401 without a token',
      async run(h) {
        const me = await h.owner.rest.users.getAuthenticated()
        assert.equal(me.data.login, OWNER)
        await h.fails(
          h.owner.rest.users.getAuthenticated({ headers: { 'if-none-match': me.headers.etag } }),
          304
        )
        await h.fails(h.anonymous.rest.users.getAuthenticated(), 401, 'Requires authentication')
      }
    },
    {
      title: 'rate-limit/get: 200 resources and rate',
      async run(h) {
        const res = await h.owner.rest.rateLimit.get()
        assert.equal(res.status, 200)
        await h.anonymous.rest.rateLimit.get()
      }
    },
    {
      title: 'repos/get: 200 full repository for owner and anonymous, 404 unknown',
      async run(h) {
        const r = await h.newRepo('repo-get')
        const res = await h.owner.rest.repos.get(r)
        assert.equal(res.data.full_name, `${r.owner}/${r.repo}`)
        await h.anonymous.rest.repos.get(r)
        await h.fails(h.owner.rest.repos.get({ ...r, repo: `${r.repo}-missing` }), 404, 'Not Found')
      }
    },
    {
      title:
        'repos/get-collaborator-permission-level: 200 for admin, write, read; 404 unknown repo',
      async run(h) {
        const r = await h.newRepo('collab')
        for (const username of [OWNER, 'writer', 'reader']) {
          const res = await h.owner.rest.repos.getCollaboratorPermissionLevel({ ...r, username })
          assert.equal(res.data.user?.login, username)
        }
        await h.fails(
          h.owner.rest.repos.getCollaboratorPermissionLevel({
            ...r,
            repo: `${r.repo}-missing`,
            username: OWNER
          }),
          404,
          'Not Found'
        )
      }
    },
    {
      title: 'teams/list-members-in-org: 200 the members, paginated',
      async run(h) {
        await h.emulator.admin.createTeam({
          org: 'conf-org',
          slug: 'maintainers',
          members: [OWNER, 'writer']
        })
        const res = await h.owner.rest.teams.listMembersInOrg({
          org: 'conf-org',
          team_slug: 'maintainers',
          per_page: 1
        })
        assert.equal(res.data.length, 1)
      }
    }
  ]
}
