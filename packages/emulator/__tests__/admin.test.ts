import { describe, expect, test } from '@jest/globals'
import { EmulatorAdminClient, EmulatorAdminError } from '../src/index.js'
import { client, TOKENS, uniqueRepo, useTestEmulator } from './support.js'

const emulator = useTestEmulator()

async function adminFailure(promise: Promise<unknown>): Promise<EmulatorAdminError> {
  try {
    await promise
  } catch (error) {
    if (error instanceof EmulatorAdminError) return error
    throw error
  }
  throw new Error('expected the admin call to fail')
}

describe('admin API', () => {
  test('admin createRepo: 201 with the repository; 409 when it exists', async () => {
    const name = `octo/${uniqueRepo('admin-repo')}`
    const created = (await emulator.admin.createRepo({ full_name: name })) as {
      full_name: string
      default_branch: string
    }
    expect(created).toMatchObject({ full_name: name, default_branch: 'main', private: false })
    const e = await adminFailure(emulator.admin.createRepo({ full_name: name }))
    expect(e.status).toBe(409)
  })

  test("admin createRepo: default_labels creates GitHub's nine default labels", async () => {
    const repo = uniqueRepo('admin-default-labels')
    await emulator.admin.createRepo({ full_name: `octo/${repo}`, default_labels: true })
    const labels = await client(emulator, TOKENS.owner).rest.issues.listLabelsForRepo({
      owner: 'octo',
      repo
    })
    expect(labels.data).toHaveLength(9)
    expect(labels.data.every((l) => l.default)).toBe(true)
  })

  test('admin putFile: an unknown repository answers 404; a bad token request answers 400', async () => {
    const missing = await adminFailure(emulator.admin.putFile('octo/does-not-exist', 'a.txt', 'a'))
    expect(missing.status).toBe(404)
    const bad = await adminFailure(
      emulator.admin.createToken({ token: 't', login: 'x', permission: 'owner' as never })
    )
    expect(bad.status).toBe(400)
    expect(bad.message).toContain('"permission" must be one of admin, write, read')
  })

  test('admin clock: advanceClock moves GitHub timestamps and the Date header forward', async () => {
    const repo = uniqueRepo('admin-clock')
    await emulator.admin.createRepo({ full_name: `octo/${repo}` })
    const octokit = client(emulator, TOKENS.owner)
    const a = await octokit.rest.issues.create({ owner: 'octo', repo, title: 'a' })
    const now = await emulator.admin.advanceClock(90_000)
    const b = await octokit.rest.issues.create({ owner: 'octo', repo, title: 'b' })
    expect(Date.parse(b.data.created_at) - Date.parse(a.data.created_at)).toBe(90_000)
    expect(Date.parse(now)).toBe(Date.parse(b.data.created_at))
    // The Date header follows the same clock (clients take cut-off times from it).
    expect(b.headers.date).toBe(new Date(b.data.created_at).toUTCString())
  })

  test('EmulatorAdminClient: works against a running emulator from its URL alone', async () => {
    const admin = new EmulatorAdminClient(`${emulator.url}/`)
    const repo = uniqueRepo('admin-client')
    await admin.createRepo({ full_name: `octo/${repo}`, private: true })
    await admin.createToken({
      token: 'tok-admin-client',
      login: 'ac',
      permission: 'read',
      repos: [`octo/${repo}`]
    })
    const res = await client(emulator, 'tok-admin-client').rest.repos.get({ owner: 'octo', repo })
    expect(res.data.private).toBe(true)
    const health = await fetch(`${emulator.url}/_emulator/health`)
    expect(await health.json()).toEqual({ ok: true, url: emulator.url })
  })
})
