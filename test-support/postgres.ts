/**
 * A real PostgreSQL server for one test file: `initdb` into a temporary directory, `postgres`
 * listening on a unix socket only (no TCP port, so parallel test files never collide), fsync off,
 * torn down by `stop()`. Binaries come from Debian's package (`/usr/lib/postgresql/<v>/bin`,
 * installed by scripts/ensure-test-tools.mjs) or `PATH`. PostgreSQL refuses to run as root, so
 * as root the server runs as the `postgres` user (`runuser`) with the directory chowned to it.
 *
 * When no PostgreSQL can be found, `startPostgres` throws: the tests that need it fail, they are
 * never skipped.
 *
 * `sharedPostgres` is what test files use: the run's one server when Jest's `globalSetup`
 * started it (test-support/postgres-global.mjs), else a server of the file's own.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process'
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync
} from 'node:fs'
import { randomBytes } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openActivityDb } from '@hubstore/core/activity'

/** A running server. */
export interface PostgresServer {
  /** `postgres://postgres@<socket dir>/postgres` */
  url: string
  /** A fresh, empty database on this server; answers its URL. */
  createDatabase(name: string): Promise<string>
  stop(): Promise<void>
}

/** The environment variable holding the URL of the run's shared server (test-support/postgres-global.mjs). */
export const SHARED_POSTGRES_ENV = 'HUBSTORE_TEST_POSTGRES_URL'

/**
 * The server a test file uses: the run's shared server when `HUBSTORE_TEST_POSTGRES_URL` names
 * one, else `startPostgres()`. On the shared server `createDatabase(name)` makes
 * `<name>_<8 hex digits>` (files of one worker share a process id, and names must not collide
 * across files) and answers its URL; `stop()` drops the file's databases no session holds open
 * any more (the rest go with the server at the end of the run) and leaves the server running. Throws as `startPostgres` does.
 */
export async function sharedPostgres(): Promise<PostgresServer> {
  const url = process.env[SHARED_POSTGRES_ENV]
  if (!url) return startPostgres()
  const created: string[] = []
  const admin = async <T>(fn: (db: Awaited<ReturnType<typeof openActivityDb>>) => Promise<T>) => {
    const db = await openActivityDb(url, { migrate: false, poolSize: 1 })
    try {
      return await fn(db)
    } finally {
      await db.close()
    }
  }
  return {
    url,
    async createDatabase(name) {
      const unique = `${name.replace(/"/g, '')}_${randomBytes(4).toString('hex')}`
      await admin((db) => db.run(`CREATE DATABASE "${unique}"`))
      created.push(unique)
      return url.replace(/\/postgres$/, `/${unique}`)
    },
    async stop() {
      await admin(async (db) => {
        // A database still held open (a pool the file closes later) stays until the run ends:
        // DROP DATABASE would wait 5 s for its sessions, then fail.
        for (const name of created.splice(0)) {
          const open = await db.get<{ n: number }>(
            'SELECT COUNT(*)::int AS n FROM pg_stat_activity WHERE datname = $1',
            [name]
          )
          if (open?.n === 0)
            await db.run(`DROP DATABASE IF EXISTS "${name}"`).catch(() => undefined)
        }
      })
    }
  }
}

/** The directory holding `initdb` and `postgres`, newest version first; `null` when none. */
export function findPostgresBin(): string | null {
  const root = '/usr/lib/postgresql'
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => existsSync(join(root, v, 'bin', 'postgres')))
      .sort((a, b) => Number(b) - Number(a))
    if (versions.length > 0) return join(root, versions[0], 'bin')
  }
  const r = spawnSync('sh', ['-c', 'command -v postgres'], { encoding: 'utf8' })
  const path = r.stdout.trim()
  return r.status === 0 && path ? join(path, '..') : null
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0

/** util-linux's `runuser`: root's PATH has /usr/sbin, a plain PATH may not, so look there too. */
function runuser(): string {
  for (const dir of ['/usr/sbin', '/sbin', '/usr/bin', '/bin'])
    if (existsSync(join(dir, 'runuser'))) return join(dir, 'runuser')
  return 'runuser'
}

function asServerUser(cmd: string, args: string[]): [string, string[]] {
  return isRoot() ? [runuser(), ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args]
}

function urlFor(socketDir: string, database: string): string {
  return `postgres://postgres@${encodeURIComponent(socketDir)}/${database}`
}

async function ready(url: string, child: ChildProcess, log: () => string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (child.exitCode !== null) throw new Error(`postgres exited (${child.exitCode}): ${log()}`)
    const db = await openActivityDb(url, { migrate: false, poolSize: 1 })
    try {
      await db.get('SELECT 1 AS ok')
      await db.close()
      return
    } catch {
      await db.close().catch(() => undefined)
      // readiness poll of a starting server (not a test timing): 50 ms between tries, 10 s at most
      await new Promise((r) => setTimeout(r, 50))
    }
  }
  throw new Error(`postgres did not accept connections within 10 s: ${log()}`)
}

/**
 * Starts a server accepting `maxConnections` connections (default 50; the run's shared server
 * takes more, since several files hold pools at once). Throws (with what to install) when
 * PostgreSQL is missing.
 */
export async function startPostgres(
  options: { maxConnections?: number } = {}
): Promise<PostgresServer> {
  const bin = findPostgresBin()
  if (!bin)
    throw new Error(
      'PostgreSQL is not installed: run `node scripts/ensure-test-tools.mjs` (apt-get install postgresql) and try again'
    )
  const dir = mkdtempSync(join(tmpdir(), 'hubstore-pg-'))
  const data = join(dir, 'data')
  const socket = join(dir, 'run')
  mkdirSync(socket)
  chmodSync(dir, 0o755)
  if (isRoot()) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim())
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim())
    chownSync(dir, uid, gid)
    chownSync(socket, uid, gid)
  }
  const [initCmd, initArgs] = asServerUser(join(bin, 'initdb'), [
    '-D',
    data,
    '-U',
    'postgres',
    '--auth=trust',
    '-E',
    'UTF8',
    '--no-sync',
    '--no-instructions'
  ])
  const init = spawnSync(initCmd, initArgs, { encoding: 'utf8', cwd: dir })
  if (init.status !== 0) {
    rmSync(dir, { recursive: true, force: true })
    throw new Error(
      `initdb failed (${init.status}): ${init.error?.message ?? (init.stderr || init.stdout)}`
    )
  }
  const [cmd, args] = asServerUser(join(bin, 'postgres'), [
    '-D',
    data,
    '-k',
    socket,
    '-c',
    'listen_addresses=',
    '-c',
    'fsync=off',
    '-c',
    'synchronous_commit=off',
    '-c',
    'full_page_writes=off',
    '-c',
    `max_connections=${options.maxConnections ?? 50}`
  ])
  const child = spawn(cmd, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()))
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()))
  const url = urlFor(socket, 'postgres')
  try {
    await ready(url, child, () => output.slice(-2000))
  } catch (error) {
    child.kill('SIGKILL')
    rmSync(dir, { recursive: true, force: true })
    throw error
  }
  return {
    url,
    async createDatabase(name) {
      const db = await openActivityDb(url, { migrate: false, poolSize: 1 })
      try {
        await db.run(`CREATE DATABASE "${name.replace(/"/g, '')}"`)
      } finally {
        await db.close()
      }
      return urlFor(socket, name)
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r))
        const [stopCmd, stopArgs] = asServerUser(join(bin, 'pg_ctl'), [
          'stop',
          '-D',
          data,
          '-m',
          'immediate',
          '-w'
        ])
        const r = spawnSync(stopCmd, stopArgs, { encoding: 'utf8', timeout: 20_000 })
        if (r.status !== 0) child.kill('SIGKILL')
        await exited
      }
      rmSync(dir, { recursive: true, force: true })
    }
  }
}
