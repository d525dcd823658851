import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { dashboardAssets, embedDashboardData, type DashboardData } from './dashboard-assets.js'

/**
 * Writes the dashboard as a static site into `outDir` (for GitHub Pages in the Actions-only
 * setup): `index.html` with `data` embedded as JSON, and the same script, style sheet and
 * chart.js file the server serves. Nothing in it asks for a token or calls an API. Answers
 * the paths written.
 */
export function exportDashboard(outDir: string, data: DashboardData): string[] {
  mkdirSync(outDir, { recursive: true })
  const written: string[] = []
  for (const [name, asset] of dashboardAssets()) {
    const path = join(outDir, name)
    writeFileSync(
      path,
      name === 'index.html' ? embedDashboardData(asset.body.toString('utf8'), data) : asset.body
    )
    written.push(path)
  }
  return written
}
