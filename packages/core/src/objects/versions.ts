/**
 * Listed versions that count applied changes only. A listing reads an object's version for free
 * from its issue's comment count (`versionOf`), which is exact for an idle (closed) object; for
 * an open one it would count the queued updates too, versions its body does not hold yet.
 */
import type { RepoContext } from '../github/context.js'
import { callGitHub } from '../github/request.js'
import { Authorizer, githubAuthorizationSource } from './authorization.js'
import { storeConfigOf, type VersionNumbering } from './config.js'
import { PER_PAGE } from './constants.js'
import { processedVersion } from './history.js'
import type { IssueLike, StoredObject } from './issues.js'
import type { CommentLike } from './plan.js'
import { readMarks } from './trust.js'

/**
 * Sets `meta.version` of every open object in `objects` to the version its body holds
 * (`processedVersion`: pending updates left out), reading its comments and who marked them;
 * closed objects, and open ones with at most one comment, keep their comment count.
 *
 * Cost: per open object with 2 or more comments, 1 request per 100 comments + 1 GraphQL per 100 comments reacted `+1` or
 * `confused`; plus 1 permission request per reactor who is neither the owner nor a bot, once per
 * call. 0 when no object is open.
 *
 * @throws GitHubRequestError when comments or reactions cannot be read.
 */
export async function settleOpenVersions(
  ctx: RepoContext,
  objects: readonly StoredObject[]
): Promise<void> {
  // With at most one comment the version is 1 whatever the comment is: nothing to read.
  const open = objects.filter((o) => o.meta.state === 'open' && o.meta.version > 1)
  if (open.length === 0) return
  const authorizer = new Authorizer(ctx.owner, githubAuthorizationSource(ctx))
  for (const object of open) {
    const n = object.meta.issueNumber
    const comments = (await callGitHub(`list the comments of issue #${n}`, () =>
      ctx.octokit.paginate(ctx.octokit.rest.issues.listComments, {
        owner: ctx.owner,
        repo: ctx.repo,
        issue_number: n,
        per_page: PER_PAGE
      })
    )) as CommentLike[]
    const marks = await readMarks(ctx, comments, authorizer)
    object.meta.version = processedVersion(comments, marks)
  }
}

/**
 * The numbering a read uses: the option given to it, else the context's config.yml
 * (`hubstore.version_numbering`, `ctx.storeConfig`), else `hubstore`.
 */
export function numberingOf(
  ctx: Pick<RepoContext, 'storeConfig'>,
  option?: VersionNumbering
): VersionNumbering {
  return option ?? storeConfigOf(ctx).versionNumbering
}

/**
 * The version gh-store's `get` reports for an issue (`IssueHandler._get_version`,
 * docs/gh-store-format.md §4, §4.1): every comment counted, plus 1.
 */
export function ghStoreGetVersion(issue: Pick<IssueLike, 'comments'>): number {
  return (issue.comments ?? 0) + 1
}

/** The version gh-store's listings and snapshots report for every object (§3.1, §4.1). */
export const GH_STORE_LISTED_VERSION = 1
