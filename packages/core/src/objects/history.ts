/**
 * An object's history and its past versions. gh-store's `get_object_history`
 * (docs/gh-store-format.md §4) lists comments as deltas, drops current-format initial states (§7.4
 * item 2) and has no point-in-time read; here every comment that is a change is returned with its
 * status, and `getObjectAt` folds the applied ones to rebuild any version.
 *
 * Versions: version `v` is the object after the first `v` comments on its issue (creation
 * order, the initial state first). It is the same number `StoredObject.meta.version` and the
 * snapshot's `meta.version` report (the comment count), so `getObjectAt(id, {version})` with a
 * snapshot's version returns that snapshot's data. Comments that change nothing (discussion,
 * rejected updates) still take a version number, equal in data to the one before.
 */
import { HistoryIncompleteError, VersionNotFoundError } from '../errors.js'
import type { RepoContext } from '../github/context.js'
import { callGitHub } from '../github/request.js'
import { INITIAL_STATE_TYPE, MAX_BODY_CHARS, MAX_NESTING_DEPTH, PER_PAGE } from './constants.js'
import { labelsOf } from './config.js'
import { parseComment } from './envelope.js'
import { findObjectIssue, parseObjectBody, validateObjectId } from './issues.js'
import { parseJson, type JsonMap, type JsonValue } from '../json/index.js'
import { isJsonObjectValue, toBody, toPlainObject, type JsonObject } from './json.js'
import { toDate } from './dates.js'
import { applyUpdate, type UpdateMode } from './merge.js'
import type { CommentLike } from './plan.js'
import { Authorizer, githubAuthorizationSource } from './authorization.js'
import { orderComments, readMarks, type MarksOf } from './trust.js'

/** One change in an object's history. */
export interface HistoryEntry {
  /** the object's version once this comment was processed (its 1-based position among the comments) */
  version: number
  commentId: number
  /** the comment's `created_at` (GitHub's clock; processing applies in this order) */
  timestamp: string
  /** `initial_state` (the data at creation) or `update` (changes) */
  type: 'initial_state' | 'update'
  /**
   * `applied`: the initial state, or an update reacted `+1` by a trusted identity (see
   * `readMarks`); `rejected`: reacted `confused` by one;
   * `pending`: not processed yet (gh-store never marks the comments it skips, so its rejected
   * updates also read as pending)
   */
  status: 'applied' | 'rejected' | 'pending'
  /** the initial state, or the update's `_data` (a legacy update's whole value), plain data */
  data: JsonObject
  /** the same as JSON text, keys in written order (docs/gh-store-format.md §1.8) */
  json: string
  mode: UpdateMode
  /** the comment's author; `null` for a deleted account */
  author: string | null
  /** `_meta` as written, or gh-store's synthetic legacy meta (§2.3) */
  metadata: { clientVersion: string; timestamp: string }
}

/** What {@link getObjectHistory} returns. */
export interface ObjectHistory {
  objectId: string
  issueNumber: number
  /** number of comments on the issue = the latest version */
  latestVersion: number
  /** changes in order; comments that are not changes (text, malformed JSON) are left out */
  entries: HistoryEntry[]
  /** the current issue body, parsed, as plain data */
  current: JsonObject
  /** the same as JSON text, keys in written order (§1.8) */
  currentJson: string
}

/** What {@link getObjectAt} returns. */
export interface ObjectVersion {
  objectId: string
  issueNumber: number
  version: number
  /** `created_at` of the comment that made this version */
  timestamp: string
  /** the object at that version, plain data */
  data: JsonObject
  /** the same as JSON text, keys in written order (§1.8) */
  json: string
}

/**
 * Every change of an object, in the order processing applies them: the initial state (current
 * envelope `_data` or the legacy `{type: "initial_state", data}` of gh-store PR #9) and each
 * update, with its comment id, timestamp, author and status. Finds closed and open objects.
 * Statuses come from trusted reactions only, judged as processing judges them (`readMarks`), so
 * an outsider's `+1` never makes an update applied, and an outsider's initial state is no
 * change at all (see {@link historyEntries}).
 *
 * Cost: 1 (lookup) + 1 per 100 comments + 1 GraphQL per 100 update comments carrying a `+1` or
 * `confused` (who reacted; 0 for an object without processed updates) + 1 permission request
 * per reactor who is neither the owner nor a bot (so 0 when the processor is a bot or the owner).
 *
 * @throws InvalidObjectIdError, ObjectNotFoundError, DuplicateObjectIdError,
 *   InvalidObjectBodyError, GitHubRequestError
 */
export async function getObjectHistory(ctx: RepoContext, objectId: string): Promise<ObjectHistory> {
  validateObjectId(objectId, labelsOf(ctx))
  const issue = await findObjectIssue(ctx, objectId)
  const current = parseObjectBody(issue.number, issue.body)
  const { octokit, owner, repo } = ctx
  const comments = (await callGitHub(`list the comments of issue #${issue.number}`, () =>
    octokit.paginate(octokit.rest.issues.listComments, {
      owner,
      repo,
      issue_number: issue.number,
      per_page: PER_PAGE
    })
  )) as CommentLike[]
  const authorizer = new Authorizer(ctx.owner, githubAuthorizationSource(ctx))
  const marks = await readMarks(ctx, comments, authorizer)
  return {
    objectId,
    issueNumber: issue.number,
    latestVersion: comments.length,
    entries: historyEntries(comments, marks, issue.user?.login),
    current: toPlainObject(current),
    currentJson: toBody(current)
  }
}

/**
 * The history entries of a comment list (pure): comments sorted by `created_at` then id, each
 * numbered by its position, the changes kept. An initial state counts only as the first comment
 * and only when written by the issue's creator (`creator`, case-insensitive); any later or
 * foreign one is no change. An update is `applied` / `rejected` only by its trusted marks.
 */
export function historyEntries(
  comments: readonly CommentLike[],
  marks: MarksOf,
  creator: string | undefined
): HistoryEntry[] {
  const ordered = orderComments(comments)
  const entries: HistoryEntry[] = []
  ordered.forEach((comment, index) => {
    const base = {
      version: index + 1,
      commentId: comment.id,
      timestamp: comment.created_at,
      author: comment.user?.login ?? null
    }
    const initial = readInitialState(comment.body)
    const genuine =
      index === 0 &&
      creator !== undefined &&
      comment.user?.login.toLowerCase() === creator.toLowerCase()
    if (initial && !genuine) return
    if (initial) {
      entries.push({
        ...base,
        type: 'initial_state',
        status: 'applied',
        data: toPlainObject(initial.data),
        json: toBody(initial.data),
        mode: 'replace',
        metadata: { clientVersion: initial.clientVersion, timestamp: initial.timestamp }
      })
      return
    }
    const parsed = parseComment(comment.body, comment.created_at)
    if (parsed.kind !== 'update') return
    const mark = marks(comment)
    entries.push({
      ...base,
      type: 'update',
      status: mark.applied ? 'applied' : mark.rejected ? 'rejected' : 'pending',
      data: toPlainObject(parsed.data),
      json: toBody(parsed.data),
      mode: parsed.meta.mode,
      metadata: { clientVersion: parsed.meta.clientVersion, timestamp: parsed.meta.timestamp }
    })
  })
  return entries
}

/**
 * The version an object's body holds (pure): the latest version (comment position, see the
 * module comment) that is not a pending update, by the rules of {@link historyEntries}. It
 * equals the comment count once every update is applied or rejected; while updates are queued it
 * leaves them out, so a listing never counts an unprocessed comment as a version. At least 1.
 */
export function processedVersion(comments: readonly CommentLike[], marks: MarksOf): number {
  // Only updates can be pending; who wrote an initial state decides nothing here.
  const pending = new Set(
    historyEntries(comments, marks, undefined)
      .filter((e) => e.status === 'pending')
      .map((e) => e.version)
  )
  let version = comments.length
  while (version > 1 && pending.has(version)) version -= 1
  return Math.max(1, version)
}

/**
 * The data of an initial-state comment, current format (`_data`, §2.2) or legacy (`data`, gh-store
 * PR #9), checked first (gh-store read `data` first and so lost every current one, §7.4 item 2).
 * `undefined` when the comment is not an initial state with object data.
 */
export function readInitialState(
  body: string | null | undefined
): { data: JsonMap; clientVersion: string; timestamp: string } | undefined {
  if (typeof body !== 'string' || body.length > MAX_BODY_CHARS) return undefined
  let parsed: JsonValue
  try {
    parsed = parseJson(body, { maxDepth: MAX_NESTING_DEPTH })
  } catch {
    return undefined
  }
  if (!isJsonObjectValue(parsed) || parsed.get('type') !== INITIAL_STATE_TYPE) return undefined
  const data = parsed.has('_data') ? parsed.get('_data') : parsed.get('data')
  if (!isJsonObjectValue(data)) return undefined
  const meta = parsed.get('_meta')
  const text = (value: JsonValue | undefined, fallback: string) =>
    typeof value === 'string' ? value : fallback
  return {
    data,
    clientVersion: isJsonObjectValue(meta) ? text(meta.get('client_version'), 'legacy') : 'legacy',
    timestamp: isJsonObjectValue(meta)
      ? text(meta.get('timestamp'), '')
      : text(parsed.get('timestamp'), '')
  }
}

/** Which version {@link getObjectAt} rebuilds: a version number, or the version current at a date. */
export type VersionSelector = { version: number } | { date: Date | string }

/**
 * Rebuilds an object as it was: at version `v` (see the module comment), or at a date — the
 * version made by the last change (initial state or update) whose comment was created at or
 * before it. Folds the applied changes from the
 * initial state with processing's own merge (`append` deep merge, `replace`), so rebuilt data
 * equals what the issue body held after that version was processed. gh-store has no such read
 * (§4: "no point-in-time reconstruction API exists").
 *
 * An object without an initial-state comment (gh-store before PR #9) is rebuilt from `{}` only
 * when replaying all its applied updates from `{}` gives its current body.
 *
 * Cost: 1 (lookup) + 1 per 100 comments.
 *
 * @throws VersionNotFoundError (version outside 1…latest, or a date before the first comment),
 *   HistoryIncompleteError, InvalidObjectIdError, ObjectNotFoundError, DuplicateObjectIdError,
 *   GitHubRequestError
 */
export async function getObjectAt(
  ctx: RepoContext,
  objectId: string,
  at: VersionSelector
): Promise<ObjectVersion> {
  const history = await getObjectHistory(ctx, objectId)
  return versionFromHistory(history, at)
}

/** {@link getObjectAt} on an already-read history (pure). */
export function versionFromHistory(history: ObjectHistory, at: VersionSelector): ObjectVersion {
  const { objectId, issueNumber, latestVersion, entries } = history
  let version: number
  if ('version' in at) {
    version = at.version
    if (!Number.isInteger(version) || version < 1 || version > latestVersion)
      throw new VersionNotFoundError(objectId, String(at.version), latestVersion)
  } else {
    const date = toDate(at.date, 'date')
    const before = entries.filter((e) => Date.parse(e.timestamp) <= date.getTime())
    if (before.length === 0)
      throw new VersionNotFoundError(objectId, date.toISOString(), latestVersion)
    version = before[before.length - 1].version
  }
  const hasInitial = entries.some((e) => e.type === 'initial_state')
  if (!hasInitial) {
    const replayed = fold(entries, Number.POSITIVE_INFINITY)
    if (toBody(replayed) !== history.currentJson)
      throw new HistoryIncompleteError(objectId, issueNumber)
  }
  const upTo = entries.filter((e) => e.version <= version)
  const state = fold(entries, version)
  return {
    objectId,
    issueNumber,
    version,
    timestamp: upTo.length > 0 ? upTo[upTo.length - 1].timestamp : '',
    data: toPlainObject(state),
    json: toBody(state)
  }
}

function fold(entries: readonly HistoryEntry[], version: number): JsonMap {
  let state: JsonMap = new Map()
  for (const entry of entries) {
    if (entry.version > version) break
    const data = parseJson(entry.json) as JsonMap
    if (entry.type === 'initial_state') state = data
    else if (entry.status === 'applied') state = applyUpdate(state, data, entry.mode)
  }
  return state
}
