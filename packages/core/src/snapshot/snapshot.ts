/**
 * Snapshots of the object store (gh-store's `snapshot` and `update-snapshot`,
 * docs/gh-store-format.md §3), in gh-store's file format, with real versions, archived objects
 * removed, the cut-off taken before listing, and the file written to a location: a repository file
 * committed through the contents API with compare-and-swap, or a workspace file (`location.ts`).
 */
import { SnapshotNotFoundError } from '../errors.js'
import { contextNow, repositoryName, type RepoContext } from '../github/context.js'
import { labelsOf, type VersionNumbering } from '../objects/config.js'
import { numberingOf } from '../objects/versions.js'
import type { IssueLike } from '../objects/issues.js'
import { listStoreIssuesTimed, type ListProgress } from '../objects/list.js'
import { mergeIssues, type SnapshotReport } from './build.js'
import { parseSnapshot, pythonIsoformat, serializeSnapshot, type Snapshot } from './format.js'
import { repositoryFile, type RepositoryFileOptions, type SnapshotLocation } from './location.js'

/** Options shared by the snapshot functions. */
export interface SnapshotOptions {
  /** `repository` written in the file; default `owner/repo` of the context */
  repository?: string
  /** called after each listed page (a progress line for long listings) */
  onProgress?: (progress: ListProgress) => void
  /**
   * `hubstore` (default, or `ctx.storeConfig.versionNumbering`): `meta.version` is the issue's
   * comment count; `gh-store`: 1, as gh-store's snapshots say (docs/gh-store-format.md §4.1).
   */
  versionNumbering?: VersionNumbering
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
    labels: [labelsOf(ctx).storedObject],
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
    labels: [labelsOf(ctx).storedObject],
    state: 'all',
    since,
    onProgress: progress
  })
  offset = last
  const snapshotTime = cutOff(before, firstAnsweredAt)
  const { issues: store } = await listStoreIssuesTimed(ctx, {
    labels: [labelsOf(ctx).ghStore],
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
    labels: labelsOf(ctx),
    snapshotTime,
    versionNumbering: numberingOf(ctx, options.versionNumbering)
  })
  return {
    ...report,
    snapshot,
    mode,
    changed: snapshot !== previous,
    objects: snapshot.objects.size,
    requests: ctx.octokit.hubstore.requests - start
  }
}

/** Options of {@link snapshotInto}. */
export interface SnapshotIntoOptions extends SnapshotOptions {
  /**
   * `incremental` updates the file from the objects changed since its `snapshot_time`; when
   * there is no file yet it takes a full snapshot instead (the result's `mode` says `full`).
   * `full` rebuilds it.
   */
  mode: 'full' | 'incremental'
  /**
   * What `incremental` does when there is no file yet: `full` (default) takes a full snapshot
   * and reports `mode: 'full'`; `error` throws `SnapshotNotFoundError` before listing anything
   * (the CLI's `update-snapshot`, which like gh-store's command updates an existing file).
   */
  ifMissing?: 'full' | 'error'
}

/** Options of {@link syncSnapshotFile}: a repository file and how to take the snapshot. */
export interface SyncSnapshotOptions extends SnapshotIntoOptions, RepositoryFileOptions {}

/** What {@link snapshotInto} (and {@link syncSnapshotFile}) did. */
export interface SyncSnapshotResult extends SnapshotResult {
  path: string
  /** the commit that wrote the file; `undefined` when nothing was committed (or for a workspace file) */
  commitSha: string | undefined
  /** `written`: the file holds the new snapshot; `unchanged`: nothing to write; `superseded`: a newer snapshot landed meanwhile */
  outcome: 'written' | 'unchanged' | 'superseded'
  /** write attempts (0 when nothing was written) */
  attempts: number
}

/**
 * Keeps a snapshot file current, wherever it lives (`location`: {@link repositoryFile} or
 * {@link workspaceFile}): reads the previous snapshot, takes a full or incremental one
 * (`incremental` with no file yet: a full snapshot, reported as `mode: 'full'`), and writes it
 * only when something changed. The action and the CLI both come here.
 *
 * Cost: the location's read (repository: 1 request, workspace: none) + the snapshot's listing +
 * the location's write (repository: 1 request; each conflict adds a read and a write; creating
 * the branch adds 3). Repository file, full: ⌈objects / 100⌉ + 2; incremental after ≤ 100
 * changes: 4.
 *
 * @throws InvalidSnapshotError (the file exists but is not a snapshot), SnapshotNotFoundError
 *   (`ifMissing: 'error'`), SnapshotConflictError, GitHubRequestError
 */
export async function snapshotInto(
  ctx: RepoContext,
  location: SnapshotLocation,
  options: SnapshotIntoOptions
): Promise<SyncSnapshotResult> {
  const start = ctx.octokit.hubstore.requests
  const text = await location.read()
  if (text === undefined && options.mode === 'incremental' && options.ifMissing === 'error')
    throw new SnapshotNotFoundError(location.path)
  const previous = text === undefined ? undefined : parseSnapshot(text, location.source)
  const result =
    options.mode === 'incremental' && previous
      ? await updateSnapshot(ctx, previous, options)
      : await createSnapshot(ctx, { ...options, previous })
  const written = result.changed
    ? await location.write(serializeSnapshot(result.snapshot), result.snapshot)
    : undefined
  const outcome = written?.outcome ?? 'unchanged'
  return {
    ...result,
    changed: outcome === 'written',
    path: location.path,
    commitSha: written?.commitSha,
    outcome,
    attempts: written?.attempts ?? 0,
    requests: ctx.octokit.hubstore.requests - start
  }
}

/**
 * Keeps a snapshot file in the repository current (what the `snapshot` action does with
 * `commit: true`): {@link snapshotInto} a {@link repositoryFile} — read raw from `branch`,
 * committed with the contents API guarded by the blob `sha` read, a conflict settled by
 * re-reading (a newer `snapshot_time` there stands: `superseded`), a missing branch created from
 * the default branch.
 *
 * Cost: full: ⌈objects / 100⌉ + 2; incremental after ≤ 100 changes: 4. Each conflict adds a
 * read and a write; creating the branch adds 3.
 *
 * @throws InvalidSnapshotError (the file exists but is not a snapshot), SnapshotConflictError,
 *   GitHubRequestError
 */
export function syncSnapshotFile(
  ctx: RepoContext,
  options: SyncSnapshotOptions
): Promise<SyncSnapshotResult> {
  return snapshotInto(ctx, repositoryFile(ctx, options), options)
}
