/**
 * Deprecation and deduplication, with gh-store's canonicalize labels (docs/gh-store-format.md
 * §1.6): `deprecated-object` + `MERGED-INTO:<target-id>` + `DEPRECATED-BY:<target-issue>` on a
 * deprecated issue, which loses `stored-object`. Fixed here: a deprecation rewrites the label set
 * in one request instead of remove-then-add.
 */
import { InvalidAliasError } from '../errors.js'
import type { RepoContext } from '../github/context.js'
import { callGitHub } from '../github/request.js'
import { ensureLabel, type CanonicalWriteOptions } from './canonical.js'
import { labelsOf } from './config.js'
import { LABEL_COLORS, LABELS, MAX_LABEL_CHARS } from './constants.js'
import {
  findObjectIssue,
  findObjectIssues,
  labelNames,
  objectIdOf,
  validateObjectId,
  type IssueLike
} from './issues.js'
import { listObjects, type DuplicateObjectId } from './list.js'

/** Why an issue is deprecated (gh-store `DeprecationReason`). */
export type DeprecationReason = 'duplicate' | 'merged' | 'replaced'

/** The reasons gh-store's canonicalize tool accepts (`--reason`), in its order. */
export const DEPRECATION_REASONS: readonly DeprecationReason[] = ['duplicate', 'merged', 'replaced']

/** What {@link deprecateIssue} did (gh-store's result keys, camel-cased). */
export interface DeprecationResult {
  success: true
  sourceIssue: number
  sourceObjectId: string
  targetIssue: number
  targetObjectId: string
  reason: DeprecationReason
  /** labels the source issue carries now (with `dryRun`, would carry) */
  labels: string[]
  /** true when nothing was written */
  dryRun: boolean
}

/** What {@link deduplicateObject} did. */
export interface DeduplicationResult {
  success: true
  objectId: string
  /** the oldest issue, kept as the object */
  canonicalIssue: number | null
  duplicatesProcessed: number
  results: DeprecationResult[]
  /** true when nothing was written */
  dryRun: boolean
}

/**
 * Ids carried by more than one active issue (gh-store `find_duplicates`), issue numbers ascending.
 *
 * Cost: ⌈objects / 100⌉ requests.
 */
export async function findDuplicates(ctx: RepoContext): Promise<DuplicateObjectId[]> {
  return (await listObjects(ctx)).duplicates
}

/**
 * Deprecates `objectId` in favour of `targetId` (gh-store `deprecate_object`): see
 * {@link deprecateIssue}. Self-deprecation is refused.
 *
 * @throws InvalidAliasError, InvalidObjectIdError, ObjectNotFoundError, DuplicateObjectIdError,
 *   GitHubRequestError
 */
export async function deprecateObject(
  ctx: RepoContext,
  objectId: string,
  targetId: string,
  reason: DeprecationReason = 'merged',
  options: CanonicalWriteOptions = {}
): Promise<DeprecationResult> {
  validateObjectId(objectId, labelsOf(ctx))
  validateObjectId(targetId, labelsOf(ctx))
  if (objectId === targetId)
    throw new InvalidAliasError(
      objectId,
      targetId,
      `cannot deprecate an object as itself: ${objectId}`
    )
  const source = await findObjectIssue(ctx, objectId)
  const target = await findObjectIssue(ctx, targetId)
  return deprecateIssues(ctx, source, target, reason, options.dryRun === true)
}

/**
 * Deprecates one issue in favour of another (gh-store `deprecate_issue`): the source loses
 * `stored-object` and gains `gh-store`, `deprecated-object`, `MERGED-INTO:<target-id>` and
 * `DEPRECATED-BY:<target-issue>`, in one label write (gh-store removed, then added, then tried
 * to restore on failure). `MERGED-INTO:` is left out when it would exceed GitHub's 50-character
 * label limit (`DEPRECATED-BY:` still names the target). Missing labels are created with
 * gh-store's colours; the target gains `gh-store` if it lacks it.
 *
 * Cost: 2 reads + up to 3 label creations + 1–2 writes (none with `dryRun`).
 *
 * @throws InvalidAliasError (same issue), GitHubRequestError
 */
export async function deprecateIssue(
  ctx: RepoContext,
  issueNumber: number,
  targetIssueNumber: number,
  reason: DeprecationReason = 'merged',
  options: CanonicalWriteOptions = {}
): Promise<DeprecationResult> {
  const read = (n: number) =>
    callGitHub(`get issue #${n}`, () =>
      ctx.octokit.rest.issues.get({ owner: ctx.owner, repo: ctx.repo, issue_number: n })
    ).then((r) => r.data as IssueLike)
  return deprecateIssues(
    ctx,
    await read(issueNumber),
    await read(targetIssueNumber),
    reason,
    options.dryRun === true
  )
}

async function deprecateIssues(
  ctx: RepoContext,
  source: IssueLike,
  target: IssueLike,
  reason: DeprecationReason,
  dryRun: boolean
): Promise<DeprecationResult> {
  const sourceLabels = labelNames(source)
  const targetLabels = labelNames(target)
  const sourceObjectId = objectIdOf(sourceLabels, labelsOf(ctx)) ?? ''
  const targetObjectId = objectIdOf(targetLabels, labelsOf(ctx)) ?? ''
  if (source.number === target.number)
    throw new InvalidAliasError(
      sourceObjectId,
      targetObjectId,
      `issue #${source.number} cannot be deprecated in favour of itself`
    )
  const added: Array<[string, string]> = [
    [LABELS.deprecated, LABEL_COLORS.deprecated],
    [`${LABELS.deprecatedByPrefix}${target.number}`, LABEL_COLORS.deprecatedBy]
  ]
  const mergedInto = `${LABELS.mergedIntoPrefix}${targetObjectId}`
  if (targetObjectId && mergedInto.length <= MAX_LABEL_CHARS)
    added.splice(1, 0, [mergedInto, LABEL_COLORS.mergedInto])
  const labels = [
    ...new Set([
      ...sourceLabels.filter((l) => l !== labelsOf(ctx).storedObject),
      LABELS.ghStore,
      ...added.map(([name]) => name)
    ])
  ]
  const result = {
    success: true as const,
    sourceIssue: source.number,
    sourceObjectId,
    targetIssue: target.number,
    targetObjectId,
    reason,
    labels,
    dryRun
  }
  if (dryRun) return result
  for (const [name, color] of added) await ensureLabel(ctx, name, color)
  const { owner, repo, octokit } = ctx
  await callGitHub(`deprecate issue #${source.number}`, () =>
    octokit.rest.issues.update({ owner, repo, issue_number: source.number, labels })
  )
  if (!targetLabels.includes(LABELS.ghStore))
    await callGitHub(`label issue #${target.number} gh-store`, () =>
      octokit.rest.issues.addLabels({
        owner,
        repo,
        issue_number: target.number,
        labels: [LABELS.ghStore]
      })
    )
  return result
}

/**
 * Keeps the oldest issue of a duplicated id (by `created_at`, then number) and deprecates every
 * other one in its favour with reason `duplicate` (gh-store `deduplicate_object`). Queued updates
 * on the deprecated issues are not carried over: process them first.
 *
 * Cost: 1 lookup + per duplicate the cost of {@link deprecateIssue} minus its reads (with
 * `dryRun`, the lookup only).
 *
 * @throws InvalidObjectIdError, GitHubRequestError
 */
export async function deduplicateObject(
  ctx: RepoContext,
  objectId: string,
  options: CanonicalWriteOptions = {}
): Promise<DeduplicationResult> {
  const dryRun = options.dryRun === true
  validateObjectId(objectId, labelsOf(ctx))
  const issues = (await findObjectIssues(ctx, objectId)).sort(
    (a, b) => a.created_at.localeCompare(b.created_at) || a.number - b.number
  )
  if (issues.length <= 1)
    return {
      success: true,
      objectId,
      canonicalIssue: issues[0]?.number ?? null,
      duplicatesProcessed: 0,
      results: [],
      dryRun
    }
  const [canonical, ...duplicates] = issues
  const results: DeprecationResult[] = []
  for (const duplicate of duplicates)
    results.push(await deprecateIssues(ctx, duplicate, canonical, 'duplicate', dryRun))
  return {
    success: true,
    objectId,
    canonicalIssue: canonical.number,
    duplicatesProcessed: results.length,
    results,
    dryRun
  }
}

/**
 * {@link deduplicateObject} for every duplicated id (gh-store's `--deduplicate` without
 * `--object-id`), ids in the order {@link findDuplicates} lists them.
 *
 * Cost: ⌈objects / 100⌉ requests + per duplicated id the cost of {@link deduplicateObject}.
 *
 * @throws GitHubRequestError
 */
export async function deduplicateAll(
  ctx: RepoContext,
  options: CanonicalWriteOptions = {}
): Promise<DeduplicationResult[]> {
  const results: DeduplicationResult[] = []
  for (const { objectId } of await findDuplicates(ctx))
    results.push(await deduplicateObject(ctx, objectId, options))
  return results
}
