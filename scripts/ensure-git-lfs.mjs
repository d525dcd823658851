#!/usr/bin/env node
// The emulator's tests drive the real `git lfs` client. Installs Debian's git-lfs when it is
// missing and this machine can (root with apt-get); otherwise says what to install and fails.
import { spawnSync } from 'node:child_process'

const has = () => spawnSync('git', ['lfs', 'version'], { stdio: 'ignore' }).status === 0
if (!has()) {
  const root = typeof process.getuid === 'function' && process.getuid() === 0
  const apt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0
  if (root && apt) {
    console.log('setup: git-lfs is missing; installing it with apt-get')
    for (const args of [
      ['update', '-qq'],
      ['install', '-y', '-qq', 'git-lfs']
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
      'setup: the tests need git-lfs (https://git-lfs.com). Install it, e.g. "sudo apt-get install git-lfs", then run again.'
    )
    process.exit(1)
  }
}
