import { describe, expect, test } from '@jest/globals'
import { failure, lazyClient, TOKENS, useTestEmulator } from '../support.js'

const emulator = useTestEmulator()
const octokit = lazyClient(emulator, TOKENS.owner)

describe('teams', () => {
  test('teams/list-members-in-org: the members of an admin-created team', async () => {
    await emulator.admin.createTeam({
      org: 'acme',
      slug: 'data-owners',
      members: ['writer', 'newcomer']
    })
    const res = await octokit.rest.teams.listMembersInOrg({ org: 'acme', team_slug: 'data-owners' })
    expect(res.data.map((u) => [u.login, u.type])).toEqual([
      ['writer', 'User'],
      ['newcomer', 'User']
    ])
  })

  test('teams/list-members-in-org: an unknown team answers 404 Not Found', async () => {
    const e = await failure(
      octokit.rest.teams.listMembersInOrg({ org: 'acme', team_slug: 'ghosts' })
    )
    expect(e.status).toBe(404)
    expect(e.response.data.message).toBe('Not Found')
  })
})
