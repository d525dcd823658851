/**
 * Aliases, with gh-store's canonicalize label (docs/gh-store-format.md §1.6): `ALIAS-TO:<canonical-id>`
 * on an alias issue, which keeps `stored-object`. Fixed here: alias resolution reads the object's
 * own labels instead of a `ALIAS-TO:*` wildcard query GitHub cannot match (§7.4 item 12), and
 * cycles are refused when created and cut when followed (a visited set). Deprecation and
 * deduplication are in `deprecation.ts`.
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
  validateObjectId,
  type IssueLike
} from './issues.js'
import { listObjects } from './list.js'

export { aliasTarget }

/** Options of the canonicalize writes (`createAlias`, `deprecateObject`, `deduplicateObject`). */
export interface CanonicalWriteOptions {
  /**
   * Do every read and check, then stop before the first write (no label created, no issue
   * changed), returning what would be done with `dryRun: true` (gh-store's `--dry-run`).
   */
  dryRun?: boolean
}

/** What {@link createAlias} did. */
export interface AliasResult {
  success: true
  /** true when nothing was written ({@link CanonicalWriteOptions.dryRun}) */
  dryRun: boolean
  /** the label added (or that would be added) to the source issue */
  label: string
  sourceId: string
  targetId: string
  sourceIssue: number
  targetIssue: number
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
 * Cost: 2 lookups + 1 per hop of the target's chain + 2 writes (none with `dryRun`).
 *
 * @throws InvalidAliasError (self alias, already an alias, cycle, label longer than 50
 *   characters), InvalidObjectIdError, ObjectNotFoundError, DuplicateObjectIdError,
 *   GitHubRequestError
 */
export async function createAlias(
  ctx: RepoContext,
  sourceId: string,
  targetId: string,
  options: CanonicalWriteOptions = {}
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
  const dryRun = options.dryRun === true
  if (!dryRun) {
    await ensureLabel(ctx, label, LABEL_COLORS.aliasTo)
    await callGitHub(`label issue #${source.number} ${label}`, () =>
      ctx.octokit.rest.issues.addLabels({
        owner: ctx.owner,
        repo: ctx.repo,
        issue_number: source.number,
        labels: [label]
      })
    )
  }
  return {
    success: true,
    dryRun,
    label,
    sourceId,
    targetId,
    sourceIssue: source.number,
    targetIssue: target.number
  }
}

/**
 * Every alias among the stored objects: alias id → the id its `ALIAS-TO:` label names (gh-store
 * `find_aliases`, which relied on a wildcard label query and so found nothing on GitHub). With
 * `targetId`, only the aliases whose label names that id (gh-store's `find_aliases(object_id)`,
 * the per-target form).
 *
 * Cost: ⌈objects / 100⌉ requests.
 *
 * @throws InvalidObjectIdError (a bad `targetId`), GitHubRequestError
 */
export async function findAliases(
  ctx: RepoContext,
  targetId?: string
): Promise<Record<string, string>> {
  if (targetId !== undefined) validateObjectId(targetId, labelsOf(ctx))
  const aliases = (await listObjects(ctx)).aliases
  if (targetId === undefined) return aliases
  return Object.fromEntries(Object.entries(aliases).filter(([, target]) => target === targetId))
}

/** Creates a label with gh-store's colour unless it exists (422 `already_exists` is fine). @throws GitHubRequestError */
export async function ensureLabel(ctx: RepoContext, name: string, color: string): Promise<void> {
  try {
    await ctx.octokit.rest.issues.createLabel({ owner: ctx.owner, repo: ctx.repo, name, color })
  } catch (error) {
    if (statusOf(error) !== 422) throw toGitHubRequestError(`create label ${name}`, error)
  }
}
