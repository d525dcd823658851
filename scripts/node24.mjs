#!/usr/bin/env node
// Runs a script under Node 24, hubstore's baseline (the Actions runtime `node24`; `node:sqlite`
// with its online backup API). Usage: node scripts/node24.mjs <script.mjs|.js> [args…]
//
// When the Node running this file is already 24 or newer, the script runs under it. Otherwise a
// project-local Node 24 is installed once from the npm registry (the `node` package ships the
// binary) into .tools/node24/ and the script runs under that, with its bin folder first on PATH
// so every child `node` (Jest workers, pnpm, the bundles the tests start) is Node 24 too.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { delimiter, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const WANTED_MAJOR = 24
const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const prefix = join(root, '.tools', 'node24')
const localNode = join(prefix, 'node_modules', 'node', 'bin', 'node')

const [script, ...args] = process.argv.slice(2)
if (!script) {
  console.error('usage: node scripts/node24.mjs <script> [args…]')
  process.exit(2)
}

const major = (version) => Number(version.replace(/^v/, '').split('.')[0])

function nodeVersion(bin) {
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8' })
  return r.status === 0 ? r.stdout.trim() : undefined
}

function ensureLocalNode() {
  const have = existsSync(localNode) ? nodeVersion(localNode) : undefined
  if (have && major(have) === WANTED_MAJOR) return have
  console.error(
    `setup: this machine has Node ${process.version}; installing a project-local Node ${WANTED_MAJOR} into .tools/node24 (npm i node@${WANTED_MAJOR})`
  )
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
  const r = spawnSync(
    npm,
    [
      'install',
      '--prefix',
      prefix,
      '--no-save',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      `node@${WANTED_MAJOR}`
    ],
    { stdio: ['ignore', 'inherit', 'inherit'] }
  )
  const got = existsSync(localNode) ? nodeVersion(localNode) : undefined
  if (r.status !== 0 || !got || major(got) !== WANTED_MAJOR) {
    console.error(
      `setup: could not install Node ${WANTED_MAJOR} from the npm registry (npm exit ${r.status}). Install Node ${WANTED_MAJOR} yourself and run again.`
    )
    process.exit(1)
  }
  return got
}

let bin = process.execPath
let env = process.env
if (major(process.version) < WANTED_MAJOR) {
  const version = ensureLocalNode()
  bin = localNode
  const binDir = dirname(localNode)
  env = { ...process.env, PATH: `${binDir}${delimiter}${process.env.PATH ?? ''}` }
  if (!process.env.HUBSTORE_NODE24_QUIET) {
    console.error(`setup: running on the project-local Node ${version} (.tools/node24)`)
    env.HUBSTORE_NODE24_QUIET = '1'
  }
}

const r = spawnSync(bin, [script, ...args], { stdio: 'inherit', env })
if (r.error) {
  console.error(`setup: could not start ${script}: ${r.error.message}`)
  process.exit(1)
}
process.exit(r.status ?? (r.signal ? 1 : 0))
