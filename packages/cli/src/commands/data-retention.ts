/**
 * `hubstore data prune` and the quota flags of `data backup` / `data watch`: retention of the
 * data branch and the LFS size warnings (docs/persist-data.md §10), printed on stderr.
 */
import type { RepoContext } from '@hubstore/core'
import { pruneBackups, type PruneResult, type QuotaOptions } from '@hubstore/core/data'
import type { Command } from 'commander'
import { UsageError } from '../errors.js'
import { printResult, repoContextFromFlags, wholeNumber, type RepoFlags } from '../options.js'
import { formatBytes } from '../progress.js'

const UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4
}

/**
 * commander parser for a size flag: bytes, or a number with a unit (`10GiB`, `500 MB`; decimal
 * KB/MB/GB/TB, binary KiB/MiB/GiB/TiB); answers whole bytes. @throws {UsageError}
 */
export function sizeFlag(flag: string): (value: string) => number {
  return (value) => {
    const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(value)
    const unit = UNITS[(m?.[2] ?? '').toLowerCase()]
    const bytes = m && unit !== undefined ? Math.round(Number(m[1]) * unit) : NaN
    if (!Number.isSafeInteger(bytes) || bytes <= 0)
      throw new UsageError(
        `${flag} takes a size > 0 in bytes or with a unit (10GiB, 500MB), got ${JSON.stringify(value)}.`
      )
    return bytes
  }
}

/** commander parser for `--warn-at`: a percentage (`80`, `80%`) above 0 and at most 100. */
function shareFlag(value: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*%?\s*$/.exec(value)
  const percent = m ? Number(m[1]) : NaN
  if (!(percent > 0 && percent <= 100))
    throw new UsageError(
      `--warn-at takes a percentage above 0 and at most 100 (e.g. 80), got ${JSON.stringify(value)}.`
    )
  return percent / 100
}

/** The quota flags as commander parses them. */
export interface QuotaFlags {
  lfsQuota?: number
  warnAt?: number
}

/** Adds `--lfs-quota` and `--warn-at` (the size warnings of a backup). */
export function quotaOptions(command: Command): Command {
  return command
    .option(
      '--lfs-quota <size>',
      "the account's Git LFS storage quota, for the warning (default 10GiB)",
      sizeFlag('--lfs-quota')
    )
    .option(
      '--warn-at <percent>',
      'warn when LFS storage would reach this share of --lfs-quota (default 80)',
      shareFlag
    )
}

/** The backup options the quota flags give. */
export function quotaOf(flags: QuotaFlags): QuotaOptions {
  return {
    ...(flags.lfsQuota !== undefined ? { quotaBytes: flags.lfsQuota } : {}),
    ...(flags.warnAt !== undefined ? { warnAtShare: flags.warnAt } : {})
  }
}

/** Writes each size warning as a `hubstore: warning:` line on stderr. */
export function printWarnings(warnings: readonly string[]): void {
  for (const w of warnings) process.stderr.write(`hubstore: warning: ${w}\n`)
}

function pruneLines(r: PruneResult, branch: string): string {
  const verb = r.dryRun ? 'would remove' : 'removed'
  const lines = [
    `${verb} ${r.removed.length} backup(s), kept ${r.kept.length} on ${branch}` +
      (r.commitSha ? ` (commit ${r.commitSha})` : r.dryRun ? ' (dry run: nothing committed)' : ''),
    ...r.kept.map((b) => `  keep    ${b.id}  ${b.finishedAt}  (${b.reasons.join(', ')})`),
    ...r.removed.map((b) => `  ${r.dryRun ? 'drop' : 'removed'} ${b.id}  ${b.finishedAt}`),
    `Git LFS: ${formatBytes(r.lfs.referencedBytes)} referenced by kept backups (${r.lfs.referencedObjects} pack(s)), ` +
      `${formatBytes(r.lfs.unreferencedBytes)} unreferenced, ${formatBytes(r.lfs.storedBytes)} stored. ` +
      'GitHub keeps unreferenced LFS objects (and bills them) until the repository is deleted.'
  ]
  return lines.join('\n')
}

/**
 * Registers `hubstore data prune` on the `data` command. `withRemote` adds the flags every data
 * subcommand takes; `remoteOf` turns them into core options.
 */
export function registerDataPrune<F extends RepoFlags & { branch: string }>(
  data: Command,
  withRemote: (command: Command) => Command,
  remoteOf: (flags: F) => { branch?: string }
): void {
  withRemote(
    data
      .command('prune')
      .description(
        'Remove old backups from the data branch (one commit; history stays linear): keep the newest --keep-last and the newest of each of the last --keep-daily days that have one.'
      )
      .argument('[dir]', 'the data directory (not read; accepted for symmetry with the others)')
      .option('--keep-last <n>', 'keep the newest n backups', wholeNumber('--keep-last', 0))
      .option(
        '--keep-daily <n>',
        'keep the newest backup of each of the last n UTC days that have one',
        wholeNumber('--keep-daily', 0)
      )
      .option('--dry-run', 'report what would be removed, commit nothing')
      .addHelpText(
        'after',
        `
Like restic's "forget --keep-last/--keep-daily". Removed backups stay in the branch history
(restore them by commit SHA). Git LFS storage is not freed: GitHub deletes LFS objects only with
the repository. Example:
  hubstore data prune data --keep-last 10 --keep-daily 7 --dry-run --repo octocat/chatbot-data`
      )
  ).action(
    async (
      _dir: string | undefined,
      flags: F & { keepLast?: number; keepDaily?: number; dryRun?: boolean }
    ) => {
      if (!flags.keepLast && !flags.keepDaily)
        throw new UsageError(
          'prune needs --keep-last or --keep-daily ≥ 1 (it must keep something).'
        )
      const ctx: RepoContext = repoContextFromFlags(flags)
      const r = await pruneBackups(ctx, {
        ...remoteOf(flags),
        ...(flags.keepLast !== undefined ? { keepLast: flags.keepLast } : {}),
        ...(flags.keepDaily !== undefined ? { keepDaily: flags.keepDaily } : {}),
        dryRun: flags.dryRun === true
      })
      printResult(flags, r, () => pruneLines(r, flags.branch))
    }
  )
}
