#!/usr/bin/env node
// Regenerates packages/emulator/COVERAGE.md from a conformance run and prints the coverage
// line. The run is __tests__/conformance/coverage.test.ts under Jest (the scenarios share the
// test support code), with HUBSTORE_WRITE_COVERAGE=1 so it writes the file; `--check` only
// compares (exit 1 when COVERAGE.md is stale). Exit 1 as well when a scenario or an exchange
// failed, or fewer than 100% of the served routes are validated.
// Usage: pnpm --filter @hubstore/emulator coverage [--check]
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../../../', import.meta.url))
const check = process.argv.includes('--check')
const r = spawnSync(
  process.execPath,
  [
    'scripts/test.mjs',
    'packages/emulator/__tests__/conformance/coverage.test.ts',
    '--silent=false',
    '--reporters=summary'
  ],
  {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...(check ? {} : { HUBSTORE_WRITE_COVERAGE: '1' }) }
  }
)
const results = new URL('../../../.test-results/conformance/coverage.json', import.meta.url)
if (existsSync(results)) console.log(JSON.parse(readFileSync(results, 'utf8')).summary)
process.exit(r.status ?? 1)
