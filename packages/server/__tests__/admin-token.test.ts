/**
 * The admin token generated at first start: printed once, only its SHA-256 kept (in the
 * file beside the database, mode 0600), the same token accepted after a restart with nothing
 * printed again; over real HTTP against the real server and SQLite store.
 */
import { afterAll, expect, test } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createActivityService, startServer } from '@hubstore/server'
import { SECRET } from './support/deliveries.js'

const dir = mkdtempSync(join(tmpdir(), 'hubstore-admin-token-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function start(lines: string[]) {
  const service = await createActivityService({ database: `sqlite:${join(dir, 'a.db')}` })
  return startServer({
    service,
    webhookSecret: SECRET,
    adminTokenFile: join(dir, 'a.db.admin-token'),
    sweepCron: false,
    redeliveryCron: false,
    workers: 0,
    log: (line) => lines.push(line)
  })
}

const health = (url: string, token: string) =>
  fetch(`${url}/api/sync/health`, { headers: { authorization: `Bearer ${token}` } }).then(
    (r) => r.status
  )

test('a generated admin token is printed once, stored hashed, and survives a restart', async () => {
  const first: string[] = []
  let server = await start(first)
  const printed = first.find((l) => l.startsWith('admin token'))
  const token = /: (\S+)$/.exec(printed ?? '')?.[1]
  expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/)
  expect(first.filter((l) => l.includes(token!))).toHaveLength(1)
  const file = join(dir, 'a.db.admin-token')
  const stored = readFileSync(file, 'utf8')
  expect(stored).toMatch(/^sha256:[0-9a-f]{64}\n$/)
  expect(stored).not.toContain(token)
  expect(statSync(file).mode & 0o777).toBe(0o600)
  expect(await health(server.url, token!)).toBe(200)
  expect(await health(server.url, `${token}x`)).toBe(401)
  await server.close()

  const second: string[] = []
  server = await start(second)
  expect(second.some((l) => l.startsWith('admin token'))).toBe(false)
  expect(await health(server.url, token!)).toBe(200)
  await server.close()
})
