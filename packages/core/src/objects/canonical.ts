/**
 * Aliases and deduplication, with gh-store's canonicalize labels (docs/gh-store-format.md §1.6):
 * `ALIAS-TO:<canonical-id>` on an alias issue (which keeps `stored-object`), and
 * `deprecated-object` + `MERGED-INTO:<target-id>` + `DEPRECATED-BY:<target-issue>` on a
 * deprecated issue (which loses `stored-object`). Fixed here: alias resolution reads the
 * object's own labels instead of a `ALIAS-TO:*` wildcard query GitHub cannot match (§7.4 item 12),
 * cycles are refused when created and cut when followed (a visited set), and a deprecation
 * rewrites the label set in one request instead of remove-then-add.
 */
import { InvalidAliasError } from '../errors.js'
import type { RepoContext } from '../github/context.js'
import { callGitHub, statusOf, toGitHubRequestError } from '../github/request.js'
import { LABEL_COLORS, LABELS, MAX_LABEL_CHARS } from './constants.js'
import { labelsOf } from './config.js'
import {
  aliasTarget,
  findObjectIssue,
  findObjectIssues,
  labelNames,
  objectIdOf,
  validateObjectId,
  type IssueLike
} from './issues.js'
import { listObjects, type DuplicateObjectId } from './list.js'

export { aliasTarget }

/** Why an issue is deprecated (gh-store `DeprecationReason`). */
export type DeprecationReason = 'duplicate' | 'merged' | 'replaced'

/** What {@link createAlias} did. */
export interface AliasResult {
  success: true
  sourceId: string
  targetId: string
  sourceIssue: number
  targetIssue: number
}

/** What {@link deprecateIssue} did (gh-store's result keys, camel-cased). */
export interface DeprecationResult {
  success: true
  sourceIssue: number
  sourceObjectId: string
  targetIssue: number
  targetObjectId: string
  reason: DeprecationReason
  /** labels the source issue carries now */
  labels: string[]
}

/** What {@link deduplicateObject} did. */
export interface DeduplicationResult {
  success: true
  objectId: string
  /** the oldest issue, kept as the object */
  canonicalIssue: number | null
  duplicatesProcessed: number
  results: DeprecationResult[]
}

/**
 * Follows `ALIAS-TO:` labels from `objectId` to the canonical id (gh-store
 * `resolve_canonical_object_id`, §1.6), at most `maxDepth` hops. A cycle (a → b → a) or a missing
 * target stops the walk; a cycle returns `objectId` itself, as gh-store's TypeScript client does.
 *
 * Cost: 1 request per hop (a lookup of the issue carrying `UID:<id>`).
 *
 * @throws InvalidObjectIdError, ObjectNotFoundError (for `objectId` itself),
 *   DuplicateObjectIdError, GitHubRequestError
 */
export async function resolveCanonicalObjectId(
  ctx: RepoContext,
  objectId: string,
  options: { maxDepth?: number } = {}
): Promise<string> {
  validateObjectId(objectId, labelsOf(ctx))
  const chain = await aliasChain(ctx, objectId, options.maxDepth ?? 5)
  return chain.cycle ? objectId : chain.ids[chain.ids.length - 1]
}

async function aliasChain(
  ctx: RepoContext,
  objectId: string,
  maxDepth: number
): Promise<{ ids: string[]; cycle: boolean }> {
  const ids = [objectId]
  let issue: IssueLike | undefined = await findObjectIssue(ctx, objectId)
  while (issue && ids.length <= maxDepth) {
    const target = aliasTarget(issue)
    if (target === undefined) break
    if (ids.includes(target)) return { ids: [...ids, target], cycle: true }
    const found: IssueLike[] = await findObjectIssues(ctx, target)
    if (found.length === 0) break
    ids.push(target)
    issue = found[0]
  }
  return { ids, cycle: false }
}

/**
 * Makes `sourceId` an alias of `targetId` (gh-store `create_alias`): both objects must exist, the
 * source must not be an alias already, and the link must not close a cycle (the target's own
 * alias chain may not lead back to the source). Creates the label `ALIAS-TO:<target>` (colour
 * `fbca04`) if missing and adds it to the source issue, which stays an object.
 *
 * Cost: 2 lookups + 1 per hop of the target's chain + 2 writes.
 *
 * @throws InvalidAliasError (self alias, already an alias, cycle, label longer than 50
 *   characters), InvalidObjectIdError, ObjectNotFoundError, DuplicateObjectIdError,
 *   GitHubRequestError
 */
export async function createAlias(
  ctx: RepoContext,
  sourceId: string,
  targetId: string
): Promise<AliasResult> {
  validateObjectId(sourceId, labelsOf(ctx))
  validateObjectId(targetId, labelsOf(ctx))
  if (sourceId === targetId)
    throw new InvalidAliasError(sourceId, targetId, 'an object cannot be an alias of itself')
  const label = `${LABELS.aliasToPrefix}${targetId}`
  if (label.length > MAX_LABEL_CHARS)
    throw new InvalidAliasError(
      sourceId,
      targetId,
      `the label ${label} would have ${label.length} characters; GitHub allows ${MAX_LABEL_CHARS}`
    )
  const source = await findObjectIssue(ctx, sourceId)
  const existing = aliasTarget(source)
  if (existing !== undefined)
    throw new InvalidAliasError(
      sourceId,
      targetId,
      `object ${JSON.stringify(sourceId)} is already an alias of ${JSON.stringify(existing)}`
    )
  const target = await findObjectIssue(ctx, targetId)
  const chain = await aliasChain(ctx, targetId, 10)
  if (chain.ids.includes(sourceId))
    throw new InvalidAliasError(
      sourceId,
      targetId,
      `it would close the cycle ${[sourceId, ...chain.ids].join(' → ')}`
    )
  await ensureLabel(ctx, label, LABEL_COLORS.aliasTo)
  await callGitHub(`label issue #${source.number} ${label}`, () =>
    ctx.octokit.rest.issues.addLabels({
      owner: ctx.owner,
      repo: ctx.repo,
      issue_number: source.number,
      labels: [label]
    })
  )
  return {
    success: true,
    sourceId,
    targetId,
    sourceIssue: source.number,
    targetIssue: target.number
  }
}

/**
 * Every alias among the stored objects: alias id → canonical id (gh-store `find_aliases`, which
 * relied on a wildcard label query and so found nothing on GitHub).
 *
 * Cost: ⌈objects / 100⌉ requests.
 */
export async function findAliases(ctx: RepoContext): Promise<Record<string, string>> {
  return (await listObjects(ctx)).aliases
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
  reason: DeprecationReason = 'merged'
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
  return deprecateIssues(ctx, source, target, reason)
}

/**
 * Deprecates one issue in favour of another (gh-store `deprecate_issue`): the source loses
 * `stored-object` and gains `gh-store`, `deprecated-object`, `MERGED-INTO:<target-id>` and
 * `DEPRECATED-BY:<target-issue>`, in one label write (gh-store removed, then added, then tried
 * to restore on failure). `MERGED-INTO:` is left out when it would exceed GitHub's 50-character
 * label limit (`DEPRECATED-BY:` still names the target). Missing labels are created with
 * gh-store's colours; the target gains `gh-store` if it lacks it.
 *
 * Cost: 2 reads + up to 3 label creations + 1–2 writes.
 *
 * @throws InvalidAliasError (same issue), GitHubRequestError
 */
export async function deprecateIssue(
  ctx: RepoContext,
  issueNumber: number,
  targetIssueNumber: number,
  reason: DeprecationReason = 'merged'
): Promise<DeprecationResult> {
  const read = (n: number) =>
    callGitHub(`get issue #${n}`, () =>
      ctx.octokit.rest.issues.get({ owner: ctx.owner, repo: ctx.repo, issue_number: n })
    ).then((r) => r.data as IssueLike)
  return deprecateIssues(ctx, await read(issueNumber), await read(targetIssueNumber), reason)
}

async function deprecateIssues(
  ctx: RepoContext,
  source: IssueLike,
  target: IssueLike,
  reason: DeprecationReason
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
  for (const [name, color] of added) await ensureLabel(ctx, name, color)
  const labels = [
    ...new Set([
      ...sourceLabels.filter((l) => l !== labelsOf(ctx).storedObject),
      LABELS.ghStore,
      ...added.map(([name]) => name)
    ])
  ]
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
  return {
    success: true,
    sourceIssue: source.number,
    sourceObjectId,
    targetIssue: target.number,
    targetObjectId,
    reason,
    labels
  }
}

/**
 * Keeps the oldest issue of a duplicated id (by `created_at`, then number) and deprecates every
 * other one in its favour with reason `duplicate` (gh-store `deduplicate_object`). Queued updates
 * on the deprecated issues are not carried over: process them first.
 *
 * Cost: 1 lookup + per duplicate the cost of {@link deprecateIssue} minus its reads.
 *
 * @throws InvalidObjectIdError, GitHubRequestError
 */
export async function deduplicateObject(
  ctx: RepoContext,
  objectId: string
): Promise<DeduplicationResult> {
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
      results: []
    }
  const [canonical, ...duplicates] = issues
  const results: DeprecationResult[] = []
  for (const duplicate of duplicates)
    results.push(await deprecateIssues(ctx, duplicate, canonical, 'duplicate'))
  return {
    success: true,
    objectId,
    canonicalIssue: canonical.number,
    duplicatesProcessed: results.length,
    results
  }
}

/** Creates a label with gh-store's colour unless it exists (422 `already_exists` is fine). */
async function ensureLabel(ctx: RepoContext, name: string, color: string): Promise<void> {
  try {
    await ctx.octokit.rest.issues.createLabel({ owner: ctx.owner, repo: ctx.repo, name, color })
  } catch (error) {
    if (statusOf(error) !== 422) throw toGitHubRequestError(`create label ${name}`, error)
  }
}
