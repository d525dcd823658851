/**
 * gh-store's "virtual merge" (`CanonicalStore.process_with_virtual_merge`, docs/gh-store-format.md
 * §1.6), made safe: the canonical object of an id, with the updates still queued on it and on its
 * aliases folded in, applying only what the processor would apply. gh-store folded every JSON
 * comment of every alias issue from anyone (applied ones included, from the initial state on);
 * here the fold starts from the canonical body and takes only pending comments (no trusted `+1`
 * or `confused`, see `readMarks`) whose authors the `Authorizer` trusts, each judged exactly as
 * `processUpdates` would judge it. Nothing is written (gh-store wrote the merged state to the
 * canonical body, §1.6 step 5, so a read changed the object).
 */
import { labelsOf } from './config.js'
import type { RepoContext } from '../github/context.js'
import { callGitHub } from '../github/request.js'
import { Authorizer, githubAuthorizationSource } from './authorization.js'
import { resolveCanonicalObjectId } from './canonical.js'
import { LABELS, PER_PAGE } from './constants.js'
import type { RejectionCode } from './envelope.js'
import {
  findObjectIssue,
  isPullRequest,
  labelNames,
  objectIdOf,
  parseObjectBody,
  storedObjectOf,
  type IssueLike,
  type StoredObject
} from './issues.js'
import { pendingComments, planUpdates, type CommentLike, type PendingComment } from './plan.js'
import { orderComments, readMarks } from './trust.js'

/** A queued update comment the virtual merge looked at. */
export interface FoldedComment {
  /** the issue the comment is on: the canonical one or an alias */
  issueNumber: number
  /** that issue's object id */
  objectId: string
  commentId: number
  author: string
  createdAt: string
}

/** What {@link getCanonicalObject} returns. */
export interface CanonicalObject {
  /** the id asked for */
  requestedId: string
  /** where its `ALIAS-TO:` chain ends */
  canonicalId: string
  /**
   * the canonical object with the folded updates applied to `data` and `json`; `meta` is the
   * canonical issue's (its `version` is the issue's comment count, as `getObject` reports)
   */
  object: StoredObject
  /** every alias of the canonical id, direct or through other aliases: id and issue */
  aliases: Array<{ objectId: string; issueNumber: number }>
  /** pending updates applied, in the order they were folded (creation time, then id) */
  folded: FoldedComment[]
  /** pending comments left out, with the code and reason the processor would give */
  ignored: Array<FoldedComment & { code: RejectionCode; reason: string }>
}

/**
 * The canonical view of `objectId` (gh-store `get_object(id, canonicalize=True)`):
 *
 * 1. resolves `objectId` through its `ALIAS-TO:` labels (`resolveCanonicalObjectId`);
 * 2. finds the aliases of the canonical id: active issues labelled `ALIAS-TO:<canonical>`
 *    (an exact label query, which GitHub matches), then their own aliases, at most `maxDepth`
 *    levels, each id once;
 * 3. lists the comments of the canonical issue and of every alias issue, and keeps the pending
 *    ones per issue, as processing does (`pendingComments` with trusted marks);
 * 4. folds them over the canonical body in creation order (`created_at`, then id) through
 *    `planUpdates`: an unauthorised author (not the owner, no write permission, not in
 *    CODEOWNERS), a malformed comment, a comment older than one already applied on its issue
 *    and an update that would overflow the body are left out, in `ignored`.
 *
 * An alias's own body (updates already applied on the alias issue) is not folded: processing
 * wrote those to the alias, not to the canonical object. Nothing is written.
 *
 * Cost: the resolution (1 request per hop) + 1 canonical lookup + 1 alias query per id in the
 * alias tree + per issue 1 comment listing per 100 comments and the reactor reads of
 * `readMarks` + 1 permission request per author other than the owner (cached).
 *
 * @throws InvalidObjectIdError, ObjectNotFoundError, DuplicateObjectIdError,
 *   InvalidObjectBodyError (the canonical body is not a JSON object), GitHubRequestError
 */
export async function getCanonicalObject(
  ctx: RepoContext,
  objectId: string,
  options: { maxDepth?: number } = {}
): Promise<CanonicalObject> {
  const maxDepth = options.maxDepth ?? 5
  const canonicalId = await resolveCanonicalObjectId(ctx, objectId, { maxDepth })
  const canonical = await findObjectIssue(ctx, canonicalId)
  const aliasIssues = await aliasTree(ctx, canonicalId, maxDepth)
  const authorizer = new Authorizer(ctx.owner, githubAuthorizationSource(ctx))

  const pending: Array<PendingComment & { issue: IssueLike }> = []
  for (const issue of [canonical, ...aliasIssues]) {
    const comments = await listComments(ctx, issue.number)
    const marks = await readMarks(ctx, comments, authorizer)
    for (const p of pendingComments(comments, marks)) pending.push({ ...p, issue })
  }
  const ordered = orderComments(pending.map((p) => p.comment)).map((c) =>
    pending.find((p) => p.comment === c)!
  )
  const decisions = new Map<number, Awaited<ReturnType<Authorizer['decide']>>>()
  for (const { comment, parsed } of ordered)
    if (parsed.kind === 'update')
      decisions.set(comment.id, await authorizer.decide(comment.user?.login))
  const plan = planUpdates(parseObjectBody(canonical.number, canonical.body), ordered, (c) =>
    decisions.get(c.id)!
  )

  const issueOf = new Map(ordered.map((p) => [p.comment.id, p.issue]))
  const describe = (comment: CommentLike): FoldedComment => {
    const issue = issueOf.get(comment.id)!
    return {
      issueNumber: issue.number,
      objectId: objectIdOf(labelNames(issue)) ?? '',
      commentId: comment.id,
      author: comment.user?.login ?? '(deleted user)',
      createdAt: comment.created_at
    }
  }
  return {
    requestedId: objectId,
    canonicalId,
    object: storedObjectOf(canonical, plan.data),
    aliases: aliasIssues.map((i) => ({
      objectId: objectIdOf(labelNames(i)) ?? '',
      issueNumber: i.number
    })),
    folded: plan.decisions.filter((d) => d.kind === 'applied').map((d) => describe(d.comment)),
    ignored: plan.decisions.flatMap((d) =>
      d.kind === 'rejected' ? [{ ...describe(d.comment), code: d.code, reason: d.reason }] : []
    )
  }
}

/** Active alias issues of `canonicalId`, breadth first, each id once, `maxDepth` levels. */
async function aliasTree(
  ctx: RepoContext,
  canonicalId: string,
  maxDepth: number
): Promise<IssueLike[]> {
  const seen = new Set([canonicalId])
  const found: IssueLike[] = []
  let level = [canonicalId]
  for (let depth = 0; depth < maxDepth && level.length > 0; depth++) {
    const next: string[] = []
    for (const id of level)
      for (const issue of await issuesLabelled(ctx, `${LABELS.aliasToPrefix}${id}`)) {
        const labels = labelNames(issue)
        const aliasId = objectIdOf(labels, labelsOf(ctx))
        if (aliasId === undefined || seen.has(aliasId)) continue
        if (!labels.includes(labelsOf(ctx).storedObject) || labels.includes(LABELS.archived))
          continue
        seen.add(aliasId)
        found.push(issue)
        next.push(aliasId)
      }
    level = next
  }
  return found
}

async function issuesLabelled(ctx: RepoContext, label: string): Promise<IssueLike[]> {
  const issues = (await callGitHub(`list issues labelled ${label}`, () =>
    ctx.octokit.paginate(ctx.octokit.rest.issues.listForRepo, {
      owner: ctx.owner,
      repo: ctx.repo,
      labels: label,
      state: 'all',
      sort: 'created',
      direction: 'asc',
      per_page: PER_PAGE
    })
  )) as IssueLike[]
  return issues.filter((i) => !isPullRequest(i))
}

async function listComments(ctx: RepoContext, issueNumber: number): Promise<CommentLike[]> {
  return (await callGitHub(`list the comments of issue #${issueNumber}`, () =>
    ctx.octokit.paginate(ctx.octokit.rest.issues.listComments, {
      owner: ctx.owner,
      repo: ctx.repo,
      issue_number: issueNumber,
      per_page: PER_PAGE
    })
  )) as CommentLike[]
}
