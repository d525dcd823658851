import { generateKeyPairSync } from 'node:crypto'
import { describe, expect, test } from '@jest/globals'
import { createAppAuth } from '@octokit/auth-app'
import {
  client,
  failure,
  newRepo,
  startTestEmulator,
  TestOctokit,
  TOKENS,
  uniqueRepo,
  useTestEmulator
} from '../support.js'
import { appJwt, mintToken, newApp, OWNER, signJwt, T0_S } from './support.js'

const emulator = useTestEmulator()

describe('GitHub Apps: @octokit/auth-app against the emulator', () => {
  test('auth-app gets an installation token and uses it on repository routes', async () => {
    // auth-app signs its JWTs by the host clock, so this emulator's clock is the host's,
    // frozen at the start of the test.
    const start = new Date()
    const e = await startTestEmulator({ now: () => start })
    try {
      const repo = uniqueRepo('auth-app')
      await e.admin.createRepo({ full_name: `${OWNER}/${repo}`, private: true })
      const app = await e.admin.createApp({ slug: 'auth-app-test' })
      const installation = await e.admin.createInstallation('auth-app-test', { account: OWNER })
      const octokit = new TestOctokit({
        baseUrl: e.url,
        authStrategy: createAppAuth,
        auth: { appId: app.id, privateKey: app.private_key, installationId: installation.id }
      })
      const got = await octokit.rest.repos.get({ owner: OWNER, repo })
      expect(got.data.full_name).toBe(`${OWNER}/${repo}`)
      const created = await octokit.rest.issues.create({ owner: OWNER, repo, title: 'from an App' })
      expect(created.data.user?.login).toBe('auth-app-test[bot]')
      expect(created.data.user?.type).toBe('Bot')
      const listed = await octokit.rest.apps.listReposAccessibleToInstallation()
      expect(listed.data.repositories.map((r) => r.name)).toEqual([repo])
      expect(listed.data.repository_selection).toBe('all')
      const auth = (await octokit.auth({ type: 'installation' })) as {
        token: string
        expiresAt: string
      }
      expect(auth.token).toMatch(/^ghs_[A-Za-z0-9]{36}$/)
      expect(Date.parse(auth.expiresAt)).toBe(Math.floor(start.getTime() / 1000) * 1000 + 3_600_000)
      const self = await octokit.rest.apps.getAuthenticated()
      expect(self.data?.slug).toBe('auth-app-test')
    } finally {
      await e.close()
    }
  })
})

describe('GitHub Apps: JWT checks (emulator clock)', () => {
  test('GET /app answers the App for a valid JWT', async () => {
    const app = await newApp(emulator)
    const res = await app.jwtClient.rest.apps.getAuthenticated()
    expect(res.data).toMatchObject({ id: app.id, slug: app.slug, installations_count: 0 })
  })

  test('an expired JWT is refused with GitHub message', async () => {
    const app = await newApp(emulator)
    const jwt = signJwt(app.privateKey, { iat: T0_S - 700, exp: T0_S - 100, iss: app.id })
    const error = await failure(client(emulator, jwt).rest.apps.getAuthenticated())
    expect(error.status).toBe(401)
    expect(error.response.data.message).toBe(
      "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires"
    )
  })

  test('a JWT expires once the emulator clock passes exp', async () => {
    const e = await startTestEmulator()
    try {
      const app = await newApp(e)
      await app.jwtClient.rest.apps.getAuthenticated()
      await e.admin.advanceClock(571_000)
      const error = await failure(app.jwtClient.rest.apps.getAuthenticated())
      expect(error.status).toBe(401)
      expect(error.response.data.message).toBe(
        "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires"
      )
    } finally {
      await e.close()
    }
  })

  test('exp more than 10 minutes after iat is refused', async () => {
    const app = await newApp(emulator)
    const jwt = signJwt(app.privateKey, { iat: T0_S, exp: T0_S + 601, iss: app.id })
    const error = await failure(client(emulator, jwt).rest.apps.getAuthenticated())
    expect(error.status).toBe(401)
    expect(error.response.data.message).toBe(
      "'Expiration time' claim ('exp') is too far in the future"
    )
  })

  test('iat up to 60 s ahead of the emulator clock is accepted, further ahead refused', async () => {
    const app = await newApp(emulator)
    const ahead = (s: number) =>
      client(emulator, signJwt(app.privateKey, { iat: T0_S + s, exp: T0_S + s + 600, iss: app.id }))
    await ahead(60).rest.apps.getAuthenticated()
    const error = await failure(ahead(61).rest.apps.getAuthenticated())
    expect(error.status).toBe(401)
    expect(error.response.data.message).toBe(
      "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued"
    )
  })

  test('a JWT signed by another key, or naming an unknown App, cannot be decoded', async () => {
    const app = await newApp(emulator)
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
      type: 'pkcs1',
      format: 'pem'
    }) as string
    for (const jwt of [appJwt(other, app.id), appJwt(app.privateKey, 999_999)]) {
      const error = await failure(client(emulator, jwt).rest.apps.getAuthenticated())
      expect(error.status).toBe(401)
      expect(error.response.data.message).toBe('A JSON web token could not be decoded')
    }
  })

  test('the client id is accepted as iss', async () => {
    const created = await emulator.admin.createApp({ slug: `client-id-${process.pid}` })
    const jwt = signJwt(created.private_key, {
      iat: T0_S - 30,
      exp: T0_S + 570,
      iss: created.client_id
    })
    const res = await client(emulator, jwt).rest.apps.getAuthenticated()
    expect(res.data?.id).toBe(created.id)
  })

  test('a personal token or an installation token on an App route cannot be decoded', async () => {
    const app = await newApp(emulator)
    const installation = await emulator.admin.createInstallation(app.slug, { account: OWNER })
    const token = await mintToken(app, installation.id)
    for (const auth of [TOKENS.owner, token]) {
      const error = await failure(client(emulator, auth).rest.apps.listInstallations())
      expect(error.status).toBe(401)
      expect(error.response.data.message).toBe('A JSON web token could not be decoded')
    }
  })
})

describe('GitHub Apps: installations', () => {
  test('list and get answer only the App own installations', async () => {
    const app = await newApp(emulator)
    const other = await newApp(emulator)
    const mine = await emulator.admin.createInstallation(app.slug, { account: OWNER })
    const theirs = await emulator.admin.createInstallation(other.slug, { account: 'someone' })
    const list = await app.jwtClient.rest.apps.listInstallations()
    expect(list.data.map((i) => i.id)).toEqual([mine.id])
    expect(list.data[0]).toMatchObject({
      app_id: app.id,
      app_slug: app.slug,
      target_type: 'User',
      repository_selection: 'all',
      account: { login: OWNER }
    })
    const got = await app.jwtClient.rest.apps.getInstallation({ installation_id: mine.id })
    expect(got.data.id).toBe(mine.id)
    const error = await failure(
      app.jwtClient.rest.apps.getInstallation({ installation_id: theirs.id })
    )
    expect(error.status).toBe(404)
    expect(error.response.data.message).toBe('Not Found')
    const self = await app.jwtClient.rest.apps.getAuthenticated()
    expect(self.data?.installations_count).toBe(1)
  })

  test('the admin API refuses a taken slug and an unknown App or repository', async () => {
    const app = await newApp(emulator)
    await expect(emulator.admin.createApp({ slug: app.slug })).rejects.toMatchObject({
      status: 409
    })
    await expect(
      emulator.admin.createInstallation('no-such-app', { account: OWNER })
    ).rejects.toMatchObject({ status: 404 })
    await expect(
      emulator.admin.createInstallation(app.slug, { account: OWNER, repositories: ['nope'] })
    ).rejects.toMatchObject({ status: 404 })
  })
})

describe('GitHub Apps: installation access tokens', () => {
  test('a token reads its installation repositories and no private repository outside it', async () => {
    const app = await newApp(emulator)
    const inside = await newRepo(emulator, 'inside', { private: true })
    const unselected = await newRepo(emulator, 'unselected', { private: true })
    const elsewhere = `${uniqueRepo('elsewhere')}`
    await emulator.admin.createRepo({ full_name: `another/${elsewhere}`, private: true })
    const installation = await emulator.admin.createInstallation(app.slug, {
      account: OWNER,
      repositories: [inside.repo]
    })
    const octokit = client(emulator, await mintToken(app, installation.id))
    await octokit.rest.repos.get(inside)
    for (const r of [unselected, { owner: 'another', repo: elsewhere }]) {
      const error = await failure(octokit.rest.repos.get(r))
      expect(error.status).toBe(404)
      expect(error.response.data.message).toBe('Not Found')
    }
    const listed = await octokit.rest.apps.listReposAccessibleToInstallation()
    expect(listed.data).toMatchObject({ total_count: 1, repository_selection: 'selected' })
  })

  test('a token expires after one hour by the emulator clock', async () => {
    const e = await startTestEmulator()
    try {
      const app = await newApp(e)
      const r = await newRepo(e, 'expiry', { private: true })
      const installation = await e.admin.createInstallation(app.slug, { account: OWNER })
      const res = await app.jwtClient.rest.apps.createInstallationAccessToken({
        installation_id: installation.id
      })
      expect(res.status).toBe(201)
      expect(res.data.expires_at).toBe('2025-01-01T01:00:00Z')
      const octokit = client(e, res.data.token)
      await octokit.rest.repos.get(r)
      await e.admin.advanceClock(3_599_000)
      await octokit.rest.repos.get(r)
      await e.admin.advanceClock(1_000)
      const error = await failure(octokit.rest.repos.get(r))
      expect(error.status).toBe(401)
      expect(error.response.data.message).toBe('Bad credentials')
    } finally {
      await e.close()
    }
  })

  test('repositories and permissions narrow a token; more than granted is refused', async () => {
    const app = await newApp(emulator)
    const a = await newRepo(emulator, 'narrow-a', { private: true })
    const b = await newRepo(emulator, 'narrow-b', { private: true })
    const installation = await emulator.admin.createInstallation(app.slug, { account: OWNER })
    const res = await app.jwtClient.rest.apps.createInstallationAccessToken({
      installation_id: installation.id,
      repositories: [a.repo],
      permissions: { issues: 'read' }
    })
    expect(res.data.repository_selection).toBe('selected')
    expect(res.data.repositories?.map((r) => r.name)).toEqual([a.repo])
    expect(res.data.permissions).toEqual({ issues: 'read' })
    const narrowed = client(emulator, res.data.token)
    await narrowed.rest.repos.get(a)
    expect((await failure(narrowed.rest.repos.get(b))).status).toBe(404)
    const write = await failure(narrowed.rest.issues.create({ ...a, title: 'no' }))
    expect(write.status).toBe(403)
    expect(write.response.data.message).toBe('Resource not accessible by integration')
    const byId = (await emulator.admin.createRepo({
      full_name: `${OWNER}/${uniqueRepo('by-id')}`
    })) as { id: number; name: string }
    const idToken = await app.jwtClient.rest.apps.createInstallationAccessToken({
      installation_id: installation.id,
      repository_ids: [byId.id]
    })
    expect(idToken.data.repositories?.map((r) => r.name)).toEqual([byId.name])

    const outside = await failure(
      app.jwtClient.rest.apps.createInstallationAccessToken({
        installation_id: installation.id,
        repositories: ['not-there']
      })
    )
    expect(outside.status).toBe(422)
    expect(outside.response.data.message).toBe(
      'There is at least one repository that does not exist or is not accessible to the parent installation.'
    )
    const more = await failure(
      app.jwtClient.rest.apps.createInstallationAccessToken({
        installation_id: installation.id,
        permissions: { administration: 'write' }
      })
    )
    expect(more.status).toBe(422)
    expect(more.response.data.message).toBe(
      'The permissions requested are not granted to this installation.'
    )
  })

  test('GET /installation/repositories needs an installation token', async () => {
    const error = await failure(
      client(emulator, TOKENS.owner).rest.apps.listReposAccessibleToInstallation()
    )
    expect(error.status).toBe(403)
    expect(error.response.data.message).toBe(
      'You must authenticate with an installation access token in order to list repositories for an installation.'
    )
  })

  test('tokens of one installation share one rate-limit budget; another installation has its own', async () => {
    const app = await newApp(emulator)
    const r = await newRepo(emulator, 'budget')
    const first = await emulator.admin.createInstallation(app.slug, { account: OWNER })
    const second = await emulator.admin.createInstallation(app.slug, { account: 'other-account' })
    const one = client(emulator, await mintToken(app, first.id))
    const two = client(emulator, await mintToken(app, first.id))
    const three = client(emulator, await mintToken(app, second.id))
    const used = async (c: typeof one) => {
      const res = await c.rest.repos.get(r)
      return [res.headers['x-ratelimit-limit'], res.headers['x-ratelimit-used']]
    }
    expect(await used(one)).toEqual(['5000', '1'])
    expect(await used(two)).toEqual(['5000', '2'])
    expect(await used(three)).toEqual(['5000', '1'])
  })
})
