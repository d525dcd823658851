#!/usr/bin/env node
// The dashboard test (packages/server/__tests__/dashboard.test.ts) drives Debian's chromium
// through playwright-core. Installs it when /usr/bin/chromium is missing and this machine can
// (root with apt-get); otherwise says what to install and fails.
import { existsSync } from 'node:fs'
import { spawnSync } from 'node:child_process'

const CHROMIUM = '/usr/bin/chromium'
if (!existsSync(CHROMIUM)) {
  const root = typeof process.getuid === 'function' && process.getuid() === 0
  const apt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0
  if (root && apt) {
    console.log('setup: chromium is missing; installing it with apt-get')
    for (const args of [
      ['update', '-qq'],
      ['install', '-y', '-qq', 'chromium']
    ]) {
      const r = spawnSync('apt-get', args, {
        stdio: 'inherit',
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
      })
      if (r.status !== 0) break
    }
  }
  if (!existsSync(CHROMIUM)) {
    console.error(
      `setup: the dashboard test needs Chromium at ${CHROMIUM}. Install it, e.g. "sudo apt-get install chromium", then run again.`
    )
    process.exit(1)
  }
}
