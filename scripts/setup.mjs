#!/usr/bin/env node
// Installs the workspace's dependencies with the pinned pnpm (fetched through npx when pnpm is
// not on PATH), so that a fresh clone needs only Node >= 20 and git. Idempotent and quick when
// node_modules is already up to date.
import { execSync, spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'

const { packageManager } = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8')
)
const wanted = packageManager.replace(/^pnpm@/, '')

function pnpmCommand() {
  try {
    const v = execSync('pnpm --version', { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim()
    if (v.split('.')[0] === wanted.split('.')[0]) return ['pnpm']
  } catch {
    /* not installed */
  }
  return ['npx', '--yes', `pnpm@${wanted}`]
}

const [cmd, ...pre] = pnpmCommand()
const args = [...pre, 'install', '--frozen-lockfile', '--prefer-offline']
const r = spawnSync(cmd, args, {
  stdio: ['ignore', 'inherit', 'inherit'],
  cwd: new URL('..', import.meta.url)
})
if (r.status !== 0) {
  console.error(`setup: "${[cmd, ...args].join(' ')}" failed (exit ${r.status}).`)
  process.exit(r.status ?? 1)
}
