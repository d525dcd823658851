/**
 * Snapshots of the object store (gh-store's `snapshot` and `update-snapshot`, gh-store-format.md
 * §3), in gh-store's file format, with real versions, archived objects removed, the cut-off taken
 * before listing, and the file committed through the contents API with compare-and-swap.
 */
import { SnapshotConflictError } from '../errors.js'
import { contextNow, repositoryName, type RepoContext } from '../github/context.js'
import { LABELS } from '../objects/constants.js'
import type { IssueLike } from '../objects/issues.js'
import { listStoreIssuesTimed, type ListProgress } from '../objects/list.js'
import { mergeIssues, type SnapshotReport } from './build.js'
import { parseSnapshot, pythonIsoformat, serializeSnapshot, type Snapshot } from './format.js'
import {
  createBranchFromDefault,
  readRepoFile,
  writeRepoFile,
  type RepoFile
} from '../github/contents.js'

/** Options shared by the snapshot functions. */
export interface SnapshotOptions {
  /** `repository` written in the file; default `owner/repo` of the context */
  repository?: string
  /** called after each listed page (a progress line for long listings) */
  onProgress?: (progress: ListProgress) => void
}

/**
 * An incremental snapshot lists issues updated since `snapshot_time` minus this margin: GitHub's
 * `updated_at` has whole seconds, so a change in the same second as the cut-off reads as earlier
 * than it. Re-listed unchanged objects change nothing.
 */
export const SINCE_OVERLAP_MS = 1_000

/**
 * The cut-off: the earlier of the runner's clock read before listing and GitHub's clock when it
 * answered the first page (`date` header). Every change made before it is in the listing, whichever
 * clock runs ahead.
 */
function cutOff(before: Date, answeredAt: Date | undefined): string {
  return pythonIsoformat(answeredAt && answeredAt < before ? answeredAt : before)
}

/** What a snapshot run produced. */
export interface SnapshotResult extends SnapshotReport {
  snapshot: Snapshot
  /** the mode actually used (`incremental` without a previous snapshot becomes `full`) */
  mode: 'full' | 'incremental'
  /** something differs from the previous snapshot (the file must be written) */
  changed: boolean
  /** number of objects in the snapshot */
  objects: number
  /** requests spent (the client's counter) */
  requests: number
}

/**
 * A full snapshot: every issue labelled `stored-object` (open and closed, 100 per page), as in
 * gh-store §3.1, with `meta.version` the issue's comment count (see `StoredObject.meta.version`)
 * and `relationships.aliases` from the objects' `ALIAS-TO:` labels. With `previous`, objects whose
 * updates are queued keep their previous entry, and `changed` says whether anything differs.
 *
 * Cost: ⌈stored-object issues / 100⌉ requests.
 *
 * @throws GitHubRequestError
 */
export async function createSnapshot(
  ctx: RepoContext,
  options: SnapshotOptions & { previous?: Snapshot } = {}
): Promise<SnapshotResult> {
  const start = ctx.octokit.hubstore.requests
  const before = contextNow(ctx)
  const { issues, firstAnsweredAt } = await listStoreIssuesTimed(ctx, {
    labels: [LABELS.storedObject],
    state: 'all',
    onProgress: options.onProgress
  })
  const snapshotTime = cutOff(before, firstAnsweredAt)
  return finish(ctx, 'full', options.previous, issues, snapshotTime, options, start)
}

/**
 * An incremental snapshot (gh-store's `update-snapshot`, §3.2, fixed): the cut-off is taken
 * before listing; issues updated since `previous.snapshot_time` (minus `SINCE_OVERLAP_MS`) are
 * listed twice over — labelled `stored-object` (objects, including ones older than the `gh-store`
 * label) and labelled `gh-store` (which also catches archived and deprecated ones); changed
 * entries are replaced, archived / deprecated objects removed, and when nothing changed the
 * previous snapshot is returned as it was (`changed: false`).
 *
 * Cost: 2 requests while at most 100 objects changed (1 more per further 100).
 *
 * @throws GitHubRequestError
 */
export async function updateSnapshot(
  ctx: RepoContext,
  previous: Snapshot,
  options: SnapshotOptions = {}
): Promise<SnapshotResult> {
  const start = ctx.octokit.hubstore.requests
  const before = contextNow(ctx)
  const since = new Date(Date.parse(previous.snapshot_time) - SINCE_OVERLAP_MS)
  // Two listings, one progress count.
  let offset: ListProgress = { pages: 0, issues: 0 }
  let last = offset
  const progress = options.onProgress
    ? (p: ListProgress) => {
        last = { pages: offset.pages + p.pages, issues: offset.issues + p.issues }
        options.onProgress?.(last)
      }
    : undefined
  const { issues: active, firstAnsweredAt } = await listStoreIssuesTimed(ctx, {
    labels: [LABELS.storedObject],
    state: 'all',
    since,
    onProgress: progress
  })
  offset = last
  const snapshotTime = cutOff(before, firstAnsweredAt)
  const { issues: store } = await listStoreIssuesTimed(ctx, {
    labels: [LABELS.ghStore],
    state: 'all',
    since,
    onProgress: progress
  })
  const byNumber = new Map<number, IssueLike>()
  for (const issue of [...active, ...store]) byNumber.set(issue.number, issue)
  return finish(ctx, 'incremental', previous, [...byNumber.values()], snapshotTime, options, start)
}

function finish(
  ctx: RepoContext,
  mode: 'full' | 'incremental',
  previous: Snapshot | undefined,
  issues: IssueLike[],
  snapshotTime: string,
  options: SnapshotOptions,
  start: number
): SnapshotResult {
  const { snapshot, report } = mergeIssues(previous, issues, {
    mode,
    repository: options.repository ?? repositoryName(ctx),
    snapshotTime
  })
  return {
    ...report,
    snapshot,
    mode,
    changed: snapshot !== previous,
    objects: Object.keys(snapshot.objects).length,
    requests: ctx.octokit.hubstore.requests - start
  }
}

/** Options of {@link syncSnapshotFile}. */
export interface SyncSnapshotOptions extends SnapshotOptions {
  /** the file in the repository, e.g. `data/store-snapshot.json` */
  path: string
  /** `incremental` updates the file (a full snapshot when there is none yet); `full` rebuilds it */
  mode: 'full' | 'incremental'
  /** branch to read and commit to; default the repository's default branch. Created from the default branch when missing. */
  branch?: string
  /** commit message; default `chore: Update data store snapshot` (gh-store's workflow message) */
  message?: string
  /** compare-and-swap attempts before giving up (default 5) */
  maxAttempts?: number
  /** milliseconds of the first retry wait, doubled each time, jittered (default 250) */
  retryBaseMs?: number
}

/** What {@link syncSnapshotFile} did. */
export interface SyncSnapshotResult extends SnapshotResult {
  path: string
  /** the commit that wrote the file; `undefined` when nothing was written */
  commitSha: string | undefined
  /** `written`: committed; `unchanged`: nothing to write; `superseded`: a newer snapshot landed meanwhile */
  outcome: 'written' | 'unchanged' | 'superseded'
  attempts: number
}

/**
 * Keeps a snapshot file in the repository current (what the `snapshot` action does): reads it
 * from `branch` (raw, any size), takes a full or incremental snapshot, and when something changed
 * commits it with the contents API, guarded by the blob `sha` it read. On a conflict the file is
 * re-read: if the other writer's `snapshot_time` is newer than this run's cut-off, its file
 * stands (`superseded`); otherwise this run's snapshot, complete as of its later cut-off, is
 * written over it. An ambiguous answer (5xx, network) is resolved by reading back. A missing
 * branch is created from the default branch.
 *
 * Cost: 1 read + the snapshot's listing + 1 write; full: ⌈objects / 100⌉ + 2, incremental after
 * ≤ 100 changes: 4. Each conflict adds a read and a write; creating the branch adds 3.
 *
 * @throws InvalidSnapshotError (the file exists but is not a snapshot), SnapshotConflictError,
 *   GitHubRequestError
 */
export async function syncSnapshotFile(
  ctx: RepoContext,
  options: SyncSnapshotOptions
): Promise<SyncSnapshotResult> {
  const start = ctx.octokit.hubstore.requests
  const source = `${options.path}${options.branch ? `@${options.branch}` : ''}`
  const first = await readRepoFile(ctx, options.path, options.branch)
  let branchMissing = !first.found && first.branchMissing
  let current: RepoFile | undefined = first.found ? first.file : undefined
  const previous = current ? parseSnapshot(current.text, source) : undefined
  const result =
    options.mode === 'incremental' && previous
      ? await updateSnapshot(ctx, previous, options)
      : await createSnapshot(ctx, { ...options, previous })
  const done = (
    outcome: SyncSnapshotResult['outcome'],
    attempts: number,
    commitSha?: string
  ): SyncSnapshotResult => ({
    ...result,
    changed: outcome === 'written',
    path: options.path,
    commitSha,
    outcome,
    attempts,
    requests: ctx.octokit.hubstore.requests - start
  })
  if (!result.changed) return done('unchanged', 0)

  const text = serializeSnapshot(result.snapshot)
  const maxAttempts = options.maxAttempts ?? 5
  let lastProblem = ''
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    if (branchMissing && options.branch) {
      await createBranchFromDefault(ctx, options.branch)
      branchMissing = false
    }
    const outcome = await writeRepoFile(ctx, {
      path: options.path,
      text,
      sha: current?.sha,
      branch: options.branch,
      message: options.message ?? 'chore: Update data store snapshot'
    })
    if (outcome.kind === 'written') return done('written', attempt, outcome.commitSha)
    if (outcome.kind === 'branch-missing') {
      branchMissing = true
      lastProblem = `404 branch ${options.branch} not found`
      continue
    }
    lastProblem = outcome.problem
    // Conflict or unknown outcome: look at what is there now.
    const again = await readRepoFile(ctx, options.path, options.branch)
    current = again.found ? again.file : undefined
    if (current?.text === text) return done('written', attempt, undefined)
    if (current) {
      const theirs = safeSnapshotTime(current.text)
      if (theirs !== undefined && theirs > Date.parse(result.snapshot.snapshot_time))
        return done('superseded', attempt)
    }
    if (attempt < maxAttempts) await sleep(options.retryBaseMs ?? 250, attempt)
  }
  throw new SnapshotConflictError(repositoryName(ctx), options.path, maxAttempts, lastProblem)
}

function safeSnapshotTime(text: string): number | undefined {
  try {
    const value = Date.parse((JSON.parse(text) as { snapshot_time?: string }).snapshot_time ?? '')
    return Number.isNaN(value) ? undefined : value
  } catch {
    return undefined
  }
}

function sleep(baseMs: number, attempt: number): Promise<void> {
  const ms = baseMs * 2 ** (attempt - 1) * (0.5 + Math.random())
  return new Promise((resolve) => setTimeout(resolve, ms))
}
