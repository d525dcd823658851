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
    },
    {
      title:
        'orgs/get, teams/get-by-name, teams/list-members-legacy, repos/get: an organisation, its team and its repository as GitHub shapes them; 404 for a user or an unknown team',
      async run(h) {
        await h.emulator.admin.createRepo({
          full_name: 'conf-org-b/store',
          owner_type: 'Organization'
        })
        await h.emulator.admin.createTeam({
          org: 'conf-org-b',
          slug: 'reviewers',
          members: [OWNER, 'writer']
        })
        const org = await h.anonymous.rest.orgs.get({ org: 'conf-org-b' })
        assert.equal(org.data.type, 'Organization')
        assert.equal(org.data.public_repos, 1)
        const repo = await h.owner.rest.repos.get({ owner: 'conf-org-b', repo: 'store' })
        assert.equal(repo.data.organization?.login, 'conf-org-b')
        assert.equal(repo.data.organization?.type, 'Organization')
        const team = await h.owner.rest.teams.getByName({
          org: 'conf-org-b',
          team_slug: 'reviewers'
        })
        assert.equal(team.data.organization.login, 'conf-org-b')
        assert.equal(team.data.members_count, 2)
        // the members, by the team's own url (teams/list-members-legacy), as clients that follow
        // it list them (PyGithub's Team.get_members)
        const members = await h.owner.request(`GET ${team.data.url}/members`)
        assert.deepEqual(
          (members.data as Array<{ login: string }>).map((m) => m.login),
          [OWNER, 'writer']
        )
        await h.fails(h.owner.rest.orgs.get({ org: OWNER }), 404, 'Not Found')
        await h.fails(
          h.owner.rest.teams.getByName({ org: 'conf-org-b', team_slug: 'nobody' }),
          404,
          'Not Found'
        )
        const userRepo = await h.newRepo('user-owned')
        assert.equal('organization' in (await h.owner.rest.repos.get(userRepo)).data, false)
      }
    }
  ]
}
