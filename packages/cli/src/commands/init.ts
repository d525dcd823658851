/**
 * `hubstore init`: what gh-store's `init` writes (its default `config.yml`, docs/gh-store-format.md
 * §5.1, §5.3) plus the workflows a store needs (§5.4): callers of hubstore's reusable
 * `process-updates` (on issue reopen and comment, and a scheduled sweep) and `snapshot` workflows,
 * each passing the `config.yml` it writes.
 */
import { mkdir, stat, writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { formatStoreConfig, storeLabels, type StoreConfig } from '@hubstore/core/objects'
import type { Command } from 'commander'
import { UsageError } from '../errors.js'
import { printResult } from '../options.js'

/** Where init writes, relative to the directory (the repository's root). */
export const INIT_FILES = {
  config: 'config.yml',
  processUpdates: '.github/workflows/hubstore-process-updates.yml',
  snapshot: '.github/workflows/hubstore-snapshot.yml'
} as const

/** Where the reusable workflows live (the README's callers name them the same way). */
const REUSABLE = 'hubstore/hubstore/.github/workflows'

/**
 * The files of a new store, path → text: the config (gh-store's defaults unless `config` says
 * otherwise) and the two workflow callers, which pass the config's path and base label.
 */
export function initFiles(config?: StoreConfig): Array<{ path: string; text: string }> {
  const baseLabel = storeLabels(config).storedObject
  const processUpdates = `# Written by hubstore init. Applies queued gh-store updates: when an object's issue is reopened
# (an update was queued) or commented on, and every 30 minutes as a sweep of every open object,
# which also picks up updates posted with GITHUB_TOKEN (they start no workflow).
name: hubstore process-updates
on:
  issues:
    types: [reopened]
  issue_comment:
    types: [created]
  schedule:
    - cron: '*/30 * * * *'
  workflow_dispatch:
permissions:
  issues: write
  contents: write # the object's lease, a ref under refs/hubstore/leases
jobs:
  process:
    # comments on pull requests are not object updates
    if: github.event_name != 'issue_comment' || !github.event.issue.pull_request
    uses: ${REUSABLE}/process-updates.yml@v0
    with:
      config: ${INIT_FILES.config}
      base-label: ${JSON.stringify(baseLabel)}
`
  const snapshot = `# Written by hubstore init. Commits every object to data/store-snapshot.json in gh-store's
# snapshot format: daily (incremental: only objects changed since the last snapshot) and on demand.
name: hubstore snapshot
on:
  schedule:
    - cron: '17 3 * * *'
  workflow_dispatch:
permissions:
  contents: write
  issues: read
jobs:
  snapshot:
    uses: ${REUSABLE}/snapshot.yml@v0
    with:
      config: ${INIT_FILES.config}
`
  return [
    { path: INIT_FILES.config, text: formatStoreConfig(config) },
    { path: INIT_FILES.processUpdates, text: processUpdates },
    { path: INIT_FILES.snapshot, text: snapshot }
  ]
}

/** What `hubstore init` did (`--json`). */
interface InitReport {
  directory: string
  dryRun: boolean
  /** with `--dry-run`, each file's text too */
  files: Array<{ path: string; action: 'written' | 'overwritten' | 'would write'; text?: string }>
}

/**
 * Writes {@link initFiles} under `directory`. Existing files are left alone and reported
 * together (nothing is written) unless `force`; `dryRun` writes nothing.
 *
 * @throws {UsageError} naming the files that exist already
 */
export async function runInit(
  directory: string,
  options: { dryRun?: boolean; force?: boolean } = {}
): Promise<InitReport> {
  const root = resolve(directory)
  const files = initFiles()
  const exists = async (p: string) =>
    stat(join(root, p)).then(
      () => true,
      () => false
    )
  const existing: string[] = []
  for (const f of files) if (await exists(f.path)) existing.push(f.path)
  if (existing.length > 0 && !options.force && !options.dryRun)
    throw new UsageError(
      `init: ${existing.join(', ')} already exist${existing.length === 1 ? 's' : ''} in ${root}; ` +
        'nothing was written. Pass --force to overwrite, or --dry-run to see what would be written.'
    )
  const report: InitReport = { directory: root, dryRun: Boolean(options.dryRun), files: [] }
  for (const f of files) {
    if (!options.dryRun) {
      await mkdir(dirname(join(root, f.path)), { recursive: true })
      await writeFile(join(root, f.path), f.text)
    }
    report.files.push({
      path: f.path,
      action: options.dryRun
        ? 'would write'
        : existing.includes(f.path)
          ? 'overwritten'
          : 'written',
      ...(options.dryRun ? { text: f.text } : {})
    })
  }
  return report
}

/** `hubstore init [directory]`: a new store's config.yml and workflows. */
export function registerInit(program: Command): void {
  program
    .command('init')
    .description(
      "Write a store's config.yml (gh-store's defaults) and the workflows it needs " +
        '(process-updates on issue reopen/comment plus a scheduled sweep, snapshot) into a repository checkout.'
    )
    .argument('[directory]', "the repository's root", '.')
    .option('--dry-run', 'print what would be written; write nothing')
    .option('--force', 'overwrite files that exist')
    .option('--json', 'print the result as JSON (camelCase keys)')
    .action(
      async (directory: string, flags: { dryRun?: boolean; force?: boolean; json?: boolean }) => {
        const report = await runInit(directory, flags)
        printResult(flags, report, () =>
          [
            ...report.files.map((f) =>
              f.text === undefined
                ? `${f.action} ${f.path}`
                : `--- ${f.path} (not written)\n${f.text}`
            ),
            ...(report.dryRun
              ? []
              : [
                  `Commit these files; the workflows read ${INIT_FILES.config} from the default branch.`
                ])
          ].join('\n')
        )
      }
    )
}
