#!/usr/bin/env node
// The activity store's tests start a real PostgreSQL server (test-support/postgres.ts). Installs
// Debian's postgresql when it is missing and this machine can (root with apt-get); otherwise says
// what to install and fails. Mirrors ensure-git-lfs.mjs.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

const has = () => {
  const root = '/usr/lib/postgresql'
  if (existsSync(root) && readdirSync(root).some((v) => existsSync(join(root, v, 'bin', 'initdb'))))
    return true
  return (
    spawnSync('sh', ['-c', 'command -v initdb && command -v postgres'], { stdio: 'ignore' })
      .status === 0
  )
}
if (!has()) {
  const root = typeof process.getuid === 'function' && process.getuid() === 0
  const apt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0
  if (root && apt) {
    console.log('setup: PostgreSQL is missing; installing it with apt-get')
    for (const args of [
      ['update', '-qq'],
      ['install', '-y', '-qq', 'postgresql']
    ]) {
      const r = spawnSync('apt-get', args, {
        stdio: 'inherit',
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
      })
      if (r.status !== 0) break
    }
  }
  if (!has()) {
    console.error(
      'setup: the activity tests need PostgreSQL (initdb and postgres). Install it, e.g. "sudo apt-get install postgresql", then run again.'
    )
    process.exit(1)
  }
}
