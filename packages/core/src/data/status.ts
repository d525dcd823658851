/**
 * A local data directory compared with the latest backup: which files are new, changed,
 * unchanged or gone, judged by size and SHA-256 (mtimes are reported, not trusted). Reads the
 * index and the latest manifest; no pack.
 */
import { stat } from 'node:fs/promises'
import type { RepoContext } from '../github/context.js'
import { DataBranch, DATA_BRANCH } from './branch.js'
import { listFiles, SQLITE_SIDE_SUFFIXES } from './capture.js'
import type { Manifest } from './manifest.js'
import { sha256File } from './slices.js'

/** One file of the comparison. */
export interface FileStatus {
  path: string
  /** `added`: only local; `removed`: only in the backup; `changed`: other size or SHA-256 */
  state: 'added' | 'removed' | 'changed' | 'unchanged'
  /** local size and mtime (ms), when the file exists locally */
  local?: { size: number; mtimeMs: number }
  /** size and mtime in the backup */
  backup?: { size: number; mtimeMs: number }
}

/** What `status` reports. */
export interface DirectoryStatus {
  exists: boolean
  /** local files and bytes (SQLite side files not counted) */
  files: number
  bytes: number
  latest: { backupId: string; finishedAt: string; verified: boolean; commitSha: string } | null
  changed: boolean
  entries: FileStatus[]
}

/**
 * True when a database's `-wal` file was written after the backup started: in WAL mode a
 * commit appends to `<db>-wal` and leaves the database file (size, mtime) alone until a
 * checkpoint (https://www.sqlite.org/wal.html), so the database alone would look unchanged.
 */
async function walNewer(db: string, manifest: Manifest | null): Promise<boolean> {
  const wal = await stat(`${db}-wal`).catch(() => null)
  if (!wal || wal.size === 0 || !manifest) return false
  return wal.mtimeMs > Date.parse(manifest.startedAt)
}

/**
 * Compares `dir` with the latest backup. A SQLite database is compared by its size and mtime
 * only (its file differs from a backup-API copy even when no row changed), and counts as
 * changed when its `-wal` file was written after the backup started. 3 requests.
 *
 * @throws DataCaptureError for a symlink or special file in `dir`.
 * @throws InvalidDataManifestError when the index or manifest is not valid.
 */
export async function directoryStatus(
  ctx: RepoContext,
  dir: string,
  options: { branch?: string } = {}
): Promise<DirectoryStatus> {
  const branch = new DataBranch(ctx, options.branch ?? DATA_BRANCH)
  const { head, index } = await branch.readIndex()
  const last = index?.backups.at(-1)
  const manifest: Manifest | null =
    last && head ? await branch.readManifest(last.id, head.commitSha) : null
  const exists = (await stat(dir).catch(() => null))?.isDirectory() === true
  const local = exists ? await listFiles(dir) : []
  const inBackup = new Map((manifest?.files ?? []).map((f) => [f.path, f]))
  const localPaths = new Set(local.map((f) => f.path))
  const side = (p: string) =>
    SQLITE_SIDE_SUFFIXES.some((s) => p.endsWith(s) && localPaths.has(p.slice(0, -s.length)))
  const entries: FileStatus[] = []
  let bytes = 0
  let files = 0
  for (const f of local) {
    if (side(f.path) && !inBackup.has(f.path)) continue
    const s = await stat(f.abs)
    files++
    bytes += s.size
    const b = inBackup.get(f.path)
    const localInfo = { size: s.size, mtimeMs: s.mtimeMs }
    if (!b) {
      entries.push({ path: f.path, state: 'added', local: localInfo })
      continue
    }
    const same =
      b.kind === 'sqlite'
        ? b.size === s.size && b.mtimeMs === s.mtimeMs && !(await walNewer(f.abs, manifest))
        : b.size === s.size && (await sha256File(f.abs)).sha256 === b.sha256
    entries.push({
      path: f.path,
      state: same ? 'unchanged' : 'changed',
      local: localInfo,
      backup: { size: b.size, mtimeMs: b.mtimeMs }
    })
  }
  for (const [path, b] of inBackup)
    if (!localPaths.has(path))
      entries.push({ path, state: 'removed', backup: { size: b.size, mtimeMs: b.mtimeMs } })
  entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
  return {
    exists,
    files,
    bytes,
    latest:
      last && head
        ? {
            backupId: last.id,
            finishedAt: last.finishedAt,
            verified: last.verified,
            commitSha: head.commitSha
          }
        : null,
    changed: entries.some((e) => e.state !== 'unchanged'),
    entries
  }
}
