/**
 * Activity initial import: 50 repositories × 200 commits × 50 issues imported into a fresh
 * SQLite database (and a fresh PostgreSQL database when PostgreSQL is installed), rows checked
 * complete (throws when not), REST requests and GraphQL points read from the job row and the
 * emulator's ledger, next to the github-to-sqlite-style fetch of the same data measured in the
 * same run. Part of `node node_modules/tsx/dist/cli.mjs bench/index.ts activity`.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { activityClients, importActivity, openActivityDb } from '@hubstore/core/activity'
import type { ActivityDb } from '@hubstore/core/activity'
import { startEmulator, type Emulator } from '@hubstore/emulator'
import { findPostgresBin, startPostgres, type PostgresServer } from '../test-support/postgres.js'
import { refetchEverything } from './baselines/github-to-sqlite-refetch.js'
import { printTable } from './table.js'

const REPOSITORIES = 50
const COMMITS = 200
const ISSUES = 50
/** Authors per repository, taking turns: the contributors each repository must end with. */
const AUTHORS = 4
const TOKEN = 'bench'

/** Runs git in `dir` (asynchronously: the emulator answering a push runs in this process). */
function git(dir: string, env: NodeJS.ProcessEnv, args: string[], input = ''): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd: dir, env, stdio: ['pipe', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    child.on('error', reject)
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`git ${args[0]}: ${stderr}`))
    )
    child.stdin.end(input)
  })
}

/**
 * One local repository with a branch `r<i>` per repository (made by one `git fast-import`:
 * `COMMITS` commits each, distinct SHAs, `AUTHORS` authors taking turns), pushed as `main` of
 * each empty repository with the real git client.
 */
async function pushHistories(emulator: Emulator, names: readonly string[]): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'hubstore-bench-import-git-'))
  try {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: dir,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_TERMINAL_PROMPT: '0',
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: 'http.extraHeader',
      GIT_CONFIG_VALUE_0: `Authorization: Basic ${Buffer.from(`x-access-token:${TOKEN}`).toString('base64')}`
    }
    await git(dir, env, ['init', '-q', '-b', 'main'])
    const parts: string[] = []
    let mark = 0
    names.forEach((_, r) => {
      for (let i = 1; i <= COMMITS; i++) {
        mark += 1
        const who = `a${i % AUTHORS} <a${i % AUTHORS}@example.com> ${1_767_225_600 + i} +0000`
        const message = `r${r} c${i}`
        const data = `repository ${r} line ${i}\n`
        parts.push(
          `commit refs/heads/r${r}\nmark :${mark}\nauthor ${who}\ncommitter ${who}\n` +
            `data ${message.length}\n${message}\n` +
            (i > 1 ? `from :${mark - 1}\n` : '') +
            `M 644 inline f.txt\ndata ${Buffer.byteLength(data)}\n${data}\n`
        )
      }
    })
    await git(dir, env, ['fast-import', '--quiet'], parts.join(''))
    for (const [r, fullName] of names.entries())
      await git(dir, env, ['push', '-q', `${emulator.url}/${fullName}.git`, `r${r}:main`])
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Throws unless every repository, commit, issue and contributor is stored. */
async function checkComplete(db: ActivityDb, names: readonly string[]): Promise<void> {
  const count = async (sql: string) => Number((await db.get<{ n: number }>(sql))!.n)
  const found = {
    repositories: await count('SELECT COUNT(*) AS n FROM repositories'),
    commits: await count('SELECT COUNT(*) AS n FROM commits'),
    repository_commits: await count('SELECT COUNT(*) AS n FROM repository_commits'),
    issues: await count('SELECT COUNT(*) AS n FROM issues'),
    contributors: await count('SELECT COUNT(*) AS n FROM contributors'),
    contributor_commits: await count('SELECT COALESCE(SUM(commits), 0) AS n FROM contributors')
  }
  const n = names.length
  const want = {
    repositories: n,
    commits: n * COMMITS,
    repository_commits: n * COMMITS,
    issues: n * ISSUES,
    contributors: n * AUTHORS,
    contributor_commits: n * COMMITS
  }
  const wrong = Object.entries(want).filter(([k, v]) => found[k as keyof typeof found] !== v)
  if (wrong.length > 0)
    throw new Error(
      `initial import incomplete: ${wrong.map(([k, v]) => `${k} ${found[k as keyof typeof found]} (expected ${v})`).join(', ')}`
    )
}

/** One import into `url` on a fresh emulator world; answers its table row. */
async function importRow(engine: string, url: string): Promise<string[][]> {
  const emulator = await startEmulator()
  const db = await openActivityDb(url)
  try {
    await emulator.admin.createToken({ token: TOKEN, login: TOKEN, permission: 'admin' })
    const { names } = await emulator.admin.seedRepos(TOKEN, REPOSITORIES, { auto_init: false })
    let start = performance.now()
    await pushHistories(emulator, names)
    for (const fullName of names) await emulator.admin.seedIssues(fullName, ISSUES)
    const seedMs = performance.now() - start
    const clients = activityClients({
      token: TOKEN,
      baseUrl: emulator.url,
      client: { throttle: { writeSpacingMs: 0 } }
    })
    const octokit = await clients.clientFor(null)
    const before = (await octokit.rest.rateLimit.get()).data.resources
    await emulator.admin.clearLedger()
    start = performance.now()
    const job = await importActivity(db, { ...clients, repositories: names })
    const importMs = performance.now() - start
    const ledger = await emulator.admin.ledger()
    const after = (await octokit.rest.rateLimit.get()).data.resources
    if (job.status !== 'succeeded') throw new Error(`initial import ${job.status}: ${job.errors}`)
    await checkComplete(db, names)
    const ledgerRest = ledger.filter((e) => e.route !== '/graphql' && !e.notModified).length
    const points = before.graphql!.remaining - after.graphql!.remaining
    const rows = [
      [
        `hubstore importActivity (${engine})`,
        `${job.rest_requests} (ledger ${ledgerRest})`,
        `${job.graphql_points} (rate limit ${points})`,
        `rows complete; seeding ${(seedMs / 1000).toFixed(1)} s`,
        importMs.toFixed(0)
      ]
    ]
    if (engine === 'SQLite') {
      start = performance.now()
      const requests = await refetchEverything(octokit, names)
      rows.push([
        'github-to-sqlite-style fetch',
        String(requests),
        '0',
        'repository, commits, issues; no pull requests or contributors table',
        (performance.now() - start).toFixed(0)
      ])
    }
    return rows
  } finally {
    await db.close()
    await emulator.close()
  }
}

/** Prints the initial-import table; throws when an import leaves rows missing. */
export async function benchActivityImport(): Promise<void> {
  const rows: string[][] = []
  const dir = mkdtempSync(join(tmpdir(), 'hubstore-bench-import-'))
  let postgres: PostgresServer | null = null
  try {
    rows.push(...(await importRow('SQLite', `sqlite:${join(dir, 'activity.db')}`)))
    if (findPostgresBin()) {
      postgres = await startPostgres()
      rows.push(...(await importRow('PostgreSQL', await postgres.createDatabase('bench_import'))))
    } else rows.push(['hubstore importActivity (PostgreSQL)', '', '', 'not installed: skipped', ''])
  } finally {
    await postgres?.stop()
    rmSync(dir, { recursive: true, force: true })
  }
  printTable(
    `activity: initial import of ${REPOSITORIES} repositories × ${COMMITS} commits × ${ISSUES} issues`,
    ['implementation', 'REST requests', 'GraphQL points', 'outcome', 'wall ms'],
    rows
  )
}

if (import.meta.url === `file://${process.argv[1]}`) await benchActivityImport()
