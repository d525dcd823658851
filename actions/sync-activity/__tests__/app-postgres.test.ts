/**
 * The sync-activity bundle with App credentials and a PostgreSQL database (a real server,
 * test-support/postgres.ts): the first sweep, with no installation stored, is the initial import
 * of every installation's repositories; the second is a periodic sweep that skips them (synced
 * within min-interval). Nothing touches a data branch; the private key is in no log line.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { runAction } from '@hubstore/cli'
import { openActivityDb } from '@hubstore/core/activity'
import { startEmulator, type Emulator } from '@hubstore/emulator'
import { sharedPostgres, type PostgresServer } from '../../../test-support/postgres.js'

const TOKEN = 'ghs_syncActivityAppModeToken41f'
let emulator: Emulator
let server: PostgresServer
let url = ''
let app: { id: number; private_key: string }

beforeAll(async () => {
  ;[emulator, server] = await Promise.all([startEmulator(), sharedPostgres()])
  url = await server.createDatabase(`sync_activity_${process.pid}`)
  await emulator.admin.createToken({ token: TOKEN, login: 'acme-bot[bot]', permission: 'write' })
  for (const name of ['one', 'two']) await emulator.admin.createRepo({ full_name: `acme/${name}` })
  app = await emulator.admin.createApp({ slug: 'acme-sync' })
  await emulator.admin.createInstallation('acme-sync', { account: 'acme' })
}, 60_000)
afterAll(async () => {
  await emulator.close()
  await server.stop()
})

const sweepStep = () =>
  runAction({
    name: 'sync-activity',
    eventName: 'schedule',
    repository: 'acme/one',
    token: TOKEN,
    apiUrl: emulator.url,
    inputs: {
      mode: 'sweep',
      database: url,
      'app-id': String(app.id),
      'app-private-key': app.private_key.replace(/\n/g, '\\n')
    },
    timeoutMs: 60_000
  })

describe('sync-activity action with an App and PostgreSQL (bundle)', () => {
  it('first sweep: the initial import of every installation; second: a sweep that skips them', async () => {
    const first = await sweepStep()
    expect(first.exitCode).toBe(0)
    expect(first.outputs).toMatchObject({ 'job-id': '1', status: 'succeeded' })
    expect(first.summary).toContain('Job #1 (initial_import) succeeded: 2 repositories processed')
    expect(first.summary).toContain('Database: PostgreSQL `postgres')
    const second = await sweepStep()
    expect(second.outputs).toMatchObject({ 'job-id': '2', status: 'succeeded' })
    expect(second.summary).toContain('Job #2 (periodic) succeeded: 0 repositories processed')
    expect(second.outputs['rest-requests']).toBe('0')

    const db = await openActivityDb(url)
    try {
      const repos = await db.all<{ full_name: string }>(
        'SELECT full_name FROM repositories ORDER BY full_name'
      )
      expect(repos.map((r) => r.full_name)).toEqual(['acme/one', 'acme/two'])
    } finally {
      await db.close()
    }
    const keyLine = app.private_key.split('\n')[1]!
    for (const run of [first, second]) {
      const shown = run.log.split('\n').filter((l) => !l.startsWith('::add-mask::'))
      expect(shown.filter((l) => l.includes(keyLine) || l.includes(TOKEN))).toEqual([])
    }
  })
})
