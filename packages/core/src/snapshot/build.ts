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
import { LABELS } from '../objects/constants.js'
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
import { githubTimeToPython, type Snapshot, type SnapshotEntry } from './format.js'

/** What changed between the previous snapshot and the new one, and what was left out. */
export interface SnapshotReport {
  /** ids added or whose entry changed, in issue order */
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

/** The snapshot entry of an object (§3.1), with its real version. */
export function entryOf(object: StoredObject): SnapshotEntry {
  return {
    data: object.data,
    meta: {
      issue_number: object.meta.issueNumber,
      object_id: object.meta.objectId,
      created_at: githubTimeToPython(object.meta.createdAt),
      updated_at: githubTimeToPython(object.meta.updatedAt),
      version: object.meta.version
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
  // Object ids are user data: null-prototype maps, so `constructor` or `__proto__` is an id.
  const before = dictionary(previous?.objects ?? {})
  const objects = options.mode === 'full' ? dictionary<SnapshotEntry>() : dictionary(before)
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
    if (isActiveObjectIssue(issue)) continue
    const objectId = objectIdOf(labelNames(issue))
    if (objectId === undefined) continue
    const entry = objects[objectId]
    if (entry && (entry.meta.issue_number === issue.number || entry.meta.issue_number === 0)) {
      delete objects[objectId]
      delete aliases[objectId]
    }
    const labels = labelNames(issue)
    if (labels.includes(LABELS.storedObject))
      report.skipped.push({
        issueNumber: issue.number,
        objectId,
        reason: labels.includes(LABELS.archived) ? 'ARCHIVED' : 'DEPRECATED',
        message: `issue #${issue.number} is ${labels.includes(LABELS.archived) ? 'archived' : 'deprecated'}`
      })
  }

  // 2. Active objects: add or replace; open ones keep their previous entry.
  const claimed = new Map<string, number[]>()
  for (const issue of ordered) {
    const labels = labelNames(issue)
    if (!labels.includes(LABELS.storedObject)) continue
    const objectId = objectIdOf(labels)
    if (objectId === undefined) {
      report.skipped.push({
        issueNumber: issue.number,
        reason: 'NO_UID_LABEL',
        message: noUidLabelMessage(issue.number)
      })
      continue
    }
    if (!isActiveObjectIssue(issue)) continue
    const seen = claimed.get(objectId)
    if (seen) {
      seen.push(issue.number) // a younger issue with the same id: reported, not listed
      continue
    }
    const current = objects[objectId]?.meta.issue_number
    if (current !== undefined && current !== 0 && current < issue.number) {
      // incremental: the entry comes from an older issue outside the window, still active
      claimed.set(objectId, [current, issue.number])
      continue
    }
    claimed.set(objectId, [issue.number])
    if (issue.state === 'open') {
      report.pendingIds.push(objectId)
      const kept = before[objectId]
      if (kept && (kept.meta.issue_number === issue.number || kept.meta.issue_number === 0))
        objects[objectId] = kept
      continue
    }
    const read = readListedObject(issue)
    if ('invalidBody' in read) {
      report.skipped.push({
        issueNumber: issue.number,
        objectId,
        reason: 'INVALID_OBJECT_BODY',
        message: read.invalidBody
      })
      continue
    }
    objects[objectId] = entryOf(read.object)
    const alias = aliasTarget(issue)
    if (alias) aliases[objectId] = alias
    else delete aliases[objectId]
  }
  for (const [objectId, numbers] of claimed)
    if (numbers.length > 1) report.duplicates.push({ objectId, issueNumbers: numbers })

  // 3. Compare, in issue order.
  const sorted = Object.fromEntries(
    Object.entries(objects).sort(
      ([a, x], [b, y]) => x.meta.issue_number - y.meta.issue_number || a.localeCompare(b)
    )
  )
  for (const [id, entry] of Object.entries(sorted))
    if (!Object.hasOwn(before, id) || JSON.stringify(before[id]) !== JSON.stringify(entry))
      report.changedIds.push(id)
  for (const id of Object.keys(before)) if (!Object.hasOwn(sorted, id)) report.removedIds.push(id)
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
