import { describe, expect, test } from '@jest/globals'
import { client, failure, lazyClient, newRepo, OWNER, TOKENS, useTestEmulator } from '../support.js'

const emulator = useTestEmulator()
const owner = lazyClient(emulator, TOKENS.owner)
const anonymous = lazyClient(emulator)

describe('repositories', () => {
  test("repos/get: owner, default_branch, private, full_name and the caller's permissions", async () => {
    const repo = 'repo-get-' + process.pid
    await emulator.admin.createRepo({ full_name: `${OWNER}/${repo}`, default_branch: 'trunk' })
    const res = await owner.rest.repos.get({ owner: OWNER, repo })
    expect(res.data).toMatchObject({
      name: repo,
      full_name: `${OWNER}/${repo}`,
      private: false,
      default_branch: 'trunk',
      owner: { login: OWNER, type: 'User' },
      url: `${emulator.url}/repos/${OWNER}/${repo}`,
      permissions: { admin: true, push: true, pull: true }
    })
    const reader = await client(emulator, TOKENS.reader).rest.repos.get({ owner: OWNER, repo })
    expect(reader.data.permissions).toEqual({
      admin: false,
      maintain: false,
      push: false,
      triage: false,
      pull: true
    })
    const anon = await anonymous.rest.repos.get({ owner: OWNER, repo })
    expect(anon.data.permissions).toBeUndefined()
  })

  test('repos/get: an Organization-owned repository reports owner type Organization', async () => {
    await emulator.admin.createRepo({ full_name: 'acme-org/repo-org', owner_type: 'Organization' })
    const res = await owner.rest.repos.get({ owner: 'acme-org', repo: 'repo-org' })
    expect(res.data.owner).toMatchObject({ login: 'acme-org', type: 'Organization' })
  })

  test('repos/get-collaborator-permission-level: admin owner, write, read, none on private, 404 unknown user', async () => {
    const pub = await newRepo(emulator, 'perm-public')
    const priv = await newRepo(emulator, 'perm-private', { private: true })
    const level = async (r: { owner: string; repo: string }, username: string) =>
      (await owner.rest.repos.getCollaboratorPermissionLevel({ ...r, username })).data
    expect(await level(pub, 'octo')).toMatchObject({
      permission: 'admin',
      role_name: 'admin',
      user: { login: 'octo' }
    })
    expect((await level(pub, 'writer')).permission).toBe('write')
    expect((await level(pub, 'reader')).permission).toBe('read')
    expect((await level(priv, 'reader')).permission).toBe('read')
    expect((await level(priv, 'hubstore-app[bot]')).permission).toBe('write')
    await emulator.admin.createToken({
      token: 'tok-scoped',
      login: 'scoped',
      permission: 'write',
      repos: [`octo/${pub.repo}`]
    })
    expect((await level(pub, 'scoped')).permission).toBe('write')
    expect((await level(priv, 'scoped')).permission).toBe('none')
    const e = await failure(
      owner.rest.repos.getCollaboratorPermissionLevel({ ...pub, username: 'nobody-here' })
    )
    expect(e.status).toBe(404)
    expect(e.response.data.message).toBe('Not Found')
  })

  test("users/get-authenticated: the token's user (User or Bot); anonymous answers 401", async () => {
    const me = await owner.rest.users.getAuthenticated()
    expect(me.data).toMatchObject({ login: 'octo', type: 'User', site_admin: false })
    const bot = await client(emulator, TOKENS.botRead).rest.users.getAuthenticated()
    expect(bot.data).toMatchObject({ login: 'github-actions[bot]', type: 'Bot' })
    const e = await failure(anonymous.rest.users.getAuthenticated())
    expect(e.status).toBe(401)
    expect(e.response.data.message).toBe('Requires authentication')
  })
})

describe('authentication and permissions', () => {
  test('auth: an unknown token answers 401 Bad credentials', async () => {
    const r = await newRepo(emulator, 'auth-bad')
    const e = await failure(client(emulator, 'nope').rest.repos.get(r))
    expect(e.status).toBe(401)
    expect(e.response.data).toEqual({
      message: 'Bad credentials',
      documentation_url: 'https://docs.github.com/rest',
      status: '401'
    })
  })

  test('auth: "Bearer" works like "token"', async () => {
    const res = await anonymous.request('GET /user', {
      headers: { authorization: `Bearer ${TOKENS.writer}` }
    })
    expect(res.data.login).toBe('writer')
  })

  test('auth: anonymous reads of a public repo work; writes answer 401 Requires authentication', async () => {
    const r = await newRepo(emulator, 'auth-anon')
    await owner.rest.issues.create({ ...r, title: 't' })
    const issue = await anonymous.rest.issues.get({ ...r, issue_number: 1 })
    expect(issue.data.title).toBe('t')
    const e = await failure(anonymous.rest.issues.create({ ...r, title: 'x' }))
    expect(e.status).toBe(401)
    expect(e.response.data.message).toBe('Requires authentication')
  })

  test('auth: a private repo is 404 Not Found anonymously and for a token not covering it', async () => {
    const r = await newRepo(emulator, 'auth-private', { private: true })
    await emulator.admin.createToken({
      token: 'tok-elsewhere',
      login: 'elsewhere',
      permission: 'admin',
      repos: ['octo/other']
    })
    for (const token of [undefined, 'tok-elsewhere']) {
      const e = await failure(client(emulator, token).rest.repos.get(r))
      expect(e.status).toBe(404)
      expect(e.response.data.message).toBe('Not Found')
    }
    const ok = await client(emulator, TOKENS.reader).rest.repos.get(r)
    expect(ok.data.private).toBe(true)
  })

  test('auth: a read-only Bot token writing answers 403 Resource not accessible by integration', async () => {
    const r = await newRepo(emulator, 'auth-bot')
    const bot = client(emulator, TOKENS.botRead)
    for (const attempt of [
      bot.rest.issues.create({ ...r, title: 't' }),
      bot.rest.issues.createLabel({ ...r, name: 'x' })
    ]) {
      const e = await failure(attempt)
      expect(e.status).toBe(403)
      expect(e.response.data.message).toBe('Resource not accessible by integration')
    }
    const list = await bot.rest.issues.listForRepo(r)
    expect(list.status).toBe(200)
  })

  test('auth: a read-only user opens issues and comments (as on github.com) but cannot manage labels', async () => {
    const r = await newRepo(emulator, 'auth-reader')
    const reader = client(emulator, TOKENS.reader)
    const issue = await reader.rest.issues.create({
      ...r,
      title: 'from reader',
      labels: ['dropped']
    })
    expect(issue.data.labels).toEqual([])
    expect(issue.data.author_association).toBe('NONE')
    const comment = await reader.rest.issues.createComment({ ...r, issue_number: 1, body: 'hi' })
    expect(comment.status).toBe(201)
    const e = await failure(reader.rest.issues.createLabel({ ...r, name: 'x' }))
    expect(e.status).toBe(403)
    expect(e.response.data.message).toBe('Must have admin rights to Repository.')
    const add = await failure(
      reader.rest.issues.addLabels({ ...r, issue_number: 1, labels: ['x'] })
    )
    expect(add.status).toBe(403)
    expect(add.response.data.message).toBe('Must have admin rights to Repository.')
  })

  test('auth: a read-only user writing labels in a private repo answers 404 Not Found', async () => {
    const r = await newRepo(emulator, 'auth-reader-private', { private: true })
    const e = await failure(
      client(emulator, TOKENS.reader).rest.issues.createLabel({ ...r, name: 'x' })
    )
    expect(e.status).toBe(404)
    expect(e.response.data.message).toBe('Not Found')
  })

  test("auth: a user without push access cannot edit someone else's issue", async () => {
    const r = await newRepo(emulator, 'auth-edit')
    await owner.rest.issues.create({ ...r, title: 't' })
    const e = await failure(
      client(emulator, TOKENS.outsider).rest.issues.update({
        ...r,
        issue_number: 1,
        state: 'closed'
      })
    )
    expect(e.status).toBe(403)
    expect(e.response.data.message).toBe('Must have admin rights to Repository.')
    const own = await client(emulator, TOKENS.outsider).rest.issues.create({ ...r, title: 'mine' })
    const closed = await client(emulator, TOKENS.outsider).rest.issues.update({
      ...r,
      issue_number: own.data.number,
      state: 'closed'
    })
    expect(closed.data.state).toBe('closed')
  })
})
