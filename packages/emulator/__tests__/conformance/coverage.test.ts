import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import {
  computeCoverage,
  COVERAGE_FILE,
  renderCoverage,
  summaryLine,
  unvalidated,
  warnings,
  type Coverage
} from './coverage.js'
import { problems, runGroups, type ScenarioGroup, type ScenarioResult } from './harness.js'
import { GROUPS } from './scenarios/index.js'

/**
 * The coverage run: every scenario of every group on one recording emulator (Jest runs the
 * per-group files in separate workers, so this file runs the scenarios itself), then the
 * figure, the 100% gate and the COVERAGE.md staleness check. `.test-results/conformance/
 * coverage.json` keeps the figures; `HUBSTORE_WRITE_COVERAGE=1` rewrites COVERAGE.md.
 */

let results: ScenarioResult[] = []
let coverage: Coverage

beforeAll(async () => {
  results = await runGroups(GROUPS)
  coverage = computeCoverage(results)
  const dir = new URL('../../../../.test-results/conformance/', import.meta.url)
  mkdirSync(dir, { recursive: true })
  writeFileSync(
    new URL('coverage.json', dir),
    `${JSON.stringify({ summary: summaryLine(coverage), ...coverage }, null, 2)}\n`
  )
}, 300_000)

afterAll(() => {
  if (!coverage) return
  const findings = warnings(results)
  if (findings.length > 0)
    console.log(`conformance findings (not failing):\n${findings.join('\n')}`)
  console.log(summaryLine(coverage))
})

describe('conformance coverage', () => {
  test('conformance: every scenario passes and every exchange matches @octokit/openapi', () => {
    expect(results.flatMap((r) => problems(r).map((p) => `${r.title}: ${p}`))).toEqual([])
  })

  test('conformance: 100% of served routes are validated against @octokit/openapi', () => {
    expect(unvalidated(coverage)).toEqual([])
    expect(coverage.percent).toBe(100)
  })

  test('conformance: every scenario group in scenarios/ is in GROUPS', async () => {
    const dir = new URL('./scenarios/', import.meta.url)
    const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'index.ts')
    const groups: unknown[] = []
    for (const file of files) {
      const mod = (await import(new URL(file, dir).href)) as Record<string, unknown>
      groups.push(...Object.values(mod).filter((v) => (v as ScenarioGroup)?.scenarios))
    }
    expect(groups.filter((g) => !GROUPS.includes(g as ScenarioGroup))).toEqual([])
  })

  test('COVERAGE.md: matches the report generated from this run', () => {
    const rendered = renderCoverage(coverage, warnings(results))
    // `pnpm --filter @hubstore/emulator coverage` runs this file with the variable set.
    if (process.env.HUBSTORE_WRITE_COVERAGE === '1') writeFileSync(COVERAGE_FILE, rendered)
    const committed = existsSync(COVERAGE_FILE) ? readFileSync(COVERAGE_FILE, 'utf8') : '(missing)'
    // Stale: run `pnpm --filter @hubstore/emulator coverage` and commit COVERAGE.md.
    expect(committed).toBe(rendered)
  })
})
