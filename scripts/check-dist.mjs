#!/usr/bin/env node
// Rebuilds every action bundle from source and fails when dist/ differs from what is committed
// (modified, deleted or new files), the way actions/typescript-action's check-dist does.
import { execSync, spawnSync } from 'node:child_process'

const root = new URL('..', import.meta.url).pathname
const r = spawnSync(process.execPath, ['scripts/build-actions.mjs'], {
  cwd: root,
  stdio: 'inherit'
})
if (r.status !== 0) process.exit(r.status ?? 1)
const changes = execSync('git status --porcelain -- dist', { cwd: root }).toString().trim()
if (changes) {
  console.error(
    'check-dist: dist/ is not what a clean build produces. Run "pnpm build" and commit dist/:'
  )
  console.error(changes)
  process.exit(1)
}
console.log('check-dist: dist/ matches a clean build')
