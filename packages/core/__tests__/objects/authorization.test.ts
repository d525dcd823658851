import { describe, expect, it } from '@jest/globals'
import {
  Authorizer,
  grantsWrite,
  parseCodeowners,
  type AuthorizationSource
} from '../../src/objects/authorization.js'

/** A fake GitHub that records which lookups were made. */
function fakeSource(setup: {
  permissions?: Record<string, string>
  codeowners?: string
  teams?: Record<string, string[] | string>
}): AuthorizationSource & { calls: string[] } {
  const calls: string[] = []
  return {
    calls,
    async permission(login) {
      calls.push(`permission ${login}`)
      const permission = setup.permissions?.[login.toLowerCase()]
      return permission === undefined ? undefined : { permission, role_name: permission }
    },
    async codeowners() {
      calls.push('codeowners')
      return setup.codeowners
    },
    async teamMembers(org, slug) {
      calls.push(`team ${org}/${slug}`)
      const members = setup.teams?.[`${org}/${slug}`]
      return typeof members === 'string'
        ? members
        : new Set((members ?? []).map((m) => m.toLowerCase()))
    }
  }
}

describe('parseCodeowners', () => {
  it('parseCodeowners: collects @users and @org/teams from every line, ignoring paths, e-mails and comments', () => {
    const parsed = parseCodeowners(
      [
        '# owners',
        '',
        '*       @Alice @acme/Data-Team',
        '/docs/  bob@example.com @carol # lead',
        '*.js @acme/data-team',
        '# @mallory'
      ].join('\n')
    )
    expect([...parsed.users].sort()).toEqual(['alice', 'carol'])
    expect(parsed.teams).toEqual([{ org: 'acme', slug: 'Data-Team' }])
  })
})

describe('grantsWrite', () => {
  it('grantsWrite: admin, maintain and write grant; triage, read and none do not', () => {
    expect(grantsWrite({ permission: 'admin' })).toBe(true)
    expect(grantsWrite({ permission: 'write', role_name: 'maintain' })).toBe(true)
    expect(grantsWrite({ permission: 'write' })).toBe(true)
    expect(grantsWrite({ permission: 'read', role_name: 'triage' })).toBe(false)
    expect(grantsWrite({ permission: 'read' })).toBe(false)
    expect(grantsWrite({ permission: 'none' })).toBe(false)
  })
})

describe('Authorizer', () => {
  it('decide: the repository owner is authorised without any request, case-insensitively', async () => {
    const source = fakeSource({})
    const decision = await new Authorizer('OctoCat', source).decide('octocat')
    expect(decision).toMatchObject({ authorized: true, via: 'owner' })
    expect(source.calls).toEqual([])
  })

  it('decide: a write collaborator is authorised by the permission endpoint, before CODEOWNERS is read', async () => {
    const source = fakeSource({ permissions: { wendy: 'write' }, codeowners: '* @someone' })
    expect(await new Authorizer('octocat', source).decide('Wendy')).toMatchObject({
      authorized: true,
      via: 'permission'
    })
    expect(source.calls).toEqual(['permission Wendy'])
  })

  it('decide: a CODEOWNERS user is authorised; CODEOWNERS is read once per run', async () => {
    const source = fakeSource({ permissions: { rita: 'read' }, codeowners: '* @Carol @rita' })
    const authorizer = new Authorizer('octocat', source)
    expect(await authorizer.decide('carol')).toMatchObject({ authorized: true, via: 'codeowners' })
    expect(await authorizer.decide('rita')).toMatchObject({ authorized: true, via: 'codeowners' })
    expect(await authorizer.decide('CAROL')).toMatchObject({ authorized: true })
    expect(source.calls).toEqual(['permission carol', 'codeowners', 'permission rita'])
  })

  it('decide: a member of a CODEOWNERS team is authorised; teams are expanded lazily and cached', async () => {
    const source = fakeSource({
      codeowners: '* @acme/gone @acme/data\n/x @acme/other',
      teams: { 'acme/gone': 'GitHub answered 404', 'acme/data': ['Tina'], 'acme/other': ['olga'] }
    })
    const authorizer = new Authorizer('acme', source)
    expect(await authorizer.decide('tina')).toMatchObject({
      authorized: true,
      via: 'codeowners-team'
    })
    expect(source.calls).toEqual([
      'permission tina',
      'codeowners',
      'team acme/gone',
      'team acme/data'
    ])
    expect(await authorizer.decide('olga')).toMatchObject({ authorized: true })
    expect(source.calls.filter((c) => c.startsWith('team'))).toEqual([
      'team acme/gone',
      'team acme/data',
      'team acme/other'
    ])
  })

  it('decide: anyone else is refused with a reason naming every rule and unreadable teams', async () => {
    const source = fakeSource({
      permissions: { mallory: 'read' },
      codeowners: '* @acme/gone',
      teams: { 'acme/gone': 'GitHub answered 404' }
    })
    const decision = await new Authorizer('octocat', source).decide('mallory')
    expect(decision.authorized).toBe(false)
    expect(decision.reason).toBe(
      'mallory is not the repository owner, has no write permission and is not in CODEOWNERS (could not read team(s) @acme/gone (GitHub answered 404))'
    )
    expect(await new Authorizer('octocat', fakeSource({})).decide('x')).toMatchObject({
      authorized: false,
      reason:
        'x is not the repository owner, has no write permission and there is no CODEOWNERS file'
    })
  })

  it('decide: a deleted account (null user) is never authorised', async () => {
    const source = fakeSource({})
    expect(await new Authorizer('octocat', source).decide(null)).toMatchObject({
      authorized: false
    })
    expect(source.calls).toEqual([])
  })

  it('decide: concurrent decisions for one login share a single lookup', async () => {
    const source = fakeSource({ permissions: { wendy: 'admin' } })
    const authorizer = new Authorizer('octocat', source)
    await Promise.all([authorizer.decide('wendy'), authorizer.decide('WENDY')])
    expect(source.calls).toEqual(['permission wendy'])
  })
})
