#!/usr/bin/env node
// The system programs the tests drive for real: git-lfs (the emulator's LFS and the data
// layouts), PostgreSQL (test-support/postgres.ts starts a server) and Chromium (the dashboard
// test, through playwright-core). Installs the missing ones from Debian's packages in one
// apt-get run when this machine can (root with apt-get); otherwise says what to install and
// fails, naming each missing program.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

const ok = (cmd, args) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0
const pgRoot = '/usr/lib/postgresql'

/** Each tool: what needs it, how to tell it is there, and its Debian package. */
const TOOLS = [
  {
    name: 'git-lfs',
    neededBy: "the emulator's and the data module's Git LFS tests",
    has: () => ok('git', ['lfs', 'version'])
  },
  {
    name: 'postgresql',
    neededBy: 'the activity store tests (initdb and postgres)',
    has: () =>
      (existsSync(pgRoot) &&
        readdirSync(pgRoot).some((v) => existsSync(join(pgRoot, v, 'bin', 'initdb')))) ||
      ok('sh', ['-c', 'command -v initdb && command -v postgres'])
  },
  {
    name: 'chromium',
    neededBy: 'the dashboard test (/usr/bin/chromium)',
    has: () => existsSync('/usr/bin/chromium')
  }
]

let missing = TOOLS.filter((t) => !t.has())
if (missing.length) {
  const root = typeof process.getuid === 'function' && process.getuid() === 0
  if (root && ok('sh', ['-c', 'command -v apt-get'])) {
    const names = missing.map((t) => t.name)
    console.log(`setup: ${names.join(', ')} missing; installing with apt-get`)
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
    for (const args of [
      ['update', '-qq'],
      ['install', '-y', '-qq', ...names]
    ])
      if (spawnSync('apt-get', args, { stdio: 'inherit', env }).status !== 0) break
    missing = missing.filter((t) => !t.has())
  }
  for (const t of missing)
    console.error(
      `setup: ${t.neededBy} need ${t.name}. Install it, e.g. "sudo apt-get install ${t.name}", then run again.`
    )
  if (missing.length) process.exit(1)
}
