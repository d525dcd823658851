/**
 * Redelivery of failed App webhook deliveries against the emulator over real HTTP: a push
 * whose delivery was dropped is redelivered once, received into the inbox and processed once;
 * a delivery the inbox already holds (stored, then answered 500) is not redelivered.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { createServer, type Server } from 'node:http'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startEmulator, type Emulator } from '@hubstore/emulator'
import { activityClients, type ActivityClients } from '../../src/activity/auth.js'
import { receiveDelivery } from '../../src/activity/inbox.js'
import { listJobs } from '../../src/activity/jobs.js'
import { redeliverFailed } from '../../src/activity/redeliver.js'
import { openActivityDb } from '../../src/activity/store/open.js'
import type { ActivityDb } from '../../src/activity/types.js'
import { sweep } from '../../src/activity/sweep.js'
import { processInbox } from '../../src/activity/worker.js'
import { FAST } from '../support/emulator.js'

const SECRET = 'redelivery-secret'
let emulator: Emulator
let dir: string
let db: ActivityDb
let server: Server
let clients: ActivityClients
let installationId: number

/** A commit through the contents API as the App (admin file writes send no push event). */
async function push(path: string, text: string): Promise<string> {
  const octokit = await clients.clientFor(installationId)
  const res = await octokit.rest.repos.createOrUpdateFileContents({
    owner: 'redo',
    repo: 'app-repo',
    path,
    message: `add ${path}`,
    content: Buffer.from(text).toString('base64')
  })
  return res.data.commit.sha!
}
/** Answers to give the next webhook requests after storing them (default 202 from the inbox). */
const answers: number[] = []

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hubstore-redeliver-'))
  db = await openActivityDb(`sqlite:${join(dir, 'activity.db')}`)
  server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      void receiveDelivery(db, {
        headers: req.headers,
        rawBody: Buffer.concat(chunks),
        secret: SECRET
      }).then((outcome) => {
        res.writeHead(answers.shift() ?? outcome.status).end()
      })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as { port: number }).port
  emulator = await startEmulator()
  const app = await emulator.admin.createApp({
    slug: 'redeliverer',
    webhook_url: `http://127.0.0.1:${port}/webhook`,
    webhook_secret: SECRET,
    events: ['push']
  })
  await emulator.admin.createRepo({ full_name: 'redo/app-repo' })
  const installation = await emulator.admin.createInstallation('redeliverer', { account: 'redo' })
  clients = activityClients({
    appId: app.id,
    privateKey: app.private_key,
    baseUrl: emulator.url,
    client: { ...FAST, log: () => {} }
  })
  await emulator.admin.settleWebhooks()
  await processInbox(db, { clientFor: clients.clientFor })
  installationId = installation.id
})
afterAll(async () => {
  await emulator.close()
  await new Promise((resolve) => server.close(resolve))
  await db.close()
  rmSync(dir, { recursive: true, force: true })
})

const guidsOf = async (event: string) =>
  (await emulator.admin.webhookDeliveries())
    .filter((d) => d.event === event)
    .map((d) => String(d.guid))

describe('redeliverFailed', () => {
  test('a dropped push is redelivered once, received and processed once', async () => {
    await emulator.admin.addWebhookFault({ mode: 'drop', event: 'push', count: 1 })
    const pushed = await push('a.txt', 'while the receiver was down')
    await emulator.admin.settleWebhooks()
    const [guid] = await guidsOf('push')
    expect(await db.get('SELECT guid FROM deliveries WHERE guid = ?', [guid!])).toBeUndefined()

    const run = await redeliverFailed(db, clients.appClient!)
    expect(run.redelivered).toEqual([guid])
    expect(run.job).toMatchObject({ type: 'redelivery', status: 'succeeded' })
    expect(JSON.parse(run.job.counts)).toMatchObject({ deliveries: 1 })
    await emulator.admin.settleWebhooks()
    const processed = await processInbox(db, { clientFor: clients.clientFor })
    expect(processed.processed).toBe(1)
    const rows = await db.all<{ sha: string }>('SELECT sha FROM commits WHERE sha = ?', [pushed])
    expect(rows).toHaveLength(1)
    const delivery = await db.get<{ status: string }>(
      'SELECT status FROM deliveries WHERE guid = ?',
      [guid!]
    )
    expect(delivery?.status).toBe('processed')

    // the next run finds an OK attempt for that GUID: nothing to redeliver
    const again = await redeliverFailed(db, clients.appClient!)
    expect(again.redelivered).toEqual([])
    expect((await emulator.admin.webhookDeliveries()).filter((d) => d.guid === guid)).toHaveLength(
      2
    )
  })

  test('a delivery the inbox holds is not redelivered, even when GitHub recorded a failure', async () => {
    answers.push(500)
    await push('b.txt', 'stored, then answered 500')
    await emulator.admin.settleWebhooks()
    const guids = await guidsOf('push')
    const guid = guids[guids.length - 1]!
    expect(await db.get('SELECT guid FROM deliveries WHERE guid = ?', [guid])).toBeDefined()
    const run = await redeliverFailed(db, clients.appClient!)
    expect(run.redelivered).toEqual([])
    expect(run.inInbox).toEqual([guid])
    const jobs = await listJobs(db, { limit: 5 })
    expect(jobs.filter((j) => j.type === 'redelivery')).toHaveLength(3)
  })

  describe('sweep in App mode', () => {
    test('every installation repository is checked with the installation token; a push whose delivery was dropped is found', async () => {
      await emulator.admin.addWebhookFault({ mode: 'drop', event: 'push', count: 1 })
      const sha = await push('c.txt', 'pushed while the receiver was down')
      await emulator.admin.settleWebhooks()
      const job = await sweep(db, { ...clients, repositories: 'installations', minIntervalMs: 0 })
      expect(job).toMatchObject({
        type: 'periodic',
        status: 'succeeded',
        repositories_processed: 1
      })
      // found by the head moving, whatever the commit's date (it may predate the last sync)
      expect(JSON.parse(job.counts).commits).toBeGreaterThanOrEqual(1)
      expect(
        await db.all('SELECT sha FROM repository_commits GROUP BY sha HAVING COUNT(*) > 1')
      ).toEqual([])
      expect(await db.get('SELECT sha FROM commits WHERE sha = ?', [sha])).toEqual({ sha })
      // one installation token for the whole file: minted once, reused by webhooks, redelivery, sweep
      const mints = (await emulator.admin.ledger()).filter(
        (e) => e.route === '/app/installations/{installation_id}/access_tokens'
      )
      expect(mints).toHaveLength(1)
      expect(clients.tokensMinted()).toBe(1)
    })
  })
})
