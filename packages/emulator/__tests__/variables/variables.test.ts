import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from '@jest/globals'
import { LIMITS } from '../../src/index.js'
import {
  client,
  failure,
  GITHUB_TIME,
  lazyClient,
  newRepo,
  registerTokens,
  startTestEmulator,
  TOKENS,
  useTestEmulator
} from '../support.js'

const emulator = useTestEmulator()
const owner = lazyClient(emulator, TOKENS.owner)

/** Creates `names` (value = name) with at most 10 requests in flight. */
async function createMany(r: { owner: string; repo: string }, names: string[]): Promise<void> {
  for (let i = 0; i < names.length; i += 10)
    await Promise.all(
      names
        .slice(i, i + 10)
        .map((name) => owner.rest.actions.createRepoVariable({ ...r, name, value: name }))
    )
}

describe('actions variables', () => {
  test('createRepoVariable: 201 with an empty object; the name is stored and returned upper-cased', async () => {
    const r = await newRepo(emulator, 'var-create')
    const created = await owner.rest.actions.createRepoVariable({
      ...r,
      name: 'my_Var',
      value: 'hello'
    })
    expect(created.status).toBe(201)
    expect(created.data).toEqual({})
    const got = await owner.rest.actions.getRepoVariable({ ...r, name: 'MY_VAR' })
    expect(got.data).toEqual({
      name: 'MY_VAR',
      value: 'hello',
      created_at: expect.stringMatching(GITHUB_TIME),
      updated_at: expect.stringMatching(GITHUB_TIME)
    })
  })

  test('getRepoVariable: lookups are case-insensitive; an unknown name is 404 Not Found', async () => {
    const r = await newRepo(emulator, 'var-get')
    await owner.rest.actions.createRepoVariable({ ...r, name: 'COLOUR', value: 'blue' })
    const lower = await owner.rest.actions.getRepoVariable({ ...r, name: 'colour' })
    expect(lower.data.name).toBe('COLOUR')
    const e = await failure(owner.rest.actions.getRepoVariable({ ...r, name: 'NOPE' }))
    expect(e.status).toBe(404)
    expect(e.response.data.message).toBe('Not Found')
  })

  test('createRepoVariable: an existing name (any case) is 409 Already exists - Variable already exists', async () => {
    const r = await newRepo(emulator, 'var-dup')
    await owner.rest.actions.createRepoVariable({ ...r, name: 'TOKEN_URL', value: 'a' })
    const e = await failure(
      owner.rest.actions.createRepoVariable({ ...r, name: 'token_url', value: 'b' })
    )
    expect(e.status).toBe(409)
    expect(e.response.data.message).toBe('Already exists - Variable already exists')
    const kept = await owner.rest.actions.getRepoVariable({ ...r, name: 'TOKEN_URL' })
    expect(kept.data.value).toBe('a')
  })

  test('updateRepoVariable: 204; changes the value, renames (upper-cased) and bumps updated_at', async () => {
    const r = await newRepo(emulator, 'var-update')
    await owner.rest.actions.createRepoVariable({ ...r, name: 'OLD', value: 'one' })
    await emulator.admin.advanceClock(60_000)
    const patched = await owner.rest.actions.updateRepoVariable({
      ...r,
      name: 'old',
      value: 'two'
    })
    expect(patched.status).toBe(204)
    const renamed = await owner.request('PATCH /repos/{owner}/{repo}/actions/variables/{name}', {
      ...r,
      name: 'OLD',
      data: { name: 'new_name' }
    })
    expect(renamed.status).toBe(204)
    const got = await owner.rest.actions.getRepoVariable({ ...r, name: 'NEW_NAME' })
    expect(got.data.value).toBe('two')
    expect(Date.parse(got.data.updated_at)).toBe(Date.parse(got.data.created_at) + 60_000)
    const gone = await failure(owner.rest.actions.getRepoVariable({ ...r, name: 'OLD' }))
    expect(gone.status).toBe(404)
  })

  test('updateRepoVariable: renaming onto another existing name is 409; an unknown name is 404', async () => {
    const r = await newRepo(emulator, 'var-rename')
    await createMany(r, ['A', 'B'])
    const clash = await failure(
      owner.request('PATCH /repos/{owner}/{repo}/actions/variables/{name}', {
        ...r,
        name: 'A',
        data: { name: 'b' }
      })
    )
    expect(clash.status).toBe(409)
    expect(clash.response.data.message).toBe('Already exists - Variable already exists')
    const missing = await failure(
      owner.rest.actions.updateRepoVariable({ ...r, name: 'C', value: 'x' })
    )
    expect(missing.status).toBe(404)
    expect(missing.response.data.message).toBe('Not Found')
  })

  test('deleteRepoVariable: 204, then the variable is gone (404 on get and on a second delete)', async () => {
    const r = await newRepo(emulator, 'var-delete')
    await owner.rest.actions.createRepoVariable({ ...r, name: 'TEMP', value: 'x' })
    const deleted = await owner.rest.actions.deleteRepoVariable({ ...r, name: 'temp' })
    expect(deleted.status).toBe(204)
    for (const p of [
      owner.rest.actions.getRepoVariable({ ...r, name: 'TEMP' }),
      owner.rest.actions.deleteRepoVariable({ ...r, name: 'TEMP' })
    ]) {
      const e = await failure(p)
      expect(e.status).toBe(404)
      expect(e.response.data.message).toBe('Not Found')
    }
  })

  test('listRepoVariables: {total_count, variables} sorted by name, default 10 per page, max 30, link pagination over 45', async () => {
    const r = await newRepo(emulator, 'var-list')
    const names = Array.from({ length: 45 }, (_, i) => `VAR_${String(i).padStart(2, '0')}`)
    await createMany(r, [...names].reverse())
    const first = await owner.rest.actions.listRepoVariables(r)
    expect(first.data.total_count).toBe(45)
    expect(first.data.variables.map((v) => v.name)).toEqual(names.slice(0, 10))
    expect(first.data.variables[0]).toEqual({
      name: 'VAR_00',
      value: 'VAR_00',
      created_at: expect.stringMatching(GITHUB_TIME),
      updated_at: expect.stringMatching(GITHUB_TIME)
    })
    const p1 = await owner.rest.actions.listRepoVariables({ ...r, per_page: 30 })
    expect(p1.data.variables).toHaveLength(30)
    const base = `${emulator.url}/repos/${r.owner}/${r.repo}/actions/variables?per_page=30`
    expect(p1.headers.link).toBe(`<${base}&page=2>; rel="next", <${base}&page=2>; rel="last"`)
    const p2 = await owner.rest.actions.listRepoVariables({ ...r, per_page: 30, page: 2 })
    expect(p2.data.total_count).toBe(45)
    expect(p2.data.variables.map((v) => v.name)).toEqual(names.slice(30))
    const clamped = await owner.rest.actions.listRepoVariables({ ...r, per_page: 100 })
    expect(clamped.data.variables).toHaveLength(30)
    const all = await owner.paginate(owner.rest.actions.listRepoVariables, { ...r, per_page: 30 })
    expect(all.map((v) => v.name)).toEqual(names)
  })

  test('createRepoVariable: names with other characters than [A-Za-z0-9_], a leading digit or GITHUB_ are 422', async () => {
    const r = await newRepo(emulator, 'var-names')
    const cases: Array<[string, string]> = [
      [
        'MY-VAR',
        'Variable name can only contain alphanumeric characters ([a-z], [A-Z], [0-9]) or underscores (_).'
      ],
      [
        'has space',
        'Variable name can only contain alphanumeric characters ([a-z], [A-Z], [0-9]) or underscores (_).'
      ],
      [
        '',
        'Variable name can only contain alphanumeric characters ([a-z], [A-Z], [0-9]) or underscores (_).'
      ],
      ['1ABC', 'Variable name must not start with a number.'],
      ['GITHUB_SHA', 'Variable name must not start with the GITHUB_ prefix.'],
      ['github_token', 'Variable name must not start with the GITHUB_ prefix.']
    ]
    for (const [name, message] of cases) {
      const e = await failure(owner.rest.actions.createRepoVariable({ ...r, name, value: 'v' }))
      expect([name, e.status, e.response.data.message]).toEqual([name, 422, message])
    }
    for (const name of ['_LEADING_UNDERSCORE', 'A1', 'GITHUB', 'MY_GITHUB_VAR']) {
      const ok = await owner.rest.actions.createRepoVariable({ ...r, name, value: 'v' })
      expect(ok.status).toBe(201)
    }
    const rename = await failure(
      owner.request('PATCH /repos/{owner}/{repo}/actions/variables/{name}', {
        ...r,
        name: 'A1',
        data: { name: 'GITHUB_X' }
      })
    )
    expect([rename.status, rename.response.data.message]).toEqual([
      422,
      'Variable name must not start with the GITHUB_ prefix.'
    ])
    const missing = await failure(
      owner.request(`POST /repos/${r.owner}/${r.repo}/actions/variables`, { data: { value: 'v' } })
    )
    expect(missing.status).toBe(422)
    expect(missing.response.data.message).toBe('Invalid request.\n\n"name" wasn\'t supplied.')
  })

  test('createRepoVariable: values up to 48 KB (49,152 UTF-8 bytes) are kept; one byte more is 422', async () => {
    const r = await newRepo(emulator, 'var-size')
    expect(LIMITS.VARIABLE_VALUE_MAX_BYTES).toBe(49_152)
    const euro = '€'.repeat(49_152 / 3) // 3 bytes each
    await owner.rest.actions.createRepoVariable({ ...r, name: 'FULL', value: euro })
    expect((await owner.rest.actions.getRepoVariable({ ...r, name: 'FULL' })).data.value).toBe(euro)
    const message = 'Variable value is too large (maximum is 49152 bytes).'
    const over = await failure(
      owner.rest.actions.createRepoVariable({ ...r, name: 'OVER', value: `${euro}x` })
    )
    expect([over.status, over.response.data.message]).toEqual([422, message])
    const ascii = await failure(
      owner.rest.actions.createRepoVariable({ ...r, name: 'OVER', value: 'x'.repeat(49_153) })
    )
    expect([ascii.status, ascii.response.data.message]).toEqual([422, message])
    const patch = await failure(
      owner.rest.actions.updateRepoVariable({ ...r, name: 'FULL', value: 'x'.repeat(49_153) })
    )
    expect([patch.status, patch.response.data.message]).toEqual([422, message])
  })

  test('createRepoVariable: the 501st variable of a repository is 422', async () => {
    const r = await newRepo(emulator, 'var-500')
    const names = Array.from({ length: 500 }, (_, i) => `V${i}`)
    await createMany(r, names)
    const e = await failure(
      owner.rest.actions.createRepoVariable({ ...r, name: 'ONE_MORE', value: 'x' })
    )
    expect(e.status).toBe(422)
    expect(e.response.data.message).toBe('Repository variable limit reached (maximum is 500).')
    expect((await owner.rest.actions.listRepoVariables(r)).data.total_count).toBe(500)
    await owner.rest.actions.deleteRepoVariable({ ...r, name: 'V0' })
    const after = await owner.rest.actions.createRepoVariable({
      ...r,
      name: 'ONE_MORE',
      value: 'x'
    })
    expect(after.status).toBe(201)
  })

  test('variables: a Bot token (GITHUB_TOKEN stand-in) gets 403 Resource not accessible by integration on every endpoint', async () => {
    const r = await newRepo(emulator, 'var-bot')
    await owner.rest.actions.createRepoVariable({ ...r, name: 'SEEN', value: 'x' })
    for (const token of [TOKENS.botRead, TOKENS.botWrite]) {
      const bot = client(emulator, token)
      const calls = [
        bot.rest.actions.listRepoVariables(r),
        bot.rest.actions.createRepoVariable({ ...r, name: 'NEW', value: 'x' }),
        bot.rest.actions.getRepoVariable({ ...r, name: 'SEEN' }),
        bot.rest.actions.updateRepoVariable({ ...r, name: 'SEEN', value: 'y' }),
        bot.rest.actions.deleteRepoVariable({ ...r, name: 'SEEN' })
      ]
      for (const call of calls) {
        const e = await failure(call)
        expect([e.status, e.response.data.message]).toEqual([
          403,
          'Resource not accessible by integration'
        ])
      }
    }
    expect((await owner.rest.actions.getRepoVariable({ ...r, name: 'SEEN' })).data.value).toBe('x')
  })

  test('variables: push access is needed; read-only users get 403 (public) / 404 (private), anonymous 401', async () => {
    const pub = await newRepo(emulator, 'var-perm')
    const priv = await newRepo(emulator, 'var-perm-private', { private: true })
    const writer = client(emulator, TOKENS.writer)
    await writer.rest.actions.createRepoVariable({ ...pub, name: 'BY_WRITER', value: 'w' })
    expect((await writer.rest.actions.listRepoVariables(pub)).data.total_count).toBe(1)
    const reader = client(emulator, TOKENS.reader)
    const denied = await failure(reader.rest.actions.listRepoVariables(pub))
    expect([denied.status, denied.response.data.message]).toEqual([
      403,
      'Must have admin rights to Repository.'
    ])
    await emulator.admin.createToken({
      token: 'tok-var-reader-private',
      login: 'var-reader',
      permission: 'read',
      repos: [`${priv.owner}/${priv.repo}`]
    })
    const privReader = client(emulator, 'tok-var-reader-private')
    const hidden = await failure(privReader.rest.actions.getRepoVariable({ ...priv, name: 'X' }))
    expect([hidden.status, hidden.response.data.message]).toEqual([404, 'Not Found'])
    const anon = await failure(client(emulator).rest.actions.listRepoVariables(pub))
    expect([anon.status, anon.response.data.message]).toEqual([401, 'Requires authentication'])
  })

  test('variables: kept across a restart with dataDir; gone after an admin reset', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'hubstore-vars-'))
    try {
      const first = await startTestEmulator({ dataDir })
      await first.admin.createRepo({ full_name: 'octo/persist-vars' })
      const r = { owner: 'octo', repo: 'persist-vars' }
      await client(first, TOKENS.owner).rest.actions.createRepoVariable({
        ...r,
        name: 'kept',
        value: 'yes'
      })
      await first.close()
      const second = await startTestEmulator({ dataDir })
      try {
        const again = client(second, TOKENS.owner)
        expect((await again.rest.actions.getRepoVariable({ ...r, name: 'KEPT' })).data.value).toBe(
          'yes'
        )
        await second.admin.reset()
        await registerTokens(second)
        await second.admin.createRepo({ full_name: 'octo/persist-vars' })
        expect((await again.rest.actions.listRepoVariables(r)).data).toEqual({
          total_count: 0,
          variables: []
        })
      } finally {
        await second.close()
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true })
    }
  })
})
