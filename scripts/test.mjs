#!/usr/bin/env node
// Runs the whole Jest suite (ESM mode) and ends with the line "N passed, N failed", which CI
// reads (Jest's own summary is not a format CI understands). Extra arguments go to Jest.
import { spawnSync } from 'node:child_process'
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  statfsSync,
  symlinkSync
} from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const outDir = join(root, '.test-results')
mkdirSync(outDir, { recursive: true })
const out = join(outDir, 'jest.json')
rmSync(out, { force: true })
// The tests' temporary files (emulator git stores, PostgreSQL data directories, workspaces) go
// to a RAM file system when there is one: on ext4 the suite's thousands of short-lived files and
// directories cost more kernel time than the tests' own work (docs/toolchain.md §5.5).
// HUBSTORE_TEST_TMPDIR names another directory. The transform caches stay where they were, so
// they survive the run: Jest's (--cacheDirectory, its default path) and tsx's, which the CLI
// children started with `node --import tsx` keep under $TMPDIR/tsx-<uid> (a symlink here).
const TMPFS_MAGIC = 0x01021994
const uid = process.getuid?.() ?? 0
function testTmpdir() {
  if (process.env.HUBSTORE_TEST_TMPDIR) return { dir: process.env.HUBSTORE_TEST_TMPDIR, own: false }
  try {
    const fs = statfsSync('/dev/shm')
    if (fs.type !== TMPFS_MAGIC || fs.bavail * fs.bsize < 2 ** 30) return null
    const dir = mkdtempSync('/dev/shm/hubstore-test-')
    // Like /tmp: PostgreSQL's server runs as its own user and must reach its directory.
    chmodSync(dir, 0o1777)
    try {
      const tsxCache = join(realpathSync(tmpdir()), `tsx-${uid}`)
      mkdirSync(tsxCache, { recursive: true })
      symlinkSync(tsxCache, join(dir, `tsx-${uid}`))
    } catch {
      // no shared tsx cache: the children compile once per run instead
    }
    return { dir, own: true }
  } catch {
    return null
  }
}
const tmp = testTmpdir()
// Ctrl-C reaches Jest as well (one process group): let it stop, then clean up as after any run.
if (tmp?.own) process.on('SIGINT', () => undefined)
const jestCache = join(realpathSync(tmpdir()), `jest_${uid.toString(36)}`)
const jestPackage = createRequire(import.meta.url).resolve('jest/package.json', { paths: [root] })
const jestBin = join(jestPackage, '..', 'bin', 'jest.js')
const r = spawnSync(
  process.execPath,
  [
    jestBin,
    '--json',
    `--outputFile=${out}`,
    // Jest's default on two cores is one worker; much of the test time waits on child
    // processes, PostgreSQL and HTTP, so three workers keep both cores busy (measured on 2 cores
    // from a cold cache: 2 workers 337-355 s, 3 workers 280 s, 4 workers 304 s with a flaky
    // file). An explicit flag wins.
    ...(process.argv.some((a) => a.startsWith('--maxWorkers') || a === '-w' || a === '--runInBand')
      ? []
      : ['--maxWorkers=3']),
    ...(process.argv.some((a) => a.startsWith('--cacheDirectory'))
      ? []
      : [`--cacheDirectory=${jestCache}`]),
    ...process.argv.slice(2)
  ],
  {
    cwd: root,
    stdio: 'inherit',
    env: {
      ...process.env,
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --experimental-vm-modules`.trim(),
      NODE_NO_WARNINGS: '1',
      // V8's code cache on disk for the Node processes the tests start (Node ≥ 22.1): the CLI
      // and bundle children compile each module once per run, not once per child; the torture
      // test's 16 workers use ~15 % less CPU with it
      // (https://nodejs.org/api/module.html#module-compile-cache).
      NODE_COMPILE_CACHE:
        process.env.NODE_COMPILE_CACHE ?? join(realpathSync(tmpdir()), `node-compile-cache-${uid}`),
      ...(tmp ? { TMPDIR: tmp.dir } : {}),
      // Against the emulator no write needs GitHub's one-second spacing: the CLI and the
      // bundles the tests start read this (core's CLIENT_DEFAULTS.throttle.writeSpacingMs).
      HUBSTORE_WRITE_SPACING_MS: process.env.HUBSTORE_WRITE_SPACING_MS ?? '0'
    }
  }
)
if (tmp?.own) rmSync(tmp.dir, { recursive: true, force: true })
let passed = 0
let failed = 1
if (existsSync(out)) {
  const res = JSON.parse(readFileSync(out, 'utf8'))
  passed = res.numPassedTests
  failed = res.numFailedTests + (res.numRuntimeErrorTestSuites ?? 0)
}
console.log(`${passed} passed, ${failed} failed`)
process.exit(r.status === 0 && failed === 0 && passed > 0 ? 0 : 1)
