import {
  activityClients,
  healthReport,
  importActivity,
  listJobs,
  openActivityDb,
  sweep,
  DETECT_MODES,
  SYNC_JOB_STATUSES,
  type ActivityClients,
  type DetectMode,
  type SweepProgress,
  type ActivityDb,
  type SyncJobRow,
  type SyncJobStatus
} from '@hubstore/core/activity'
import { apiUrlProblem, echoValue } from '@hubstore/core/github'
import type { Command } from 'commander'
import { UsageError } from '../errors.js'
import { collectRepo, durationFlag, printResult, wholeNumber } from '../options.js'
import { formatDuration } from '../progress.js'

/** Where the activity database is when neither `--database` nor the variable says. */
export const DEFAULT_DATABASE = 'sqlite:hubstore-activity.db'

/** Flags every `activity` subcommand takes. */
interface ActivityFlags {
  database?: string
  json?: boolean
}

/** Flags of the subcommands that reach GitHub. */
interface GitHubFlags extends ActivityFlags {
  repo?: string[]
  apiUrl?: string
}

const STATUSES = SYNC_JOB_STATUSES

function databaseOption(command: Command): Command {
  return command
    .option(
      '--database <url>',
      `sqlite:PATH or postgres://… (default: $HUBSTORE_DATABASE_URL, else ${DEFAULT_DATABASE})`
    )
    .option('--json', 'print the result as JSON (camelCase keys)')
}

function githubOptions(command: Command): Command {
  return databaseOption(command)
    .option(
      '-r, --repo <owner/name>',
      'a repository to sync with $GITHUB_TOKEN (repeat the flag); without it, App credentials ' +
        '($GITHUB_APP_ID, $GITHUB_APP_PRIVATE_KEY) and every repository of every installation',
      collectRepo
    )
    .option('--api-url <url>', 'REST API root (default: $GITHUB_API_URL, else api.github.com)')
}

/** The database URL of a command: `--database`, else `$HUBSTORE_DATABASE_URL`, else the default. */
export function databaseUrl(flags: ActivityFlags, env: NodeJS.ProcessEnv = process.env): string {
  return flags.database || env.HUBSTORE_DATABASE_URL || DEFAULT_DATABASE
}

async function withDb<T>(flags: ActivityFlags, body: (db: ActivityDb) => Promise<T>): Promise<T> {
  const db = await openActivityDb(databaseUrl(flags))
  try {
    return await body(db)
  } finally {
    await db.close()
  }
}

/**
 * The clients of a command: `--repo` with `$GITHUB_TOKEN` (or `$GH_TOKEN`), else App
 * credentials from `$GITHUB_APP_ID` + `$GITHUB_APP_PRIVATE_KEY` (the seed's names).
 * @throws {UsageError} naming what to set
 */
export function clientsFromFlags(
  flags: GitHubFlags,
  env: NodeJS.ProcessEnv = process.env
): ActivityClients {
  const apiUrl = flags.apiUrl || env.GITHUB_API_URL || undefined
  const problem = apiUrl === undefined ? undefined : apiUrlProblem(apiUrl)
  if (apiUrl !== undefined && problem !== undefined)
    throw new UsageError(
      `${flags.apiUrl ? '--api-url' : 'GITHUB_API_URL'} ${echoValue(apiUrl)} ${problem}: give the REST API root as an http(s) URL, e.g. https://api.github.com.`
    )
  const base = apiUrl ? { baseUrl: apiUrl } : {}
  if (flags.repo && flags.repo.length > 0) {
    const token = env.GH_TOKEN || env.GITHUB_TOKEN
    if (!token)
      throw new UsageError(
        'No GitHub token for --repo. Set GITHUB_TOKEN to a token that can read the repositories.'
      )
    return activityClients({ token, ...base })
  }
  const appId = env.GITHUB_APP_ID
  const privateKey = env.GITHUB_APP_PRIVATE_KEY
  if (!appId || !privateKey)
    throw new UsageError(
      'Say what to sync: --repo owner/name (repeatable) with GITHUB_TOKEN set, or App credentials in GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY.'
    )
  return activityClients({ appId, privateKey: privateKey.replace(/\\n/g, '\n'), ...base })
}

/** A job row for `--json`: camelCase keys, `counts` and `errors` parsed. */
export function jobJson(job: SyncJobRow): Record<string, unknown> {
  return {
    id: job.id,
    type: job.type,
    status: job.status,
    repositoriesProcessed: job.repositories_processed,
    counts: camel(JSON.parse(job.counts)),
    errors: JSON.parse(job.errors) as unknown,
    restRequests: job.rest_requests,
    graphqlPoints: job.graphql_points,
    startedAt: job.started_at,
    finishedAt: job.finished_at,
    runner: job.runner
  }
}

/** One line per job: `#3 periodic succeeded 12 repos, 4 REST, 2 points (…)`. */
export function jobLine(job: SyncJobRow): string {
  const counts = JSON.parse(job.counts) as Record<string, number>
  const written = Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ')
  const errors = JSON.parse(job.errors) as Array<{ code: string; message: string }>
  const took =
    job.finished_at === null
      ? 'running'
      : formatDuration(Date.parse(job.finished_at) - Date.parse(job.started_at))
  return (
    `#${job.id} ${job.type} ${job.status}: ${job.repositories_processed} repositories, ` +
    `${job.rest_requests} REST requests, ${job.graphql_points} GraphQL points` +
    (written ? `; wrote ${written}` : '') +
    `; ${took}` +
    (errors.length > 0 ? `\n  ${errors.map((e) => `${e.code}: ${e.message}`).join('\n  ')}` : '')
  )
}

/** One progress line of `activity sync`. */
function sweepLine(p: SweepProgress, minInterval: number): string {
  switch (p.phase) {
    case 'plan':
      return `${p.total} repositories to check, ${p.skipped} synced within ${formatDuration(minInterval)}`
    case 'fallback':
      return `${p.budget}: checking with REST conditional requests instead of GraphQL: ${p.reason}`
    case 'detect':
      return (
        `checked ${p.checked}/${p.total}, ${p.changed} changed` +
        (p.restSent > 0 ? ` (${p.restSent} REST checks, ${p.restNotModified} answered 304)` : '')
      )
    case 'sync':
      return `synced ${p.repository} (${p.why.join(', ')}) ${p.done}/${p.total}`
  }
}

/** Progress on stderr (none with `--json`). */
function progress(flags: ActivityFlags): (line: string) => void {
  return flags.json ? () => {} : (line) => void process.stderr.write(`hubstore: ${line}\n`)
}

/** Sets exit code 1 when the job did not succeed. */
function printJob(flags: ActivityFlags, job: SyncJobRow): void {
  printResult(flags, jobJson(job), () => jobLine(job))
  if (job.status !== 'succeeded') process.exitCode = 1
}

/** Registers `hubstore activity import | sync | jobs | health`. */
export function registerActivity(program: Command): void {
  const activity = program
    .command('activity')
    .description(
      'Repository activity (commits, issues, pull requests, contributors) synced into SQLite or PostgreSQL.'
    )

  githubOptions(
    activity
      .command('import')
      .description('Import every repository in full (an initial_import job).')
  ).action(async (flags: GitHubFlags) => {
    const clients = clientsFromFlags(flags)
    const say = progress(flags)
    const job = await withDb(flags, (db) =>
      importActivity(db, {
        clientFor: clients.clientFor,
        ...(clients.appClient ? { appClient: clients.appClient } : {}),
        repositories: flags.repo ?? [],
        onRepository: (r) =>
          say(
            `${r.done}: ${r.repository}${r.error ? ` failed: ${(r.error as Error).message}` : ''}`
          )
      })
    )
    printJob(flags, job)
  })

  githubOptions(
    activity
      .command('sync')
      .description(
        'Sweep: skip repositories synced within --min-interval, detect changes (--detect: one GraphQL query per 100, or REST conditional requests answered 304 for free), fetch only what changed (a periodic job).'
      )
      .option(
        '--detect <mode>',
        `how changes are detected: ${DETECT_MODES.join(', ')} (auto: GraphQL, falling back to REST If-Modified-Since/ETag requests for repositories GraphQL cannot serve)`,
        (v: string) => {
          if (!DETECT_MODES.includes(v as DetectMode))
            throw new UsageError(
              `--detect takes one of ${DETECT_MODES.join(', ')}, got ${echoValue(v)}.`
            )
          return v as DetectMode
        },
        'auto'
      )
      .option(
        '--min-interval <duration>',
        'skip repositories synced this recently (seconds, or 30s, 10m)',
        durationFlag('--min-interval'),
        600_000
      )
      .option(
        '--reserve <percent>',
        'share of each rate limit to keep back, 0–99',
        wholeNumber('--reserve', 0),
        10
      )
  ).action(
    async (flags: GitHubFlags & { minInterval: number; reserve: number; detect: DetectMode }) => {
      if (flags.reserve > 99) throw new UsageError(`--reserve takes 0 to 99, got ${flags.reserve}.`)
      const clients = clientsFromFlags(flags)
      const say = progress(flags)
      const job = await withDb(flags, (db) =>
        sweep(db, {
          clientFor: clients.clientFor,
          budgetKey: clients.budgetKey,
          repositories: flags.repo && flags.repo.length > 0 ? flags.repo : 'installations',
          minIntervalMs: flags.minInterval,
          reservePercent: flags.reserve,
          detect: flags.detect,
          onProgress: (p) => say(sweepLine(p, flags.minInterval))
        })
      )
      printJob(flags, job)
    }
  )

  databaseOption(
    activity
      .command('jobs')
      .description('List sync jobs, newest first.')
      .option('--limit <n>', 'how many (at most 500)', wholeNumber('--limit', 1), 20)
      .option('--status <status>', `only jobs with this status: ${STATUSES.join(', ')}`, (v) => {
        if (!STATUSES.includes(v as SyncJobStatus))
          throw new UsageError(`--status takes one of ${STATUSES.join(', ')}, got ${echoValue(v)}.`)
        return v as SyncJobStatus
      })
  ).action(async (flags: ActivityFlags & { limit: number; status?: SyncJobStatus }) => {
    const jobs = await withDb(flags, (db) =>
      listJobs(db, { limit: flags.limit, ...(flags.status ? { status: flags.status } : {}) })
    )
    printResult(flags, jobs.map(jobJson), () =>
      jobs.length === 0 ? 'no jobs' : jobs.map(jobLine).join('\n')
    )
  })

  databaseOption(
    activity
      .command('health')
      .description('Coverage, lag, the last periodic sync, the inbox and the rate-limit budget.')
      .option(
        '--min-interval <duration>',
        'a repository synced this recently counts as covered',
        durationFlag('--min-interval'),
        600_000
      )
  ).action(async (flags: ActivityFlags & { minInterval: number }) => {
    const h = await withDb(flags, (db) => healthReport(db, { minIntervalMs: flags.minInterval }))
    printResult(flags, camel(h), () =>
      [
        `${h.total_repositories} repositories, ${h.synced_recently} synced within ${formatDuration(h.min_interval_ms)} (coverage ${h.coverage_percent} %)` +
          (h.lag_ms === null ? '' : `; oldest sync ${formatDuration(h.lag_ms)} ago`),
        h.last_periodic_sync
          ? `last periodic sync #${h.last_periodic_sync.id} ${h.last_periodic_sync.status}: ${h.last_periodic_sync.repositories_processed} repositories, started ${h.last_periodic_sync.started_at}`
          : 'no periodic sync yet',
        `deliveries: ${h.deliveries.pending} pending, ${h.deliveries.failed} failed, ${h.deliveries.processed} processed, ${h.deliveries.redelivered} redelivered`,
        `rate limit left: REST ${h.rate_limit.rest_remaining ?? '?'}, GraphQL ${h.rate_limit.graphql_remaining ?? '?'}` +
          (h.rate_limit.reset_at ? ` (reset ${h.rate_limit.reset_at})` : '')
      ].join('\n')
    )
  })
}

/** snake_case keys to camelCase, deeply (the CLI's `--json` convention). */
function camel(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camel)
  if (value === null || typeof value !== 'object') return value
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase()),
      camel(v)
    ])
  )
}
