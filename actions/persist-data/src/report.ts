import { code, md, type SummaryPart } from '@hubstore/action-kit'
import type {
  BackupListing,
  BackupResult,
  DataProgress,
  DirectoryStatus,
  PruneResult,
  RestoreResult
} from '@hubstore/core/data'

/** Rows a summary table shows at most (a data directory may hold thousands of files). */
export const MAX_ROWS = 50

/** `bytes` in binary units: `512 B`, `1.5 MiB`. */
export function size(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB']
  let v = bytes
  let u = 0
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024
    u++
  }
  return u === 0 ? `${bytes} B` : `${v.toFixed(1)} ${units[u]}`
}

/** One log line per pack moved and per finished phase. */
export function progressLine(p: DataProgress): string | undefined {
  const packs = p.phase === 'upload' || p.phase === 'download'
  if (!packs && p.done !== p.total) return undefined
  return `${p.phase}: ${p.done}/${p.total} ${packs ? 'pack(s)' : 'file(s)'}, ${size(p.bytes)} of ${size(p.totalBytes)}`
}

/** The warning of a backup whose files kept changing between capture passes. */
export const UNVERIFIED =
  'The backup is unverified: files kept changing while they were read. Stop the writers or give pre/post-backup hooks.'

/** The step's log line after a backup. */
export function backupLine(r: BackupResult, path: string, where: string): string {
  return `backup ${r.backupId} of ${path} to ${where}: ${r.files} file(s), ${size(r.bytes)}; ${size(r.newBytes)} new, ${size(r.uploadedBytes)} uploaded; commit ${r.commitSha}`
}

/** The step's log line after a restore. */
export function restoreLine(r: RestoreResult, path: string): string {
  return r.restored
    ? `restored ${r.backupId} into ${path}: ${r.files} file(s), ${size(r.bytes)}; ${size(r.downloadedBytes)} downloaded`
    : `${path} is not empty: nothing restored (if-missing)`
}

/** The table of the files that differ from the latest backup. */
function changes(s: DirectoryStatus): SummaryPart[] {
  const changed = s.entries.filter((e) => e.state !== 'unchanged')
  if (changed.length === 0)
    return [
      {
        text: md`
No file changed since the latest backup.
        `
      }
    ]
  const rows = changed
    .slice(0, MAX_ROWS)
    .map((e) => [
      e.path,
      e.state,
      e.local ? size(e.local.size) : '',
      e.backup ? size(e.backup.size) : ''
    ])
  const more = changed.length - rows.length
  return [
    { table: { header: ['File', 'Change', 'Size', 'In the backup'], rows } },
    ...(more > 0 ? [{ text: md`… and ${more} more changed file(s).` }] : [])
  ]
}

/** Summary of a backup: sizes, what was uploaded, which files changed. */
export function backupSummary(
  r: BackupResult,
  before: DirectoryStatus,
  where: string
): SummaryPart[] {
  return [
    {
      text: md`Backed up ${r.files} file(s), ${size(r.bytes)}, from ${code(where)} as ${code(r.backupId)} (commit ${code(r.commitSha)}): ${size(r.newBytes)} new, ${size(r.uploadedBytes)} uploaded in ${r.packs.uploaded} pack(s).${r.verified ? '' : ' Unverified: files kept changing while they were read.'}`
    },
    ...r.warnings.map((w) => ({ text: md`Warning: ${w}` })),
    ...changes(before)
  ]
}

/** Summary of a restore (and, with post-backup, that the post step will back it up). */
export function restoreSummary(r: RestoreResult, where: string, postBackup = false): SummaryPart[] {
  const later = postBackup
    ? [{ text: md`${code(where)} will be backed up at the end of the job (post-backup).` }]
    : []
  if (!r.restored)
    return [{ text: md`${code(where)} is not empty: nothing restored (if-missing).` }, ...later]
  return [
    {
      text: md`Restored ${code(r.backupId ?? '')} into ${code(where)}: ${r.files} file(s), ${size(r.bytes)}; ${size(r.downloadedBytes)} downloaded (${r.packs.downloaded} pack(s), ${r.packs.cached} from the cache).`
    },
    ...later
  ]
}

/** Summary of a status check. */
export function statusSummary(s: DirectoryStatus, where: string): SummaryPart[] {
  const local = s.exists ? `${s.files} file(s), ${size(s.bytes)}` : 'does not exist'
  const latest = s.latest
    ? md`latest backup ${code(s.latest.backupId)} of ${s.latest.finishedAt}`
    : md`
no backup yet
      `
  return [{ text: md`${code(where)}: ${local}; ${latest}.` }, ...changes(s)]
}

/** Summary of the backup history, newest first. */
export function historySummary(backups: BackupListing[], branch: string): SummaryPart[] {
  if (backups.length === 0) return [{ text: md`No backup on ${code(branch)} yet.` }]
  const rows = backups
    .slice(0, MAX_ROWS)
    .map((b) => [
      b.id,
      b.finishedAt,
      b.files,
      size(b.bytes),
      size(b.newBytes),
      size(b.uploadedBytes),
      b.status
    ])
  return [
    { text: md`${backups.length} backup(s) on ${code(branch)}, newest first.` },
    {
      table: { header: ['Backup', 'Finished', 'Files', 'Size', 'New', 'Uploaded', 'Status'], rows }
    }
  ]
}

/** The step's log line after a prune. */
export function pruneLine(r: PruneResult, where: string): string {
  return `prune of ${where}: ${r.removed.length} backup(s) removed, ${r.kept.length} kept; ${size(r.lfs.referencedBytes)} of Git LFS referenced, ${size(r.lfs.unreferencedBytes)} unreferenced${r.commitSha ? `; commit ${r.commitSha}` : ''}`
}

/** Summary of a prune: what was kept and removed, and the LFS bytes GitHub keeps anyway. */
export function pruneSummary(r: PruneResult, where: string): SummaryPart[] {
  const rows = [
    ...r.kept.map((b) => [b.id, b.finishedAt, `kept (${b.reasons.join(', ')})`]),
    ...r.removed.map((b) => [b.id, b.finishedAt, 'removed'])
  ].slice(0, MAX_ROWS)
  return [
    {
      text: md`Pruned ${code(where)}: ${r.removed.length} backup(s) removed, ${r.kept.length} kept. Git LFS: ${size(r.lfs.referencedBytes)} referenced by the kept backups, ${size(r.lfs.unreferencedBytes)} unreferenced of ${size(r.lfs.storedBytes)} stored (GitHub frees LFS storage only with the repository).`
    },
    ...(rows.length > 0 ? [{ table: { header: ['Backup', 'Finished', 'Outcome'], rows } }] : [])
  ]
}
