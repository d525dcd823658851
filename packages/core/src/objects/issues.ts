/**
 * How stored objects map onto issues (docs/gh-store-format.md §1.1–§1.3): object ids, labels, the
 * JSON body, and the lookup by label with an explicit `state=all` (fixing §7.4 item 1: idle,
 * closed objects are found) and full pagination.
 */
import {
  DuplicateObjectIdError,
  InvalidObjectBodyError,
  InvalidObjectIdError,
  ObjectNotFoundError
} from '../errors.js'
import { repositoryName, type RepoContext } from '../github/context.js'
import { callGitHub } from '../github/request.js'
import { LABELS, MAX_LABEL_CHARS, MAX_NESTING_DEPTH, PER_PAGE } from './constants.js'
import { labelsOf, storeLabels, type StoreLabels } from './config.js'
import { JsonTextError, parseJson, type JsonMap } from '../json/index.js'
import { isJsonObjectValue, kindOf, toBody, toPlainObject, type JsonObject } from './json.js'

/** The fields of a GitHub issue hubstore reads. */
export interface IssueLike {
  number: number
  title: string
  body?: string | null
  state: string
  labels: Array<string | { name?: string }>
  created_at: string
  updated_at: string
  pull_request?: unknown
  /** the issue's creator (`null` for a deleted account) */
  user?: { login: string } | null
  /** number of comments (every listed or fetched issue carries it) */
  comments?: number
}

/** An object as read from its issue. */
export interface StoredObject {
  meta: {
    objectId: string
    /** `UID:<objectId>` */
    label: string
    issueNumber: number
    /** `open`: updates are queued; `closed`: idle, the body is current (§1.4) */
    state: 'open' | 'closed'
    /** all labels of the issue, in GitHub's order */
    labels: string[]
    /** ISO timestamps from GitHub */
    createdAt: string
    updatedAt: string
    /**
     * The issue's comment count, at least 1: the initial-state comment plus every comment after
     * it (gh-store's `len(comments)`, §4). For an idle object whose comments are all applied
     * updates this is the number of changes (initial state + updates); rejected comments and
     * discussion count too, pending ones as well while the issue is open. Free: read from the
     * issue, never from a comment listing. Listings (`listObjects`, `listUpdatedSince`) leave an
     * open object's pending updates out (history's `processedVersion`), so they list the version
     * the body holds; `getObject` and snapshots keep the free count.
     */
    version: number
  }
  /**
   * the issue body, parsed, as plain data: every key an own property (`__proto__`,
   * `constructor` and `prototype` included); integer-like keys come first, as in any JavaScript
   * object — the written order is in `json`
   */
  data: JsonObject
  /**
   * the data as JSON text, keys in their stored order and numbers as written, in gh-store's
   * Python form (`json.dumps(data, indent=2)`, docs/gh-store-format.md §1.8): what processing
   * writes back to the body; equal to the body itself for bodies gh-store's Python code wrote
   */
  json: string
}

/**
 * Checks an object id: non-empty, no surrounding whitespace, no control characters, no comma
 * (the list-issues `labels` filter is comma-separated), and `UID:<id>` within GitHub's 50-character
 * label limit (so at most 46 characters, docs/gh-store-format.md §1.2).
 *
 * @throws InvalidObjectIdError (`INVALID_OBJECT_ID`)
 */
export function validateObjectId(
  objectId: unknown,
  labels: Pick<StoreLabels, 'uidPrefix'> = storeLabels()
): asserts objectId is string {
  const id = String(objectId)
  const fail = (problem: string): never => {
    throw new InvalidObjectIdError(id, problem)
  }
  if (typeof objectId !== 'string') fail(`expected a string, got ${kindOf(objectId)}`)
  if (id.length === 0) fail('it is empty')
  if (id.trim() !== id) fail('it starts or ends with whitespace')
  if (id.includes(',')) fail('it contains a comma (label filters are comma-separated)')
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(id)) fail('it contains a control character')
  const label = `${labels.uidPrefix}${id}`
  if (label.length > MAX_LABEL_CHARS)
    fail(`label ${label} has ${label.length} characters; GitHub allows ${MAX_LABEL_CHARS}`)
}

/** The labels of a new object: `gh-store`, `stored-object`, `UID:<id>`, then extras (§1.1). */
export function objectLabels(
  objectId: string,
  extra: readonly string[] = [],
  labels: StoreLabels = storeLabels()
): string[] {
  const base = [labels.ghStore, labels.storedObject, `${labels.uidPrefix}${objectId}`]
  return [...base, ...extra.filter((l) => !base.includes(l))]
}

/** Label names of an issue (GitHub sends objects; some payloads send strings). */
export function labelNames(issue: Pick<IssueLike, 'labels'>): string[] {
  return issue.labels
    .map((l) => (typeof l === 'string' ? l : (l.name ?? '')))
    .filter((name) => name !== '')
}

/** The object id: the first `UID:` label with the prefix removed (§1.2). */
export function objectIdOf(
  labels: readonly string[],
  vocabulary: Pick<StoreLabels, 'uidPrefix'> = storeLabels()
): string | undefined {
  const label = labels.find((l) => l.startsWith(vocabulary.uidPrefix))
  return label?.slice(vocabulary.uidPrefix.length)
}

/** The `ALIAS-TO:` target of an issue, if it is an alias. */
export function aliasTarget(issue: Pick<IssueLike, 'labels'>): string | undefined {
  const label = labelNames(issue).find((l) => l.startsWith(LABELS.aliasToPrefix))
  return label?.slice(LABELS.aliasToPrefix.length)
}

/**
 * Parses an issue body into the object's state: exactly one JSON object, nested at most
 * `MAX_NESTING_DEPTH` levels, every key kept in order and every number one a double holds as
 * written (docs/gh-store-format.md §1.8).
 *
 * @throws InvalidObjectBodyError (`INVALID_OBJECT_BODY`), naming the path of a bad number
 */
export function parseObjectBody(issueNumber: number, body: string | null | undefined): JsonMap {
  let parsed
  try {
    parsed = parseJson(body ?? '', { maxDepth: MAX_NESTING_DEPTH })
  } catch (error) {
    if (!(error instanceof JsonTextError)) throw error
    throw new InvalidObjectBodyError(
      issueNumber,
      error.problem === 'syntax'
        ? `it is not JSON (${error.message})`
        : error.problem === 'depth'
          ? `it nests deeper than ${MAX_NESTING_DEPTH} levels`
          : error.message
    )
  }
  if (!isJsonObjectValue(parsed))
    throw new InvalidObjectBodyError(issueNumber, `it is ${kindOf(parsed)}`)
  return parsed
}

/** Builds the {@link StoredObject} view of an issue. */
export function toStoredObject(
  issue: IssueLike,
  vocabulary: Pick<StoreLabels, 'uidPrefix'> = storeLabels()
): StoredObject {
  return storedObjectOf(issue, parseObjectBody(issue.number, issue.body), vocabulary)
}

/** The {@link StoredObject} of an issue whose body is already parsed into `value`. */
export function storedObjectOf(
  issue: IssueLike,
  value: JsonMap,
  vocabulary: Pick<StoreLabels, 'uidPrefix'> = storeLabels()
): StoredObject {
  const labels = labelNames(issue)
  const objectId = objectIdOf(labels, vocabulary) ?? ''
  return {
    meta: {
      objectId,
      label: `${vocabulary.uidPrefix}${objectId}`,
      issueNumber: issue.number,
      state: issue.state === 'open' ? 'open' : 'closed',
      labels,
      createdAt: issue.created_at,
      updatedAt: issue.updated_at,
      version: versionOf(issue)
    },
    data: toPlainObject(value),
    json: toBody(value)
  }
}

/** An object's version as listed: its issue's comment count, at least 1 (see StoredObject). */
export function versionOf(issue: Pick<IssueLike, 'comments'>): number {
  return Math.max(1, issue.comments ?? 1)
}

/** True for issues that are pull requests (the issues endpoints return both, §3.1). */
export function isPullRequest(issue: Pick<IssueLike, 'pull_request'>): boolean {
  return issue.pull_request !== undefined && issue.pull_request !== null
}

/**
 * Every issue, open or closed, labelled `stored-object` and `UID:<id>`, oldest first. The
 * `gh-store` label is not required, so objects created before gh-store 0.10 (§1.7) are found.
 * Costs 1 request per 100 issues.
 */
export async function findObjectIssues(ctx: RepoContext, objectId: string): Promise<IssueLike[]> {
  const issues = await callGitHub(`look up object ${JSON.stringify(objectId)}`, () =>
    ctx.octokit.paginate(ctx.octokit.rest.issues.listForRepo, {
      owner: ctx.owner,
      repo: ctx.repo,
      labels: `${labelsOf(ctx).storedObject},${labelsOf(ctx).uidPrefix}${objectId}`,
      state: 'all',
      sort: 'created',
      direction: 'asc',
      per_page: PER_PAGE
    })
  )
  return (issues as IssueLike[]).filter((issue) => !isPullRequest(issue))
}

/**
 * The one issue of an object.
 *
 * @throws ObjectNotFoundError (`OBJECT_NOT_FOUND`), DuplicateObjectIdError (`DUPLICATE_OBJECT_ID`)
 */
export async function findObjectIssue(ctx: RepoContext, objectId: string): Promise<IssueLike> {
  const issues = await findObjectIssues(ctx, objectId)
  if (issues.length === 0) throw new ObjectNotFoundError(objectId, repositoryName(ctx))
  if (issues.length > 1)
    throw new DuplicateObjectIdError(
      objectId,
      issues.map((i) => i.number)
    )
  return issues[0]
}
