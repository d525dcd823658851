import { createGitHubClient } from '@hubstore/core'
import {
  activityClients,
  healthReport,
  listJobs,
  openActivityDb,
  processInbox,
  receiveDelivery,
  sweep,
  type HealthReport,
  type ReceiveOutcome,
  type SyncJobRow
} from '@hubstore/core/activity'
import type { Emulator } from '@hubstore/emulator'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { jobLine } from '../commands/activity.js'

/** The activity demo's account, repositories, App and webhook secret (all inside the emulator). */
export const ACTIVITY_DEMO = {
  account: 'acme',
  repositories: ['api', 'web', 'docs'],
  token: 'demo-acme-token',
  app: 'acme-activity-sync',
  secret: 'demo-webhook-secret'
} as const

/** What {@link runActivityDemo} did, for printing and for tests. */
export interface ActivityDemoResult {
  /** What the receiver answered each webhook request, in arrival order. */
  received: Array<{ event: string; outcome: ReceiveOutcome }>
  /** Pushes made, and the one whose delivery the emulator dropped (full name and SHA). */
  pushes: Array<{ repository: string; sha: string }>
  dropped: { repository: string; sha: string }
  /** The dropped push's commit was in the database after the inbox pass / after the sweep. */
  missedBeforeSweep: boolean
  foundBySweep: boolean
  sweepJob: SyncJobRow
  jobs: SyncJobRow[]
  health: HealthReport
}

/**
 * Step 6: an App installed on an account with three repositories; its signed webhooks reach a
 * local `node:http` receiver that only stores them (`receiveDelivery`); the inbox is processed
 * (`processInbox`: the installation imports every repository, each push its commits); one
 * push's delivery is dropped on purpose (the endpoint "down"), and the next sweep finds it with
 * one GraphQL change query and a delta fetch of that repository only. Jobs and health printed.
 */
export async function runActivityDemo(
  emulator: Emulator,
  log: (line: string) => void
): Promise<ActivityDemoResult> {
  const { account, secret } = ACTIVITY_DEMO
  const dir = mkdtempSync(join(tmpdir(), 'hubstore-activity-demo-'))
  const db = await openActivityDb(`sqlite:${join(dir, 'activity.db')}`)
  const received: ActivityDemoResult['received'] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const rawBody = new Uint8Array(Buffer.concat(chunks))
      void receiveDelivery(db, { headers: req.headers, rawBody, secret }).then(
        (outcome) => {
          received.push({ event: String(req.headers['x-github-event']), outcome })
          res.writeHead(outcome.status).end(outcome.kind)
        },
        (error: unknown) => void res.writeHead(500).end(String(error))
      )
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`
    await emulator.admin.createToken({
      token: ACTIVITY_DEMO.token,
      login: account,
      permission: 'admin'
    })
    for (const name of ACTIVITY_DEMO.repositories)
      await emulator.admin.createRepo({ full_name: `${account}/${name}` })
    const app = await emulator.admin.createApp({
      slug: ACTIVITY_DEMO.app,
      webhook_url: url,
      webhook_secret: secret,
      permissions: { contents: 'read', issues: 'read', pull_requests: 'read', metadata: 'read' },
      events: ['push', 'issues', 'pull_request', 'repository']
    })
    const installation = await emulator.admin.createInstallation(app.slug, { account })
    log(
      `▶ App ${app.slug} (id ${app.id}) installed on ${account} (installation ${installation.id}): ${ACTIVITY_DEMO.repositories.map((r) => `${account}/${r}`).join(', ')}; webhooks to ${url}`
    )
    const clients = activityClients({
      appId: app.id,
      privateKey: app.private_key,
      baseUrl: emulator.url
    })
    const owner = createGitHubClient({
      token: ACTIVITY_DEMO.token,
      baseUrl: emulator.url,
      throttle: { writeSpacingMs: 0 }
    })
    await emulator.admin.settleWebhooks()
    const first = await processInbox(db, { clientFor: clients.clientFor })
    const stored = await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM repositories')
    log(
      `◀ inbox: ${first.processed} deliveries processed (ping, installation.created): ${Number(stored?.n)} repositories and ${first.counts.commits} commits imported`
    )

    // one push per repository; the emulator drops the first push's delivery (endpoint down)
    await emulator.admin.addWebhookFault({ mode: 'drop', event: 'push', count: 1 })
    const pushes: ActivityDemoResult['pushes'] = []
    for (const name of ACTIVITY_DEMO.repositories) {
      const res = await owner.rest.repos.createOrUpdateFileContents({
        owner: account,
        repo: name,
        path: 'CHANGELOG.md',
        message: `${name}: release notes`,
        content: Buffer.from(`# ${name}\n`).toString('base64')
      })
      pushes.push({ repository: `${account}/${name}`, sha: res.data.commit.sha! })
    }
    await emulator.admin.settleWebhooks()
    const dropped = pushes[0]!
    const pushesReceived = received.filter((r) => r.event === 'push').length
    log(
      `▶ ${pushes.length} pushes; ${pushesReceived} push deliveries received and signed correctly (${received.map((r) => `${r.event} ${r.outcome.status}`).join(', ')}); the one for ${dropped.repository} was dropped`
    )
    const second = await processInbox(db, { clientFor: clients.clientFor })
    const has = async (sha: string) =>
      (await db.get('SELECT sha FROM commits WHERE sha = ?', [sha])) !== undefined
    const missedBeforeSweep = !(await has(dropped.sha))
    log(
      `◀ inbox: ${second.processed} deliveries processed, ${second.counts.commits} commits stored; ${dropped.repository}'s ${dropped.sha.slice(0, 7)} ${missedBeforeSweep ? 'missing' : 'present'}`
    )
    const sweepJob = await sweep(db, {
      clientFor: clients.clientFor,
      budgetKey: clients.budgetKey,
      minIntervalMs: 0
    })
    const foundBySweep = await has(dropped.sha)
    log(
      `◀ sweep: ${sweepJob.graphql_points} GraphQL points, ${sweepJob.rest_requests} REST requests; ${dropped.repository}'s ${dropped.sha.slice(0, 7)} ${foundBySweep ? 'found' : 'still missing'}`
    )
    const jobs = await listJobs(db)
    for (const job of [...jobs].reverse())
      log(`  ${jobLine(job).split('; ').slice(0, -1).join('; ')}`)
    const health = await healthReport(db, { minIntervalMs: 600_000 })
    log(
      `◀ health: ${health.synced_recently}/${health.total_repositories} repositories synced within 10 min (${health.coverage_percent} %); deliveries ${health.deliveries.processed} processed, ${health.deliveries.failed} failed, ${health.deliveries.pending} pending`
    )
    return { received, pushes, dropped, missedBeforeSweep, foundBySweep, sweepJob, jobs, health }
  } finally {
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
    await db.close()
    rmSync(dir, { recursive: true, force: true })
  }
}
