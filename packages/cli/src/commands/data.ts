import type { RepoContext } from '@hubstore/core'
import {
  backupDirectory,
  DATA_BRANCH,
  DATA_LAYOUTS,
  type DataLayout,
  directoryStatus,
  listBackups,
  MIN_WATCH_INTERVAL_MS,
  restoreDirectory,
  watchDirectory,
  type BackupOptions,
  type BackupResult,
  type DataRemoteOptions,
  type HookCommand,
  type WatchEvent
} from '@hubstore/core/data'
import { Option, type Command } from 'commander'
import { UsageError } from '../errors.js'
import {
  durationFlag,
  printResult,
  repoContextFromFlags,
  repoOptions,
  type RepoFlags
} from '../options.js'
import { formatBytes, formatDuration, progressReporter } from '../progress.js'
import {
  printWarnings,
  quotaOf,
  quotaOptions,
  registerDataPrune,
  type QuotaFlags
} from './data-retention.js'

/** Flags every `data` subcommand takes. */
interface DataFlags extends RepoFlags {
  branch: string
  serverUrl?: string
}

function dataOptions(command: Command): Command {
  return repoOptions(command, 'the data repository')
    .option('-b, --branch <name>', 'the data branch', DATA_BRANCH)
    .option(
      '--server-url <url>',
      'web server for Git LFS (default: $GITHUB_SERVER_URL, else derived from the API URL)'
    )
}

/** commander parser for `--interval`: a duration of at least 100 ms. @throws {UsageError} */
function intervalFlag(value: string): number {
  const ms = durationFlag('--interval')(value)
  if (ms < MIN_WATCH_INTERVAL_MS)
    throw new UsageError(
      `--interval takes at least ${MIN_WATCH_INTERVAL_MS}ms (a check costs 3 requests), got "${value}".`
    )
  return ms
}

/** `--layout` of backup and watch (docs/persist-data.md §9). */
function layoutFlag(): Option {
  return new Option(
    '--layout <layout>',
    'chunked (deduplicated packs) or lfs-files (plain files + LFS pointers under data/, readable by git clone + git lfs pull)'
  )
    .choices([...DATA_LAYOUTS])
    .default('chunked')
}

/** `--pre-backup` / `--post-backup` (and the quota flags) as commander parses them. */
interface HookFlags extends QuotaFlags {
  preBackup?: HookCommand
  postBackup?: HookCommand
  /** `--layout`, which backup and watch take beside the hooks */
  layout?: DataLayout
}

/**
 * commander parser for a hook command: words split at spaces, a word in double or single
 * quotes kept whole; run without a shell (no pipes, no variables). @throws {UsageError}
 */
export function hookCommandFlag(flag: string): (value: string) => HookCommand {
  return (value) => {
    const words = [...value.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map(
      (m) => m[1] ?? m[2] ?? (m[3] as string)
    )
    if (words.length === 0 || /["']/.test(value.replace(/"[^"]*"|'[^']*'/g, '')))
      throw new UsageError(
        `${flag} takes a command, e.g. ${flag} "sqlite3 app.db '.timeout 5000'", got ${JSON.stringify(value)}.`
      )
    return words as unknown as HookCommand
  }
}

/** The flags of a backup (`backup`, `watch`): hooks, and the quota warning's (data-retention.ts). */
function hookOptions(command: Command): Command {
  return quotaOptions(command)
    .option(
      '--pre-backup <command>',
      'run before reading the directory (cwd: the directory; no shell), e.g. to pause writers',
      hookCommandFlag('--pre-backup')
    )
    .option(
      '--post-backup <command>',
      'run after reading it, also when reading failed (e.g. to resume writers)',
      hookCommandFlag('--post-backup')
    )
}

function hooksOf(flags: HookFlags): Pick<BackupOptions, 'capture' | 'quotaBytes' | 'warnAtShare'> {
  if (!flags.preBackup && !flags.postBackup) return quotaOf(flags)
  return {
    ...quotaOf(flags),
    capture: {
      hooks: {
        ...(flags.preBackup ? { pre: flags.preBackup } : {}),
        ...(flags.postBackup ? { post: flags.postBackup } : {})
      }
    }
  }
}

function remote(flags: DataFlags, env: NodeJS.ProcessEnv = process.env): DataRemoteOptions {
  const serverUrl = flags.serverUrl || env.GITHUB_SERVER_URL || undefined
  return { branch: flags.branch, ...(serverUrl ? { serverUrl } : {}) }
}

/** A backup result without its manifest (the manifest lists every chunk). */
export function backupSummary(r: BackupResult): Omit<BackupResult, 'manifest'> {
  const shown: Partial<BackupResult> = { ...r }
  delete shown.manifest
  return shown as Omit<BackupResult, 'manifest'>
}

function backupLine(r: BackupResult): string {
  return (
    `backup ${r.backupId}: ${r.files} file(s), ${formatBytes(r.bytes)}; ${formatBytes(r.newBytes)} new, ` +
    `${formatBytes(r.uploadedBytes)} uploaded (${r.packs.uploaded} pack(s)); commit ${r.commitSha}` +
    (r.verified ? '' : '\nhubstore: warning: unverified: files kept changing while they were read')
  )
}

async function backup(ctx: RepoContext, dir: string, flags: DataFlags & HookFlags) {
  const progress = progressReporter(flags.json)
  try {
    return await backupDirectory(ctx, dir, {
      ...remote(flags),
      layout: flags.layout,
      ...hooksOf(flags),
      onProgress: progress.onProgress
    })
  } finally {
    progress.end()
  }
}

function watchLine(e: WatchEvent): string {
  const when = e.final ? 'final check: ' : ''
  switch (e.type) {
    case 'backup':
      return `${when}${e.changedFiles} file(s) changed; ${backupLine(e.result)}`
    case 'unchanged':
      return `${when}unchanged since backup ${e.backupId}`
    case 'missing':
      return `${when}the directory does not exist: nothing backed up`
    case 'failed': {
      const error = e.error as { code?: string; message?: string }
      return `${when}backup failed (${error.code ?? 'error'}: ${error.message ?? String(e.error)}); failure ${e.failures}, retry in ${formatDuration(e.retryInMs)}`
    }
  }
}

/** A watch event as one JSON line: the backup without its manifest, the error as code + message. */
function watchRecord(e: WatchEvent): unknown {
  if (e.type === 'backup') return { ...e, result: backupSummary(e.result) }
  if (e.type !== 'failed') return e
  const error = e.error as { code?: string; message?: string }
  return { ...e, error: { code: error.code ?? 'ERROR', message: error.message ?? String(e.error) } }
}

/** `hubstore data backup|restore|status|history|prune|watch`: a data directory on a data branch. */
export function registerData(program: Command): void {
  const data = program
    .command('data')
    .description(
      "Back an application's data directory up to a branch of a GitHub repository: SQLite through its backup API, deduplicated chunks in Git LFS packs, one commit per backup, atomic restore."
    )
    .addHelpText(
      'after',
      `
The token comes from $GH_TOKEN or $GITHUB_TOKEN (or --token) and is sent only in an Authorization
header; the API from --api-url or $GITHUB_API_URL. Progress goes to stderr (not with --json unless
stderr is a terminal). Examples:
  hubstore data restore data --if-missing --repo octocat/chatbot-data     # at container start
  hubstore data watch data --interval 30m --repo octocat/chatbot-data     # beside the app
  hubstore data backup data --repo octocat/chatbot-data
  hubstore data status data --repo octocat/chatbot-data
  hubstore data history --repo octocat/chatbot-data
  hubstore data prune --keep-last 10 --keep-daily 7 --repo octocat/chatbot-data
  hubstore data restore data --restore-point before:2026-11-30T12:00Z --repo octocat/chatbot-data`
    )

  hookOptions(
    dataOptions(
      data
        .command('backup')
        .description('Back the directory up now: only chunks the last backup lacks are uploaded.')
        .argument('<dir>', 'the data directory, e.g. data')
        .addOption(layoutFlag())
    )
  ).action(async (dir: string, flags: DataFlags & HookFlags) => {
    const ctx = repoContextFromFlags(flags)
    const r = await backup(ctx, dir, flags)
    printWarnings(r.warnings)
    printResult(flags, backupSummary(r), () => backupLine(r))
  })

  dataOptions(
    data
      .command('restore')
      .description(
        'Restore a backup into the directory, atomically (built beside it, swapped in by rename).'
      )
      .argument('<dir>', 'the directory to restore into (replaced as a whole)')
      .option('--if-missing', 'restore only when the directory is absent or empty (app start)')
      .option(
        '--restore-point <point>',
        'latest, a backup id, a commit SHA, a tag, or before:<ISO time>',
        'latest'
      )
      .option(
        '--cache-dir <dir>',
        'local pack cache (default: $XDG_CACHE_HOME/hubstore/packs, else ~/.cache/hubstore/packs)'
      )
  ).action(
    async (
      dir: string,
      flags: DataFlags & { ifMissing?: boolean; restorePoint: string; cacheDir?: string }
    ) => {
      const ctx = repoContextFromFlags(flags)
      const progress = progressReporter(flags.json)
      let r
      try {
        r = await restoreDirectory(ctx, dir, {
          ...remote(flags),
          point: flags.restorePoint,
          ifMissing: flags.ifMissing === true,
          ...(flags.cacheDir ? { cacheDir: flags.cacheDir } : {}),
          onProgress: progress.onProgress
        })
      } finally {
        progress.end()
      }
      const done = r
      printResult(flags, done, () =>
        done.restored
          ? `restored ${done.backupId} into ${dir}: ${done.files} file(s), ${formatBytes(done.bytes)}; ` +
            `${formatBytes(done.downloadedBytes)} downloaded (${done.packs.downloaded} pack(s), ${done.packs.cached} cached)`
          : `${dir} is not empty: nothing restored (--if-missing)`
      )
    }
  )

  dataOptions(
    data
      .command('status')
      .description('Compare the directory with the latest backup: sizes, mtimes, changed files.')
      .argument('<dir>', 'the data directory')
  ).action(async (dir: string, flags: DataFlags) => {
    const ctx = repoContextFromFlags(flags)
    const s = await directoryStatus(ctx, dir, remote(flags))
    printResult(flags, s, () =>
      [
        `${dir}: ${s.exists ? `${s.files} file(s), ${formatBytes(s.bytes)}` : 'does not exist'}; ` +
          (s.latest
            ? `latest backup ${s.latest.backupId} (${s.latest.finishedAt}${s.latest.verified ? '' : ', unverified'})` +
              (s.changed ? ', changed since' : ', unchanged since')
            : 'no backup yet'),
        ...s.entries
          .filter((e) => e.state !== 'unchanged')
          .map(
            (e) =>
              `  ${e.state.padEnd(8)} ${e.path} (${e.local ? formatBytes(e.local.size) : '-'}` +
              `${e.backup ? `, was ${formatBytes(e.backup.size)}` : ''})`
          )
      ].join('\n')
    )
  })

  dataOptions(
    data
      .command('history')
      .description('List the backups of the data branch, newest first.')
      .argument('[dir]', 'the data directory (not read; accepted for symmetry with the others)')
  ).action(async (_dir: string | undefined, flags: DataFlags) => {
    const ctx = repoContextFromFlags(flags)
    const h = await listBackups(ctx, remote(flags))
    printResult(flags, h, () =>
      h.backups.length === 0
        ? `no backup on ${flags.branch}`
        : [
            `${h.backups.length} backup(s) on ${flags.branch} (commit ${h.commitSha}):`,
            ...h.backups.map(
              (b) =>
                `  ${b.id}  ${b.finishedAt}  ${b.files} file(s)  ${formatBytes(b.bytes)}  ` +
                `${formatBytes(b.newBytes)} new  ${b.status}`
            )
          ].join('\n')
    )
  })

  registerDataPrune(data, dataOptions, remote)

  hookOptions(
    dataOptions(
      data
        .command('watch')
        .description(
          'Back the directory up every --interval when it changed; retry failures with a growing delay; one last backup on SIGTERM/SIGINT.'
        )
        .argument('<dir>', 'the data directory')
        .addOption(layoutFlag())
        .option(
          '--interval <duration>',
          'time between checks (seconds, or 500ms, 30s, 30m)',
          intervalFlag,
          30 * 60_000
        )
    )
  ).action(async (dir: string, flags: DataFlags & HookFlags & { interval: number }) => {
    const ctx = repoContextFromFlags(flags)
    const controller = new AbortController()
    const stop = () => controller.abort()
    process.once('SIGTERM', stop)
    process.once('SIGINT', stop)
    const log = (e: WatchEvent) => {
      const text = flags.json
        ? JSON.stringify(watchRecord(e))
        : `${new Date().toISOString()} ${watchLine(e)}`
      // a failure is a log line for the operator; backups and checks are the command's output
      if (e.type === 'failed' && !flags.json) process.stderr.write(`hubstore: ${text}\n`)
      else process.stdout.write(`${text}\n`)
      if (e.type === 'backup') printWarnings(e.result.warnings)
    }
    process.stderr.write(
      `hubstore: watching ${dir} every ${formatDuration(flags.interval)} (SIGTERM/SIGINT: one last backup, then exit)\n`
    )
    try {
      await watchDirectory(ctx, dir, {
        ...remote(flags),
        ...hooksOf(flags),
        layout: flags.layout,
        intervalMs: flags.interval,
        signal: controller.signal,
        onEvent: log
      })
    } finally {
      process.off('SIGTERM', stop)
      process.off('SIGINT', stop)
    }
  })
}
