import {
  repositoryFile,
  snapshotInto,
  workspaceFile,
  type RepoContext,
  type SnapshotResult
} from '@hubstore/core'
import type { Command } from 'commander'
import { progressLine, storeOptions } from './objects.js'
import {
  printResult,
  storeContextFromFlags,
  versionNumberingOption,
  type RepoFlags,
  type StoreFlags
} from '../options.js'

interface SnapshotFlags extends StoreFlags {
  commit?: boolean
  branch?: string
}

/** What a snapshot command reports. */
interface Reported extends SnapshotResult {
  path: string
  written: boolean
  commitSha?: string
}

/**
 * `hubstore snapshot` (full) and `hubstore update-snapshot` (incremental): gh-store's commands on
 * a local file, or with `--commit` on the file in the repository (compare-and-swap).
 */
export function registerSnapshot(program: Command): void {
  const withCommit = (command: Command) =>
    versionNumberingOption(storeOptions(command))
      .option(
        '--commit',
        'read and commit the file in the repository (contents API) instead of a local file'
      )
      .option(
        '--branch <name>',
        'with --commit: the branch (default: the default branch; created when missing)'
      )

  withCommit(
    program
      .command('snapshot')
      .description(
        "Write every object to one JSON file in gh-store's snapshot format (a full snapshot)."
      )
      .option('-o, --output <path>', 'the snapshot file', 'snapshot.json')
  ).action(async (flags: SnapshotFlags & { output: string }) => {
    const ctx = storeContextFromFlags(flags)
    report(flags, await run(ctx, flags, flags.output, 'full'))
  })

  withCommit(
    program
      .command('update-snapshot')
      .description(
        'Update a snapshot file with the objects changed since its snapshot_time (archived ones removed); ' +
          'writes only when something changed; the file must exist (SNAPSHOT_NOT_FOUND otherwise).'
      )
      .requiredOption('-s, --snapshot-path <path>', 'the snapshot file to update')
  ).action(async (flags: SnapshotFlags & { snapshotPath: string }) => {
    const ctx = storeContextFromFlags(flags)
    report(flags, await run(ctx, flags, flags.snapshotPath, 'incremental'))
  })
}

async function run(
  ctx: RepoContext,
  flags: SnapshotFlags,
  path: string,
  mode: 'full' | 'incremental'
): Promise<Reported> {
  const onProgress = progressLine(flags)
  const location = flags.commit
    ? repositoryFile(ctx, { path, branch: flags.branch })
    : workspaceFile(path)
  // update-snapshot updates an existing file (gh-store's command): no file is SNAPSHOT_NOT_FOUND.
  const r = await snapshotInto(ctx, location, {
    mode,
    ifMissing: 'error',
    onProgress,
    versionNumbering: flags.versionNumbering
  })
  return { ...r, written: r.outcome === 'written', commitSha: r.commitSha }
}

function report(flags: RepoFlags, r: Reported): void {
  if (process.stderr.isTTY) process.stderr.write('\r\x1b[K')
  printResult(
    flags,
    {
      path: r.path,
      mode: r.mode,
      written: r.written,
      commitSha: r.commitSha,
      objects: r.objects,
      changed: r.changedIds,
      removed: r.removedIds,
      pending: r.pendingIds,
      skipped: r.skipped,
      duplicates: r.duplicates,
      requests: r.requests
    },
    () =>
      [
        r.written
          ? `Wrote ${r.path}${r.commitSha ? ` (commit ${r.commitSha.slice(0, 7)})` : ''}: ${r.objects} object(s), ` +
            `${r.changedIds.length} changed, ${r.removedIds.length} removed (${r.mode}, ${r.requests} requests)`
          : `No updates found since last snapshot: ${r.path} left as it was (${r.requests} requests)`,
        ...(r.changedIds.length > 0 ? [`  changed: ${r.changedIds.join(', ')}`] : []),
        ...(r.removedIds.length > 0 ? [`  removed: ${r.removedIds.join(', ')}`] : []),
        ...(r.pendingIds.length > 0
          ? [`  updates queued (kept as before): ${r.pendingIds.join(', ')}`]
          : []),
        ...r.skipped.map((s) => `  skipped #${s.issueNumber} (${s.reason})`)
      ].join('\n')
  )
}
