/**
 * The pure half of snapshots: turning listed issues into snapshot entries, and merging a window
 * of changed issues into an existing snapshot (gh-store's `update-snapshot`, §3.2, with removal
 * of archived and deprecated objects added). No I/O.
 *
 * Which objects are in a snapshot: active objects (`stored-object`, a `UID:` label, neither
 * `archived` nor `deprecated-object`) whose issue is closed (idle), as in gh-store (§3.1). An
 * object with queued updates (open issue) keeps the entry it had in the previous snapshot, so a
 * queued update never makes an object vanish; it is updated once processed. For an id on several
 * issues the oldest issue (lowest number) is kept.
 */
import { dictionary } from '../text.js'
import { storeLabels, type StoreLabels, type VersionNumbering } from '../objects/config.js'
import { GH_STORE_LISTED_VERSION } from '../objects/versions.js'
import {
  aliasTarget,
  labelNames,
  objectIdOf,
  type IssueLike,
  type StoredObject
} from '../objects/issues.js'
import {
  isActiveObjectIssue,
  noUidLabelMessage,
  readListedObject,
  type DuplicateObjectId,
  type SkippedIssue
} from '../objects/list.js'
import { setOwn, type JsonMap } from '../json/index.js'
import {
  githubTimeToPython,
  serializeSnapshot,
  type Snapshot,
  type SnapshotEntry
} from './format.js'

/** What changed between the previous snapshot and the new one, and what was left out. */
export interface SnapshotReport {
  /** ids added or whose entry changed, in file order */
  changedIds: string[]
  /** ids removed (archived, deprecated, no longer stored objects, or gone in a full listing) */
  removedIds: string[]
  /** ids whose issue is open (updates queued): kept as they were */
  pendingIds: string[]
  skipped: SkippedIssue[]
  duplicates: DuplicateObjectId[]
  /** the `relationships.aliases` block changed */
  relationshipsChanged: boolean
}

/** The snapshot entry of an object (§3.1) whose body parsed into `data`, with its real version. */
export function entryOf(
  object: StoredObject,
  data: JsonMap,
  numbering: VersionNumbering = 'hubstore'
): SnapshotEntry {
  return {
    data,
    meta: {
      issue_number: object.meta.issueNumber,
      object_id: object.meta.objectId,
      created_at: githubTimeToPython(object.meta.createdAt),
      updated_at: githubTimeToPython(object.meta.updatedAt),
      version: numbering === 'gh-store' ? GH_STORE_LISTED_VERSION : object.meta.version
    }
  }
}

/** Options of {@link mergeIssues}. */
export interface MergeIssuesOptions {
  /**
   * `full`: `issues` is every active object, so entries not among them are dropped (except pending
   * ones, which keep their previous entry); `incremental`: `issues` are the issues updated in a
   * window, merged into `previous`.
   */
  mode: 'full' | 'incremental'
  repository: string
  /** the new cut-off, taken before listing (Python isoformat) */
  snapshotTime: string
  /** the store's labels (`storeLabels(config)`); gh-store's defaults when absent */
  labels?: StoreLabels
  /** `gh-store`: every new entry's `meta.version` is 1, as gh-store writes (§3.1); default `hubstore` */
  versionNumbering?: VersionNumbering
}

/**
 * Builds the next snapshot from `previous` (possibly none) and listed issues. When nothing
 * changed, the previous snapshot is returned untouched (its `snapshot_time` included), so the
 * caller can skip the write, as gh-store's `update-snapshot` does (§3.2 step 5).
 */
export function mergeIssues(
  previous: Snapshot | undefined,
  issues: readonly IssueLike[],
  options: MergeIssuesOptions
): { snapshot: Snapshot; report: SnapshotReport } {
  const L = options.labels ?? storeLabels()
  const before = previous?.objects ?? new Map<string, SnapshotEntry>()
  const objects = options.mode === 'full' ? new Map<string, SnapshotEntry>() : new Map(before)
  // Object ids are user data: null-prototype maps, so `constructor` or `__proto__` is an id.
  const aliases = dictionary(
    options.mode === 'full' ? {} : (previous?.relationships?.aliases ?? {})
  )
  const report: SnapshotReport = {
    changedIds: [],
    removedIds: [],
    pendingIds: [],
    skipped: [],
    duplicates: [],
    relationshipsChanged: false
  }
  const ordered = [...issues].sort((a, b) => a.number - b.number)

  // 1. Issues that are no longer active objects remove their entry (only their own: a live
  //    duplicate with the same id keeps its entry).
  for (const issue of ordered) {
    if (isActiveObjectIssue(issue, L)) continue
    const objectId = objectIdOf(labelNames(issue), L)
    if (objectId === undefined) continue
    const entry = objects.get(objectId)
    if (entry && (entry.meta.issue_number === issue.number || entry.meta.issue_number === 0)) {
      objects.delete(objectId)
      delete aliases[objectId]
    }
    const labels = labelNames(issue)
    if (labels.includes(L.storedObject))
      report.skipped.push({
        issueNumber: issue.number,
        objectId,
        reason: labels.includes(L.archived) ? 'ARCHIVED' : 'DEPRECATED',
        message: `issue #${issue.number} is ${labels.includes(L.archived) ? 'archived' : 'deprecated'}`
      })
  }

  // 2. Active objects: add or replace; open ones keep their previous entry.
  const claimed = new Map<string, number[]>()
  for (const issue of ordered) {
    const labels = labelNames(issue)
    if (!labels.includes(L.storedObject)) continue
    const objectId = objectIdOf(labels, L)
    if (objectId === undefined) {
      report.skipped.push({
        issueNumber: issue.number,
        reason: 'NO_UID_LABEL',
        message: noUidLabelMessage(issue.number, L)
      })
      continue
    }
    if (!isActiveObjectIssue(issue, L)) continue
    const seen = claimed.get(objectId)
    if (seen) {
      seen.push(issue.number) // a younger issue with the same id: reported, not listed
      continue
    }
    const current = objects.get(objectId)?.meta.issue_number
    if (current !== undefined && current !== 0 && current < issue.number) {
      // incremental: the entry comes from an older issue outside the window, still active
      claimed.set(objectId, [current, issue.number])
      continue
    }
    claimed.set(objectId, [issue.number])
    if (issue.state === 'open') {
      report.pendingIds.push(objectId)
      const kept = before.get(objectId)
      if (kept && (kept.meta.issue_number === issue.number || kept.meta.issue_number === 0))
        objects.set(objectId, kept)
      continue
    }
    const read = readListedObject(issue, L)
    if ('invalidBody' in read) {
      report.skipped.push({
        issueNumber: issue.number,
        objectId,
        reason: 'INVALID_OBJECT_BODY',
        message: read.invalidBody
      })
      continue
    }
    objects.set(objectId, entryOf(read.object, read.value, options.versionNumbering))
    const alias = aliasTarget(issue)
    if (alias) setOwn(aliases, objectId, alias)
    else delete aliases[objectId]
  }
  for (const [objectId, numbers] of claimed)
    if (numbers.length > 1) report.duplicates.push({ objectId, issueNumbers: numbers })

  // 3. Order as gh-store writes the file (§3.1, §3.2): a full snapshot lists objects newest
  //    issue first (GitHub's default `sort=created`, `direction=desc`); an update keeps the
  //    previous file's order and appends new ids, newest first. Then compare.
  const newestFirst = (ids: string[]) =>
    ids.sort((a, b) => objects.get(b)!.meta.issue_number - objects.get(a)!.meta.issue_number)
  const kept = options.mode === 'full' ? [] : [...before.keys()].filter((id) => objects.has(id))
  const keptIds = new Set(kept)
  const added = newestFirst([...objects.keys()].filter((id) => !keptIds.has(id)))
  const sorted = new Map<string, SnapshotEntry>()
  for (const id of [...kept, ...added]) sorted.set(id, objects.get(id)!)
  const text = (entry: SnapshotEntry) =>
    serializeSnapshot({ snapshot_time: '', repository: '', objects: new Map([['', entry]]) })
  for (const [id, entry] of sorted) {
    const old = before.get(id)
    if (!old || text(old) !== text(entry)) report.changedIds.push(id)
  }
  for (const id of before.keys()) if (!sorted.has(id)) report.removedIds.push(id)
  const oldAliases = previous?.relationships?.aliases ?? {}
  report.relationshipsChanged = !sameRecord(oldAliases, aliases)
  const repositoryChanged = previous !== undefined && previous.repository !== options.repository
  const changed =
    previous === undefined ||
    repositoryChanged ||
    report.changedIds.length > 0 ||
    report.removedIds.length > 0 ||
    report.relationshipsChanged
  if (!changed) return { snapshot: previous, report }
  return {
    snapshot: {
      snapshot_time: options.snapshotTime,
      repository: options.repository,
      objects: sorted,
      ...(Object.keys(aliases).length > 0
        ? { relationships: { aliases: sortRecord(aliases) } }
        : {})
    },
    report
  }
}

function sameRecord(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a)
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k])
}

function sortRecord(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)))
}
