/**
 * Issue 10 item 6: tokens and logins that are also prototype members (`constructor`,
 * `toString`, `hasOwnProperty`, `__proto__`) behave like any other token and login — unknown
 * ones are 401 `Bad credentials`, registered ones authenticate as their user — also after the
 * state was saved and loaded again.
 */
import { afterAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startEmulator, type Emulator } from '../../src/index.js'
import { T0, TestOctokit } from '../support.js'

const NAMES = ['constructor', 'toString', 'hasOwnProperty', '__proto__']
const dir = mkdtempSync(join(tmpdir(), 'hubstore-prototype-names-'))
const started: Emulator[] = []
afterAll(async () => {
  for (const e of started) await e.close()
  rmSync(dir, { recursive: true, force: true })
})

async function start(): Promise<Emulator> {
  const emulator = await startEmulator({ now: () => T0, dataDir: dir })
  started.push(emulator)
  return emulator
}

function client(emulator: Emulator, token: string) {
  return new TestOctokit({ auth: token, baseUrl: emulator.url })
}

async function statusOf(p: Promise<unknown>): Promise<number | string> {
  return p.then(
    () => 200,
    (e: { status?: number; response?: { data?: { message?: string } } }) =>
      `${e.status} ${e.response?.data?.message}`
  )
}

describe('prototype-member tokens and logins', () => {
  it('unknown: each name as a token is 401 Bad credentials', async () => {
    const emulator = await start()
    for (const token of NAMES)
      expect({
        token,
        answer: await statusOf(client(emulator, token).rest.users.getAuthenticated())
      }).toEqual({ token, answer: '401 Bad credentials' })
    await emulator.close()
    started.pop()
  })

  it('registered: each name as a token and a login authenticates, owns a repository, and survives a restart', async () => {
    let emulator = await start()
    for (const name of NAMES) {
      await emulator.admin.createToken({ token: name, login: name, permission: 'admin' })
      await emulator.admin.createRepo({ full_name: `${name}/repo` })
    }
    for (const name of NAMES) {
      const { data } = await client(emulator, name).rest.users.getAuthenticated()
      expect(data.login).toBe(name)
      const { data: repo } = await client(emulator, name).rest.repos.get({
        owner: name,
        repo: 'repo'
      })
      expect(repo.full_name).toBe(`${name}/repo`)
      expect(repo.owner.login).toBe(name)
    }
    await emulator.close()
    started.pop()
    emulator = await start()
    for (const name of NAMES) {
      const { data } = await client(emulator, name).rest.users.getAuthenticated()
      expect(data.login).toBe(name)
    }
  })
})
