/**
 * Create, read and queue updates to stored objects (docs/gh-store-format.md §1.4, §2.1, §2.9), with
 * the wire format unchanged and gh-store's lookup defects fixed (`state=all`, pagination, duplicate
 * ids refused, bodies checked against GitHub's size limit before anything is written).
 */
import {
  InvalidObjectDataError,
  LabelsNotAppliedError,
  ObjectAlreadyExistsError,
  ObjectTooLargeError
} from '../errors.js'
import { contextNow, type RepoContext } from '../github/context.js'
import { callGitHub, statusOf, toGitHubRequestError } from '../github/request.js'
import { INITIAL_STATE_TYPE, MAX_BODY_CHARS, TITLE_PREFIX } from './constants.js'
import { labelsOf, storeConfigOf, type VersionNumbering } from './config.js'
import { ghStoreGetVersion, numberingOf } from './versions.js'
import { buildEnvelope, type EnvelopeInput } from './envelope.js'
import {
  findObjectIssue,
  findObjectIssues,
  labelNames,
  objectLabels,
  parseObjectBody,
  toStoredObject,
  validateObjectId,
  type IssueLike,
  type StoredObject
} from './issues.js'
import type { JsonMap } from '../json/index.js'
import { toBody, toJsonObject, type JsonObjectInput } from './json.js'
import { applyUpdate, type UpdateMode } from './merge.js'

/**
 * Creates an object as gh-store does (§1.4): an issue titled `Stored Object: <id>` whose body is
 * the data as gh-store's Python client writes it (`json.dumps(data, indent=2)`, §1.8), labelled `gh-store`, `stored-object`, `UID:<id>` plus `extraLabels`;
 * an initial-state comment (envelope with `"type": "initial_state"`, §2.2) reacted `+1` and
 * `rocket`; then the issue is closed. Labels missing from the repository are created by GitHub.
 *
 * Cost: 6 requests (1 lookup + 5 writes) for a repository with fewer than 100 same-id issues.
 *
 * `data` is plain data (every own enumerable key is stored, `__proto__` and `constructor`
 * included; JavaScript orders integer-like keys first) or a `JsonMap` from
 * `@hubstore/core/objects` (`parseJson`), whose key order and number forms are kept exactly.
 *
 * @throws InvalidObjectIdError, InvalidObjectDataError (not a JSON object, deeper than 100
 *   levels, `NaN`/`Infinity`/bigint, with the path), ObjectTooLargeError (body or initial comment over 65,536 characters;
 *   nothing written), ObjectAlreadyExistsError / DuplicateObjectIdError (the id is taken; gh-store
 *   created a second issue, §7.4 item 13), LabelsNotAppliedError, GitHubRequestError.
 */
export async function createObject(
  ctx: RepoContext,
  objectId: string,
  data: JsonObjectInput,
  options: { extraLabels?: string[] } = {}
): Promise<StoredObject> {
  validateObjectId(objectId, labelsOf(ctx))
  const clean = checkData(objectId, data)
  const body = toBody(clean)
  checkSize(objectId, 'issue body', body)
  // The initial-state comment repeats the data one level deeper (compact when 2-space would not
  // fit, §2.2): checked before anything is written.
  checkSize(objectId, 'comment', initialComment(ctx, clean, Number.MAX_SAFE_INTEGER))

  const existing = await findObjectIssues(ctx, objectId)
  if (existing.length > 0) throw new ObjectAlreadyExistsError(objectId, existing[0].number)

  const { octokit, owner, repo } = ctx
  const labels = objectLabels(objectId, options.extraLabels, labelsOf(ctx))
  const { data: issue } = await callGitHub(
    `create the issue of object ${JSON.stringify(objectId)}`,
    () =>
      octokit.rest.issues.create({ owner, repo, title: `${TITLE_PREFIX}${objectId}`, body, labels })
  )
  const missing = labels.slice(0, 3).filter((l) => !labelNames(issue).includes(l))
  if (missing.length > 0) throw new LabelsNotAppliedError(objectId, issue.number, missing)

  const { data: comment } = await callGitHub(
    `post the initial state of issue #${issue.number}`,
    () =>
      octokit.rest.issues.createComment({
        owner,
        repo,
        issue_number: issue.number,
        body: initialComment(ctx, clean, issue.number)
      })
  )
  const { reactions } = storeConfigOf(ctx)
  for (const content of new Set([reactions.processed, reactions.initialState])) {
    await callGitHub(`react ${content} to comment ${comment.id}`, () =>
      octokit.rest.reactions.createForIssueComment({ owner, repo, comment_id: comment.id, content })
    )
  }
  const { data: closed } = await callGitHub(`close issue #${issue.number}`, () =>
    octokit.rest.issues.update({ owner, repo, issue_number: issue.number, state: 'closed' })
  )
  return toStoredObject(closed, labelsOf(ctx))
}

/**
 * Reads an object: the single issue, open or closed, labelled `gh-store`, `stored-object` and
 * `UID:<id>` (gh-store found only open ones, §7.4 item 1), with its body parsed. Archived
 * (deleted) objects lack `stored-object` and are not found. Updates still queued (issue open) are
 * not reflected until processed. `data` is plain data (every key an own property, `__proto__`
 * included); `json` is the exact text, keys in stored order (§1.8).
 *
 * `meta.version` follows `options.versionNumbering` (see {@link GetObjectOptions}).
 *
 * Cost: 1 request (per 100 issues carrying the id).
 *
 * @throws InvalidObjectIdError, ObjectNotFoundError, DuplicateObjectIdError,
 *   InvalidObjectBodyError (not a JSON object, or a number a double cannot hold, with its path),
 *   GitHubRequestError
 */
export async function getObject(
  ctx: RepoContext,
  objectId: string,
  options: GetObjectOptions = {}
): Promise<StoredObject> {
  validateObjectId(objectId, labelsOf(ctx))
  const issue = await findObjectIssue(ctx, objectId)
  const object = toStoredObject(issue, labelsOf(ctx))
  if (numberingOf(ctx, options.versionNumbering) === 'gh-store')
    object.meta.version = ghStoreGetVersion(issue)
  return object
}

/** Options of {@link getObject}. */
export interface GetObjectOptions {
  /**
   * `hubstore` (default, or `ctx.storeConfig.versionNumbering`): `meta.version` is the issue's
   * comment count; `gh-store`: what gh-store's `get` reports, comment count + 1
   * (docs/gh-store-format.md §4.1).
   */
  versionNumbering?: VersionNumbering
}

/** What {@link updateObject} did. */
export interface UpdateQueued {
  issueNumber: number
  commentId: number
  /** false when the token may comment but not reopen (a processor must be triggered another way) */
  reopened: boolean
}

/**
 * Queues an update as gh-store does (§2.9): posts the envelope `{_data, _meta{client_version,
 * timestamp, update_mode, issue_number}}` as a comment, then reopens the issue (open = pending,
 * which triggers the `issues: reopened` workflow). Processing applies it later; see
 * `processUpdates`. `mode: 'replace'` makes the changes the whole new state; gh-store's processor
 * ignores the mode and would deep-merge it, so a replace update is posted with `client_version:
 * null`, which that processor skips (§2.10). The comment is written as gh-store's Python client
 * writes it (§1.8); `changes` is plain data or a `JsonMap` (see {@link createObject}).
 *
 * Cost: 3 requests (1 lookup + comment + reopen).
 *
 * @throws InvalidObjectIdError, InvalidObjectDataError (as for createObject), ObjectTooLargeError (`comment` over
 *   65,536 characters, or `issue body`: the object after this update would be, when knowable —
 *   see {@link checkResultSize}; nothing written), ObjectNotFoundError, DuplicateObjectIdError, GitHubRequestError
 */
export async function updateObject(
  ctx: RepoContext,
  objectId: string,
  changes: JsonObjectInput,
  options: { mode?: UpdateMode } = {}
): Promise<UpdateQueued> {
  validateObjectId(objectId, labelsOf(ctx))
  const clean = checkData(objectId, changes)
  const mode = options.mode ?? 'append'
  if (mode !== 'append' && mode !== 'replace')
    throw new InvalidObjectDataError(
      objectId,
      `mode must be "append" or "replace", got ${JSON.stringify(mode)}`
    )
  const issue = await findObjectIssue(ctx, objectId)
  const { octokit, owner, repo } = ctx
  const body = buildEnvelope({
    data: clean,
    timestamp: contextNow(ctx).toISOString(),
    mode,
    issueNumber: issue.number
  })
  checkSize(objectId, 'comment', body)
  checkResultSize(objectId, issue, clean, mode)
  const { data: comment } = await callGitHub(`post an update to issue #${issue.number}`, () =>
    octokit.rest.issues.createComment({ owner, repo, issue_number: issue.number, body })
  )
  let reopened = false
  try {
    const { data } = await octokit.rest.issues.update({
      owner,
      repo,
      issue_number: issue.number,
      state: 'open'
    })
    reopened = data.state === 'open'
  } catch (error) {
    if (statusOf(error) !== 403) throw toGitHubRequestError(`reopen issue #${issue.number}`, error)
  }
  return { issueNumber: issue.number, commentId: Number(comment.id), reopened }
}

/**
 * The initial-state comment (docs/gh-store-format.md §2.2): 2-space JSON as gh-store writes it;
 * when that would exceed the comment limit (the data sits one level deeper than in the body, so
 * every line gains two spaces), the same envelope without indentation, so any data whose body
 * fits can be created.
 */
function initialComment(ctx: RepoContext, data: JsonMap, issueNumber: number): string {
  const input = {
    data,
    timestamp: contextNow(ctx).toISOString(),
    mode: 'append' as const,
    issueNumber,
    type: INITIAL_STATE_TYPE
  } satisfies EnvelopeInput
  const pretty = buildEnvelope(input)
  return pretty.length <= MAX_BODY_CHARS ? pretty : buildEnvelope({ ...input, compact: true })
}

/**
 * Refuses, before anything is written, an update whose result is known to exceed the body limit
 * (docs/gh-store-format.md §2.9): processing would only reject it later (`TOO_LARGE`). The
 * result is known for `replace` (the changes themselves) and for `append` to a closed issue
 * (nothing queued: the current data deep-merged with the changes); with updates still queued
 * (issue open) an `append` result depends on them and is not checked here.
 */
function checkResultSize(
  objectId: string,
  issue: IssueLike,
  changes: JsonMap,
  mode: UpdateMode
): void {
  let result: JsonMap | undefined = mode === 'replace' ? changes : undefined
  if (mode === 'append' && issue.state !== 'open') {
    let current: JsonMap
    try {
      current = parseObjectBody(issue.number, issue.body)
    } catch {
      return // an unreadable body is reported by processing, not here
    }
    result = applyUpdate(current, changes, mode)
  }
  if (result !== undefined) checkSize(objectId, 'issue body', toBody(result))
}

function checkData(objectId: string, data: unknown): JsonMap {
  const checked = toJsonObject(data)
  if ('problem' in checked) throw new InvalidObjectDataError(objectId, checked.problem)
  return checked.value
}

function checkSize(objectId: string, what: 'issue body' | 'comment', text: string): void {
  if (text.length > MAX_BODY_CHARS)
    throw new ObjectTooLargeError(objectId, what, text.length, MAX_BODY_CHARS)
}

/** What {@link deleteObject} did. */
export interface DeletedObject {
  objectId: string
  issueNumber: number
  /** the issue's labels now: `archived`, `gh-store`, `UID:<id>` */
  labels: string[]
}

/**
 * Deletes (archives) an object with gh-store's convention (§1.5): its issue is closed and its
 * labels are set to exactly `archived`, `gh-store`, `UID:<id>`, dropping `stored-object` (and any
 * extra label), in one `PATCH`. gh-store then removed `stored-object` a second time, which GitHub
 * answers 404 after the delete took effect (§7.4 item 8); that call is not made. Comments stay;
 * the object disappears from lookups, listings and snapshots.
 *
 * Cost: 2 requests (lookup + PATCH).
 *
 * @throws InvalidObjectIdError, ObjectNotFoundError, DuplicateObjectIdError (delete which one is
 *   ambiguous), GitHubRequestError
 */
export async function deleteObject(ctx: RepoContext, objectId: string): Promise<DeletedObject> {
  validateObjectId(objectId, labelsOf(ctx))
  const issue = await findObjectIssue(ctx, objectId)
  const { octokit, owner, repo } = ctx
  const names = labelsOf(ctx)
  const labels = [names.archived, names.ghStore, `${names.uidPrefix}${objectId}`]
  const { data } = await callGitHub(`archive issue #${issue.number}`, () =>
    octokit.rest.issues.update({ owner, repo, issue_number: issue.number, state: 'closed', labels })
  )
  return { objectId, issueNumber: issue.number, labels: labelNames(data) }
}
