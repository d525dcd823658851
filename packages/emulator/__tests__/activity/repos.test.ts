import { afterEach, beforeEach, describe, expect, test } from '@jest/globals'
import type { DomainEvent } from '../../src/index.js'
import { failure, lazyClient, OWNER, TOKENS, uniqueRepo, useTestEmulator } from '../support.js'

const emulator = useTestEmulator()
const octokit = lazyClient(emulator, TOKENS.owner)
const writer = lazyClient(emulator, TOKENS.writer)
const reader = lazyClient(emulator, TOKENS.reader)

let events: DomainEvent[] = []
let unsubscribe: () => void = () => {}
beforeEach(() => {
  events = []
  unsubscribe = emulator.events.subscribe((e) => events.push(e))
})
afterEach(() => unsubscribe())

describe('activity: repositories created, listed, renamed, deleted', () => {
  test('repos/create-for-authenticated-user and list-for-authenticated-user; created event; 422 for a taken name', async () => {
    const name = uniqueRepo('act-user')
    const created = await octokit.rest.repos.createForAuthenticatedUser({
      name,
      private: true,
      description: 'made by the API',
      auto_init: true
    })
    expect(created.status).toBe(201)
    expect(created.data).toMatchObject({
      full_name: `${OWNER}/${name}`,
      private: true,
      description: 'made by the API',
      default_branch: 'main',
      permissions: { admin: true }
    })
    const readme = await octokit.rest.repos.getContent({
      owner: OWNER,
      repo: name,
      path: 'README.md'
    })
    expect(readme.status).toBe(200)
    expect(events).toEqual([
      { name: 'repository', action: 'created', repo: `${OWNER}/${name}`, sender: OWNER }
    ])
    const taken = await failure(octokit.rest.repos.createForAuthenticatedUser({ name }))
    expect(taken.status).toBe(422)
    expect(taken.response.data).toMatchObject({
      message: 'Repository creation failed.',
      errors: [
        {
          resource: 'Repository',
          code: 'custom',
          field: 'name',
          message: 'name already exists on this account'
        }
      ]
    })
    expect(
      (await failure(reader.rest.repos.createForAuthenticatedUser({ name: 'x' }))).status
    ).toBe(403)

    const mine = await octokit.paginate(octokit.rest.repos.listForAuthenticatedUser, {
      per_page: 100
    })
    expect(mine.map((r) => r.full_name)).toContain(`${OWNER}/${name}`)
    const names = mine.map((r) => r.full_name.toLowerCase())
    expect(names).toEqual([...names].sort())
    const publicOnly = await octokit.paginate(octokit.rest.repos.listForAuthenticatedUser, {
      visibility: 'public',
      per_page: 100
    })
    expect(publicOnly.map((r) => r.full_name)).not.toContain(`${OWNER}/${name}`)
    // /user/repos lists what the user owns or was given, not every repository a read token can see
    const theirs = await reader.paginate(reader.rest.repos.listForAuthenticatedUser, {
      per_page: 100
    })
    expect(theirs.map((r) => r.full_name)).not.toContain(`${OWNER}/${name}`)
  })

  test('repos/create-in-org and list-for-org (sort created desc by default); 404 unknown org; 403 without admin', async () => {
    const org = `act-org-${process.pid}`
    await emulator.admin.createRepo({ full_name: `${org}/seed`, owner_type: 'Organization' })
    await emulator.admin.advanceClock(1000)
    const a = await octokit.rest.repos.createInOrg({ org, name: 'alpha' })
    expect(a.data).toMatchObject({ full_name: `${org}/alpha`, organization: { login: org } })
    await emulator.admin.advanceClock(1000)
    await octokit.rest.repos.createInOrg({ org, name: 'beta', private: true })
    const listed = await octokit.rest.repos.listForOrg({ org })
    expect(listed.data.map((r) => r.name)).toEqual(['beta', 'alpha', 'seed'])
    const byName = await octokit.rest.repos.listForOrg({ org, sort: 'full_name' })
    expect(byName.data.map((r) => r.name)).toEqual(['alpha', 'beta', 'seed'])
    const anonymous = await lazyClient(emulator).rest.repos.listForOrg({ org })
    expect(anonymous.data.map((r) => r.name)).toEqual(['alpha', 'seed'])
    expect((await failure(octokit.rest.repos.listForOrg({ org: 'no-such-org' }))).status).toBe(404)
    expect(
      (await failure(octokit.rest.repos.createInOrg({ org: 'no-such-org', name: 'x' }))).status
    ).toBe(404)
    expect((await failure(writer.rest.repos.createInOrg({ org, name: 'gamma' }))).status).toBe(403)
  })

  test('repos/update renames: the old name answers 301 to the new one (Octokit follows it); renamed event; git moves too', async () => {
    const name = uniqueRepo('act-rename')
    await octokit.rest.repos.createForAuthenticatedUser({ name, auto_init: true })
    const before = await octokit.rest.repos.get({ owner: OWNER, repo: name })
    events = []
    const renamed = await octokit.rest.repos.update({
      owner: OWNER,
      repo: name,
      name: `${name}-new`
    })
    expect(renamed.data).toMatchObject({ name: `${name}-new`, id: before.data.id })
    expect(events).toEqual([
      {
        name: 'repository',
        action: 'renamed',
        repo: `${OWNER}/${name}-new`,
        sender: OWNER,
        changes: { repository: { name: { from: name } } }
      }
    ])
    const raw = await fetch(`${emulator.url}/repos/${OWNER}/${name}`, {
      headers: { authorization: `token ${TOKENS.owner}` },
      redirect: 'manual'
    })
    expect(raw.status).toBe(301)
    const location = `${emulator.url}/repos/${OWNER}/${name}-new`
    expect(raw.headers.get('location')).toBe(location)
    expect(await raw.json()).toMatchObject({ message: 'Moved Permanently', url: location })
    const followed = await octokit.rest.repos.get({ owner: OWNER, repo: name })
    expect(followed.data.full_name).toBe(`${OWNER}/${name}-new`)
    const readme = await octokit.rest.repos.getContent({
      owner: OWNER,
      repo: `${name}-new`,
      path: 'README.md'
    })
    expect(readme.status).toBe(200)
    const patch = await fetch(`${emulator.url}/repos/${OWNER}/${name}`, {
      method: 'PATCH',
      headers: { authorization: `token ${TOKENS.owner}`, 'content-type': 'application/json' },
      body: '{}',
      redirect: 'manual'
    })
    expect(patch.status).toBe(307)
    expect(
      (await failure(writer.rest.repos.update({ owner: OWNER, repo: `${name}-new`, name: 'x' })))
        .status
    ).toBe(403)
  })

  test('repos/delete: 204, then 404 and no redirect; deleted event carries the repository as GET answered it', async () => {
    const name = uniqueRepo('act-delete')
    await octokit.rest.repos.createForAuthenticatedUser({ name })
    await octokit.rest.repos.update({ owner: OWNER, repo: name, name: `${name}-2` })
    const shown = await octokit.rest.repos.get({ owner: OWNER, repo: `${name}-2` })
    expect(
      (await failure(writer.rest.repos.delete({ owner: OWNER, repo: `${name}-2` }))).status
    ).toBe(403)
    events = []
    const res = await octokit.rest.repos.delete({ owner: OWNER, repo: `${name}-2` })
    expect(res.status).toBe(204)
    expect(events).toEqual([
      {
        name: 'repository',
        action: 'deleted',
        repo: `${OWNER}/${name}-2`,
        sender: OWNER,
        snapshot: shown.data
      }
    ])
    expect(
      (await failure(octokit.rest.repos.get({ owner: OWNER, repo: `${name}-2` }))).status
    ).toBe(404)
    expect((await failure(octokit.rest.repos.get({ owner: OWNER, repo: name }))).status).toBe(404)
    // the name is free again
    const again = await octokit.rest.repos.createForAuthenticatedUser({ name: `${name}-2` })
    expect(again.status).toBe(201)
  })
})
