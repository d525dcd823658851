import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { HealthReport, SyncJobRow } from '@hubstore/core/activity'

/** One file of the dashboard page. */
export interface DashboardAsset {
  contentType: string
  body: Buffer
}

/** The marker in index.html where the static export puts its data. */
const DATA_MARKER = '<!--HUBSTORE_DATA-->'

/**
 * The dashboard's files by name (`index.html`, `dashboard.js`, `dashboard.css`, and
 * chart.js's UMD build `chart.umd.min.js`), read from src/dashboard/ and the chart.js package.
 * The live server and the static export serve the same bytes, except that the export fills
 * the data marker ({@link embedDashboardData}).
 */
export function dashboardAssets(): Map<string, DashboardAsset> {
  const dir = fileURLToPath(new URL('./dashboard/', import.meta.url))
  // chart.js exports no path to its UMD file: find it beside its CommonJS entry.
  const chartDir = dirname(createRequire(import.meta.url).resolve('chart.js'))
  const file = (path: string, contentType: string): DashboardAsset => ({
    contentType,
    body: readFileSync(path)
  })
  return new Map([
    ['index.html', file(join(dir, 'index.html'), 'text/html; charset=utf-8')],
    ['dashboard.js', file(join(dir, 'dashboard.js'), 'text/javascript; charset=utf-8')],
    ['dashboard.css', file(join(dir, 'dashboard.css'), 'text/css; charset=utf-8')],
    ['chart.umd.min.js', file(join(chartDir, 'chart.umd.min.js'), 'text/javascript; charset=utf-8')]
  ])
}

/** What the static export embeds: the health report and the newest jobs. */
export interface DashboardData {
  health: HealthReport
  jobs: SyncJobRow[]
}

/**
 * index.html with `data` embedded as a JSON `<script type="application/json">` block. `<`,
 * U+2028 and U+2029 are written as `\u` escapes, so no value can close the script element
 * or break the page, whatever text a job's error holds.
 */
export function embedDashboardData(indexHtml: string, data: DashboardData): string {
  const json = JSON.stringify(data)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')
  return indexHtml.replace(
    DATA_MARKER,
    () => `<script type="application/json" id="hubstore-data">${json}</script>`
  )
}
