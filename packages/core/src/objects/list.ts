/**
 * Listing stored objects (gh-store's `list_all` / `list_updated_since`, docs/gh-store-format.md
 * §5.2, and the TypeScript `listAll` / `listUpdatedSince`, §8), with gh-store's defects fixed:
 * every page is read (§7.4 item 10), open and closed issues are both seen, issues without the
 * `gh-store` label (created before gh-store 0.10, §1.7) are included, and what is skipped —
 * archived or deprecated issues, non-JSON bodies, issues without a `UID:` label — is reported
 * instead of silently dropped, as are duplicate ids (§7.4 item 13).
 */
import { setOwn, type JsonMap } from '../json/index.js'
import { isHubstoreError } from '../errors.js'
import type { RepoContext } from '../github/context.js'
import { callGitHub } from '../github/request.js'
import { PER_PAGE } from './constants.js'
import { labelsOf, storeLabels, type StoreLabels, type VersionNumbering } from './config.js'
import { toDate } from './dates.js'
import { GH_STORE_LISTED_VERSION, numberingOf, settleOpenVersions } from './versions.js'
import {
  aliasTarget,
  isPullRequest,
  labelNames,
  objectIdOf,
  parseObjectBody,
  storedObjectOf,
  type IssueLike,
  type StoredObject
} from './issues.js'

export { toDate } from './dates.js'

/** Progress of a long listing, reported after each page. */
export interface ListProgress {
  /** pages read so far */
  pages: number
  /** issues read so far */
  issues: number
}

/** Options of {@link listObjects} and {@link listUpdatedSince}. */
export interface ListObjectsOptions {
  /**
   * Which issues: `all` (default), `closed` (idle objects only, as gh-store's `list_all`) or
   * `open` (objects with queued updates).
   */
  state?: 'all' | 'open' | 'closed'
  /** Called after each page (100 issues), e.g. for a progress line. */
  onProgress?: (progress: ListProgress) => void
  /**
   * What an open object's `meta.version` counts: `applied` (default) leaves its queued updates
   * out, reading its comments (`settleOpenVersions`); `comments` is the free comment count,
   * pending updates included (gh-store's `len(comments)`).
   */
  versions?: 'applied' | 'comments'
  /**
   * `hubstore` (default, or `ctx.storeConfig.versionNumbering`): versions as `versions` says;
   * `gh-store`: every `meta.version` is 1, as gh-store's `list_all` and `list_updated_since`
   * report (docs/gh-store-format.md §4.1), and no comment is read.
   */
  versionNumbering?: VersionNumbering
}

/** Why a listed issue is not in `objects`. */
export type SkipReason = 'ARCHIVED' | 'DEPRECATED' | 'NO_UID_LABEL' | 'INVALID_OBJECT_BODY'

/** An issue a listing saw but did not return as an object. */
export interface SkippedIssue {
  issueNumber: number
  /** the id from its `UID:` label, when it has one */
  objectId?: string
  reason: SkipReason
  /** what is wrong and how to fix it */
  message: string
}

/** An object id carried by more than one active issue. */
export interface DuplicateObjectId {
  objectId: string
  /** ascending; the first (oldest) is the one listings return */
  issueNumbers: number[]
}

/** What a listing found. */
export interface ObjectListing {
  /** one per object id, in issue-number (creation) order; a duplicated id gives its oldest issue */
  objects: StoredObject[]
  skipped: SkippedIssue[]
  duplicates: DuplicateObjectId[]
  /** `ALIAS-TO:` labels of the listed objects: alias id → canonical id (gh-store §1.6) */
  aliases: Record<string, string>
  /** issues examined (pull requests excluded) */
  issues: number
}

/**
 * Lists every stored object: all issues labelled `stored-object` (state `all` by default), 100 per
 * page, every page. `archived` / `deprecated-object` issues, bodies that are not a JSON object
 * and issues without a `UID:` label are skipped and reported in `skipped`; an id on several
 * issues is reported in `duplicates` and listed once, from its oldest issue. An object's
 * `meta.version` counts applied changes only: an open object's queued updates are not versions
 * yet (`settleOpenVersions`, by history's rules).
 *
 * Cost: ⌈issues / 100⌉ requests, plus for each open object 1 per 100 comments (+ who marked
 * them, see `settleOpenVersions`); nothing more for idle objects or with `versions: 'comments'`.
 *
 * @throws GitHubRequestError when a page cannot be read.
 */
export async function listObjects(
  ctx: RepoContext,
  options: ListObjectsOptions = {}
): Promise<ObjectListing> {
  const issues = await listStoreIssues(ctx, {
    labels: [labelsOf(ctx).storedObject],
    state: options.state ?? 'all',
    onProgress: options.onProgress
  })
  const listing = classifyIssues(issues, labelsOf(ctx))
  await numberListing(ctx, listing, options)
  return listing
}

/**
 * Lists the stored objects whose issue was updated strictly after `since` (gh-store's
 * `list_updated_since`: GitHub's `since` filter, then `updated_at > since`). GitHub bumps
 * `updated_at` on any change to the issue, its labels or its comments, so a queued update
 * counts as a change. Same skipping, reporting and versions as {@link listObjects}.
 *
 * Cost: ⌈updated issues / 100⌉ requests, plus the open objects' comments as in
 * {@link listObjects}.
 *
 * @throws GitHubRequestError when a page cannot be read.
 */
export async function listUpdatedSince(
  ctx: RepoContext,
  since: Date | string,
  options: ListObjectsOptions = {}
): Promise<ObjectListing> {
  const after = toDate(since)
  const issues = await listStoreIssues(ctx, {
    labels: [labelsOf(ctx).storedObject],
    state: options.state ?? 'all',
    since: after,
    onProgress: options.onProgress
  })
  const listing = classifyIssues(
    issues.filter((i) => Date.parse(i.updated_at) > after.getTime()),
    labelsOf(ctx)
  )
  await numberListing(ctx, listing, options)
  return listing
}

/** Sets the listed versions as `options` asks (see {@link ListObjectsOptions}). */
async function numberListing(
  ctx: RepoContext,
  listing: ObjectListing,
  options: ListObjectsOptions
): Promise<void> {
  if (numberingOf(ctx, options.versionNumbering) === 'gh-store')
    for (const object of listing.objects) object.meta.version = GH_STORE_LISTED_VERSION
  else if (options.versions !== 'comments') await settleOpenVersions(ctx, listing.objects)
}

/** Parameters of {@link listStoreIssues}. */
export interface StoreIssueQuery {
  /** label names, ANDed by GitHub */
  labels: string[]
  state: 'all' | 'open' | 'closed'
  /** only issues updated at or after this time (GitHub's `since`) */
  since?: Date
  onProgress?: (progress: ListProgress) => void
}

/**
 * Raw issue listing behind the object listings: every page of `GET /repos/{o}/{r}/issues` with
 * the labels, ascending by creation, pull requests dropped. 1 request per 100 issues.
 */
export async function listStoreIssues(
  ctx: RepoContext,
  query: StoreIssueQuery
): Promise<IssueLike[]> {
  return (await listStoreIssuesTimed(ctx, query)).issues
}

/**
 * {@link listStoreIssues}, also returning GitHub's clock when it answered the first page (its
 * `date` header, whole seconds; `undefined` if absent). Every change made before that moment is
 * in the listing, which is what a snapshot's cut-off needs, free of the runner's clock skew.
 */
export async function listStoreIssuesTimed(
  ctx: RepoContext,
  query: StoreIssueQuery
): Promise<{ issues: IssueLike[]; firstAnsweredAt: Date | undefined }> {
  const { octokit, owner, repo } = ctx
  let pages = 0
  let seen = 0
  let firstAnsweredAt: Date | undefined
  const issues = await callGitHub(`list issues labelled ${query.labels.join(' + ')}`, () =>
    octokit.paginate(
      octokit.rest.issues.listForRepo,
      {
        owner,
        repo,
        labels: query.labels.join(','),
        state: query.state,
        sort: 'created',
        direction: 'asc',
        per_page: PER_PAGE,
        ...(query.since ? { since: query.since.toISOString() } : {})
      },
      (response) => {
        if (pages === 0) {
          const date = new Date(String(response.headers.date ?? ''))
          if (!Number.isNaN(date.getTime())) firstAnsweredAt = date
        }
        pages += 1
        seen += response.data.length
        query.onProgress?.({ pages, issues: seen })
        return response.data
      }
    )
  )
  return {
    issues: (issues as IssueLike[]).filter((issue) => !isPullRequest(issue)),
    firstAnsweredAt
  }
}

/** True when an issue is an active object: `stored-object`, a `UID:` label, not archived/deprecated. */
export function isActiveObjectIssue(
  issue: Pick<IssueLike, 'labels'>,
  vocabulary: StoreLabels = storeLabels()
): boolean {
  const labels = labelNames(issue)
  return (
    labels.includes(vocabulary.storedObject) &&
    !labels.includes(vocabulary.archived) &&
    !labels.includes(vocabulary.deprecated) &&
    objectIdOf(labels, vocabulary) !== undefined
  )
}

/** The message of a `NO_UID_LABEL` skip: `stored-object` without a `UID:<id>` label. */
export function noUidLabelMessage(
  issueNumber: number,
  vocabulary: StoreLabels = storeLabels()
): string {
  const { storedObject, uidPrefix } = vocabulary
  return (
    `issue #${issueNumber} is labelled ${storedObject} but has no ${uidPrefix}<id> label (gh-store ` +
    `0.1–0.2 named objects by a bare label); add the label ${uidPrefix}<id> to make it an object`
  )
}

/**
 * The object an issue holds, or, when its body is not an object's state, the
 * `INVALID_OBJECT_BODY` message a listing skips it with. Any other error is thrown.
 */
export function readListedObject(
  issue: IssueLike,
  vocabulary: StoreLabels = storeLabels()
): { object: StoredObject; value: JsonMap } | { invalidBody: string } {
  try {
    const value = parseObjectBody(issue.number, issue.body)
    return { object: storedObjectOf(issue, value, vocabulary), value }
  } catch (error) {
    if (!isHubstoreError(error) || error.code !== 'INVALID_OBJECT_BODY') throw error
    return { invalidBody: error.message }
  }
}

/**
 * Sorts listed issues into objects, skipped issues, duplicates and aliases (pure; see
 * {@link ObjectListing}).
 */
export function classifyIssues(
  issues: readonly IssueLike[],
  vocabulary: StoreLabels = storeLabels()
): ObjectListing {
  const ordered = [...issues].sort((a, b) => a.number - b.number)
  const byId = new Map<string, StoredObject[]>()
  const skipped: SkippedIssue[] = []
  const aliases: Record<string, string> = {}
  for (const issue of ordered) {
    const labels = labelNames(issue)
    const objectId = objectIdOf(labels, vocabulary)
    const skip = (reason: SkipReason, message: string) =>
      skipped.push({
        issueNumber: issue.number,
        ...(objectId ? { objectId } : {}),
        reason,
        message
      })
    if (objectId === undefined) {
      skip('NO_UID_LABEL', noUidLabelMessage(issue.number, vocabulary))
      continue
    }
    if (labels.includes(vocabulary.archived)) {
      skip('ARCHIVED', `issue #${issue.number} is archived (a deleted object)`)
      continue
    }
    if (labels.includes(vocabulary.deprecated)) {
      skip('DEPRECATED', `issue #${issue.number} is deprecated (merged into another object)`)
      continue
    }
    const read = readListedObject(issue, vocabulary)
    if ('invalidBody' in read) {
      skip('INVALID_OBJECT_BODY', read.invalidBody)
      continue
    }
    const object = read.object
    const alias = aliasTarget(issue)
    if (alias) setOwn(aliases, objectId, alias)
    const list = byId.get(objectId)
    if (list) list.push(object)
    else byId.set(objectId, [object])
  }
  const objects: StoredObject[] = []
  const duplicates: DuplicateObjectId[] = []
  for (const [objectId, list] of byId) {
    objects.push(list[0])
    if (list.length > 1)
      duplicates.push({ objectId, issueNumbers: list.map((o) => o.meta.issueNumber) })
  }
  objects.sort((a, b) => a.meta.issueNumber - b.meta.issueNumber)
  return { objects, skipped, duplicates, aliases, issues: ordered.length }
}
