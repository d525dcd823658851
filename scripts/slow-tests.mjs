#!/usr/bin/env node
// Rewrites test-support/slow-tests.json (the durations test-support/test-sequencer.mjs orders a
// fresh clone's run by) from the last full run's .test-results/jest.json: every test file that
// took at least 3 s, in seconds. Run after `node scripts/test.mjs` on a quiet machine.
import { readFileSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const run = JSON.parse(readFileSync(join(root, '.test-results', 'jest.json'), 'utf8'))
const seconds = Object.fromEntries(
  run.testResults
    .map((t) => [relative(root, t.name), Math.round((t.endTime - t.startTime) / 100) / 10])
    .filter(([, s]) => s >= 3)
    .sort((a, b) => b[1] - a[1])
)
const out = join(root, 'test-support', 'slow-tests.json')
writeFileSync(
  out,
  `${JSON.stringify({ note: 'written by scripts/slow-tests.mjs; seconds per test file', seconds }, null, 2)}\n`
)
console.log(`slow-tests: ${Object.keys(seconds).length} files → ${relative(root, out)}`)
