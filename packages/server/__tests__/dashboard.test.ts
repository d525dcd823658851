/**
 * The dashboard in headless Chromium (Debian's `chromium` through playwright-core, one
 * launch): after the admin token is typed in, the metric cards show what the database holds
 * (checked against SQL), a failed job is highlighted and kept by the "failed only" filter,
 * and a screenshot goes to .test-results/dashboard.png. The static export
 * (`exportDashboard`) shows the same numbers from a file:// page with no server.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { chromium, type Browser } from 'playwright-core'
import { healthReport, listJobs, openActivityDb, type ActivityDb } from '@hubstore/core/activity'
import {
  createActivityService,
  exportDashboard,
  startServer,
  type RunningServer
} from '@hubstore/server'
import { ADMIN_TOKEN, SECRET, issueDelivery, post, signature, until } from './support/deliveries.js'

// Browser globals inside page.evaluate (the test's tsconfig has no DOM library).
declare const getComputedStyle: (el: unknown) => { backgroundColor: string }
declare const window: { Chart?: unknown }

const ROOT = join(import.meta.dirname, '..', '..', '..')
let dir: string
let server: RunningServer
let db: ActivityDb
let browser: Browser

const count = async (sql: string): Promise<number> =>
  Number((await db.get<{ n: number }>(sql))?.n ?? -1)

/** An `installation.created` delivery: importing it needs GitHub, and this server has no credentials. */
function installationDelivery() {
  const body = JSON.stringify({
    action: 'created',
    installation: {
      id: 77,
      account: { login: 'octo-org', type: 'Organization' },
      repository_selection: 'all',
      created_at: '2026-12-01T12:00:00Z'
    },
    repositories: [{ id: 9101, node_id: 'R_9101', full_name: 'octo-org/api', name: 'api' }],
    sender: { login: 'octocat' }
  })
  return {
    guid: 'install-77',
    body,
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'installation',
      'x-github-delivery': 'install-77',
      'x-hub-signature-256': signature(SECRET, body)
    }
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hubstore-dashboard-'))
  const database = `sqlite:${join(dir, 'activity.db')}`
  const service = await createActivityService({ database, pollIntervalMs: 10 })
  server = await startServer({
    service,
    webhookSecret: SECRET,
    adminToken: ADMIN_TOKEN,
    sweepCron: false,
    redeliveryCron: false,
    log: () => undefined
  })
  db = await openActivityDb(database)
  // A failed job first (alone in its pass), then 30 deliveries that succeed.
  expect(await post(server.url, installationDelivery())).toBe(202)
  await until(
    async () => (await count("SELECT COUNT(*) AS n FROM sync_jobs WHERE status = 'failed'")) === 1
  )
  for (let i = 1; i <= 30; i++) expect(await post(server.url, issueDelivery(i))).toBe(202)
  await until(
    async () =>
      (await count("SELECT COUNT(*) AS n FROM deliveries WHERE status = 'processed'")) === 30
  )
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run'
    ]
  })
})

afterAll(async () => {
  await browser?.close()
  await server?.close()
  await db?.close()
  rmSync(dir, { recursive: true, force: true })
})

test('the dashboard shows the numbers the database holds and highlights the failed job', async () => {
  const page = await browser.newPage({ viewport: { width: 1200, height: 1000 } })
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  await page.goto(server.url + '/')
  // no token yet: the page asks for it, and shows no data
  await page.locator('#login').waitFor({ state: 'visible' })
  expect(await page.locator('#main').isHidden()).toBe(true)
  await page.fill('#token', ADMIN_TOKEN)
  await page.click('#login button')
  await page.locator('body[data-loaded]').waitFor({ state: 'attached' })

  const value = (name: string) => page.locator(`[data-metric="${name}"]`).getAttribute('data-value')
  const repositories = await count(
    'SELECT COUNT(*) AS n FROM repositories WHERE deleted_at IS NULL'
  )
  expect(repositories).toBeGreaterThan(0)
  expect(await value('repositories')).toBe(String(repositories))
  expect(await page.locator('[data-metric="repositories"]').textContent()).toBe(
    String(repositories)
  )
  const failedDeliveries = await count(
    "SELECT COUNT(*) AS n FROM deliveries WHERE status = 'failed'"
  )
  expect(failedDeliveries).toBe(1)
  expect(await value('failed-deliveries')).toBe('1')
  const since = new Date(Date.now() - 600_000).toISOString()
  const recent = await count(
    `SELECT COUNT(*) AS n FROM repositories WHERE deleted_at IS NULL AND last_synced_at >= '${since}'`
  )
  const coverage = Math.round((recent / repositories) * 1000) / 10
  expect(Number(await value('coverage'))).toBe(coverage)

  // the failed job: its row is highlighted, and the filter keeps only it
  const failedId = await count("SELECT id AS n FROM sync_jobs WHERE status = 'failed'")
  const row = page.locator(`#jobs tbody tr[data-job-id="${failedId}"]`)
  expect(await row.getAttribute('class')).toBe('failed')
  expect(await row.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe(
    'rgb(255, 235, 233)'
  )
  const jobRows = await count('SELECT COUNT(*) AS n FROM sync_jobs')
  expect(await page.locator('#jobs tbody tr').count()).toBe(Math.min(jobRows, 50))
  await page.check('#failed-only')
  await until(async () => (await page.locator('#jobs tbody tr').count()) === 1)
  expect(await page.locator('#jobs tbody tr').getAttribute('data-job-id')).toBe(String(failedId))
  await page.uncheck('#failed-only')
  // the chart drew on its canvas
  expect(await page.evaluate(() => typeof window.Chart)).toBe('function')

  mkdirSync(join(ROOT, '.test-results'), { recursive: true })
  await page.screenshot({ path: join(ROOT, '.test-results', 'dashboard.png'), fullPage: true })
  expect(errors).toEqual([])

  // the static export, from a file:// URL: the same numbers, no token asked
  const out = join(dir, 'site')
  exportDashboard(out, {
    health: await healthReport(db, { now: new Date(), minIntervalMs: 600_000 }),
    jobs: await listJobs(db, { limit: 200 })
  })
  await page.goto(pathToFileURL(join(out, 'index.html')).href)
  await page.locator('body[data-loaded]').waitFor({ state: 'attached' })
  expect(await page.locator('#login').isHidden()).toBe(true)
  expect(await value('repositories')).toBe(String(repositories))
  expect(await page.locator(`#jobs tbody tr.failed`).count()).toBe(1)
  expect(errors).toEqual([])
})
