/**
 * Applying queued updates (gh-store's `process_updates`, docs/gh-store-format.md §2.5), made safe
 * to rerun: every comment ends up applied once (`+1`) or rejected once (`confused`), a bad comment
 * never blocks the others, and a crash at any point converges on rerun.
 */
import { isHubstoreError, NotAStoredObjectError, ObjectProcessingConflictError } from '../errors.js'
import type { RepoContext } from '../github/context.js'
import { callGitHub } from '../github/request.js'
import {
  Authorizer,
  githubAuthorizationSource,
  type AuthorizationDecision
} from './authorization.js'
import { PER_PAGE, REACTIONS } from './constants.js'
import { labelsOf, storeConfigOf } from './config.js'
import type { RejectionCode } from './envelope.js'
import { isPullRequest, labelNames, objectIdOf, parseObjectBody, type IssueLike } from './issues.js'
import { toBody, toPlainObject, type JsonObject } from './json.js'
import { ObjectLeases, type HeldLease, type LeaseOptions } from './lease.js'
import { ReactionWriter, type Mark, type MarkingMode } from './marking.js'
import { pendingComments, planUpdates, type CommentLike } from './plan.js'
import { readMarks } from './trust.js'

/** Options of {@link processUpdates} and {@link processOpenObjects}. */
export interface ProcessOptions {
  /**
   * How comments are marked: `graphql` (default) sends one request with up to 50 aliased
   * `addReaction` mutations per 50 comments and falls back to REST by itself when GraphQL is
   * unavailable; `rest` sends one request per comment.
   */
  marking?: MarkingMode
  /**
   * The lease that makes processing one object exclusive (docs/architecture.md §2.3.1):
   * duration (default 2 min), holder id, clock, and how long to wait for a run that holds it.
   */
  lease?: LeaseOptions
}

/**
 * Where a sweep is, reported by {@link processOpenObjects} once when the open objects are listed
 * (`done` 0, no `result`) and once after each object.
 */
export interface SweepProgress {
  /** objects finished (processed or failed) so far */
  done: number
  /** open objects the sweep found (pull requests excluded) */
  total: number
  /** update comments applied so far, over every finished object */
  applied: number
  /** update comments rejected so far */
  rejected: number
  /** objects that failed so far (their result carries `error`) */
  failed: number
  /** time since the listing was answered, in ms (the sweep's clock, `now`) */
  elapsedMs: number
  /**
   * time left, in ms: the mean time per finished object × the objects left; `undefined` until an
   * object has finished
   */
  remainingMs?: number
  /** the object just finished; absent in the first report */
  result?: ProcessResult
}

/** Options of {@link processOpenObjects}: {@link ProcessOptions} and progress. */
export interface SweepOptions extends ProcessOptions {
  /**
   * Called once the open objects are listed and after each object, e.g. for a log line per
   * object. An exception it throws ends the sweep.
   */
  onProgress?: (progress: SweepProgress) => void
  /** The clock of `elapsedMs` and `remainingMs`, ms since the epoch (default the lease's, else `Date.now`). */
  now?: () => number
}

/** The outcome of processing one object. */
export interface ProcessResult {
  issueNumber: number
  /** `''` only when processing failed before the id was known */
  objectId: string
  /** comments applied by this run, in application order */
  applied: Array<{ commentId: number; author: string; createdAt: string }>
  /** comments rejected by this run (reacted `confused`; never applied) */
  rejected: Array<{ commentId: number; author: string; code: RejectionCode; reason: string }>
  /** the object after processing, as plain data (see `StoredObject.data`) */
  data: JsonObject
  /** the body written: the object after processing in gh-store's Python form (§1.8) */
  json: string
  /** requests spent on this object (the client's counter; exact when the client is not shared) */
  requests: number
  /** how this run's reactions were written (`none`: nothing to mark) */
  marking: MarkingMode | 'none'
  /** set by processOpenObjects when this object failed (the others were still processed) */
  error?: { code: string; message: string }
}

/**
 * Applies the queued updates of one object and closes its issue, holding the object's lease
 * throughout (docs/architecture.md §2.3.1), so it never overlaps another sweep, event run, CLI or
 * library call on the same object.
 *
 * 0. Takes the lease `refs/hubstore/leases/issues/<n>` (creating it, or taking over a released or
 *    expired one); while another live run holds it, waits with jittered backoff (`options.lease`).
 * 1. Lists all comments (100 per page, creation order) — only now that the lease is held — then
 *    GETs the issue: it must carry `stored-object` and `UID:<id>`, and its body must be a JSON
 *    object.
 * 2. Skips comments already reacted `+1` (applied) or `confused` (rejected) by a trusted
 *    identity (see `readMarks`: gh-store took a `+1` from anyone, §7.4 item 6), and
 *    initial-state comments (§2.2).
 * 3. Rejects, with a code and a reason: `NOT_JSON`, `TOO_LARGE`, `TOO_DEEP`, `INVALID_ENVELOPE`,
 *    `DATA_NOT_OBJECT`, `NUMBER_OUT_OF_RANGE` (see `parseComment`), `UNAUTHORIZED` (see `Authorizer`),
 *    `OUT_OF_ORDER` for a comment older than one already applied (gh-store skipped it, and
 *    applying it now would put an older change on top of newer state), and `TOO_LARGE` for an
 *    update that would push the body over 65,536 characters.
 * 4. Applies the rest in creation order (`append`: gh-store's deep merge §2.6; `replace`).
 * 5. Writes: `confused` on body-size rejections (they depend on the state, so they are made
 *    durable first); one `PATCH` of body + `state: closed` (skipped when already closed and
 *    unchanged; it also adds the `gh-store` label to issues created before gh-store 0.10, so
 *    gh-store's own clients see them again), whose answer must carry the body sent; then, in
 *    comment order, `+1` on applied and `confused` on the other rejected comments. Reactions go
 *    out as GraphQL documents of up to 50 aliased `addReaction` mutations (see
 *    `options.marking`). The lease is renewed first when less than half of it is left. A rerun
 *    after a crash anywhere re-applies only comments without `+1`, onto a body that may already
 *    contain them, which yields the same body (the merge fold is idempotent on a suffix;
 *    property-tested); a crashed run's lease blocks the object until it expires (2 min).
 * 6. Releases the lease with a fast-forward, which fails — `lease-lost` — if another run took it
 *    over meanwhile (this run stalled past its lease).
 *
 * Cost: 1 (comments, per 100 comments on the issue) + 1 (issue) + reactors (0 when no comment
 * has a `+1` or `confused`; else 1 GraphQL per 100 such comments, see `readMarks`) +
 * authorisation of authors and reactors (0 for the owner and bots; 1 per other user; CODEOWNERS
 * 1–3 once; 1 per CODEOWNERS team page) + 1 (PATCH) +
 * ⌈marked comments / 50⌉ (GraphQL; +1 when a body-size rejection must be marked before the
 * PATCH), plus the lease: **5** (1 GraphQL read, 1 commit + 1 ref write to take it, 1 commit + 1
 * fast-forward to release it; 6 where GraphQL is unavailable), +2 per renewal, +1 read (+2 per
 * retry) per wait or lost race. So K updates by the owner cost 4 + 5 = 9 requests and by one
 * write collaborator 5 + 5 = 10, for any K ≤ 50 on an issue with at most 100 comments (the
 * listing grows by 1 per 100 comments of history, the marking by 1 per 50 more updates; a rerun over processed comments adds the reactors
 * query). With
 * `marking: 'rest'`, or where GraphQL is unavailable, marking costs 1 request per applied or
 * rejected comment instead. The token needs `contents: write` for the lease ref.
 *
 * @throws ObjectProcessingConflictError (`OBJECT_PROCESSING_CONFLICT`: `lease-held` when the
 *   wait ran out, nothing written; `lease-lost`; `body-not-written`, no comment marked),
 *   NotAStoredObjectError, InvalidObjectBodyError, GitHubRequestError. Nothing but the lease is
 *   written when these are thrown before the PATCH.
 */
export async function processUpdates(
  ctx: RepoContext,
  issueNumber: number,
  options: ProcessOptions = {}
): Promise<ProcessResult> {
  return processIssue(
    ctx,
    issueNumber,
    new Authorizer(ctx.owner, githubAuthorizationSource(ctx)),
    new ReactionWriter(ctx, options.marking),
    new ObjectLeases(ctx, options.lease)
  )
}

/**
 * Sweeps every open issue labelled `gh-store` and `stored-object` (oldest first) through
 * {@link processUpdates}, sharing one authorisation cache (and one reaction writer: once GraphQL
 * proved unavailable, the sweep marks over REST), one lease holder id and clock; it holds one
 * object's lease at a time. An object that fails (its lease held by another run for the whole
 * wait included) is reported in its result's `error` (with `data` `{}`), and the sweep goes on.
 * Use it from a scheduled workflow: updates made with `GITHUB_TOKEN` never trigger the reopened
 * workflow (gh-store §2.9).
 *
 * Progress goes to `options.onProgress` (see {@link SweepProgress}): once at the start, then once
 * per object, with counts and an estimate of the time left.
 *
 * Cost: 1 request per 100 open objects, plus each object's processing cost (the lease's 5
 * included).
 *
 * @throws GitHubRequestError only when the listing itself fails.
 */
export async function processOpenObjects(
  ctx: RepoContext,
  options: SweepOptions = {}
): Promise<ProcessResult[]> {
  const { octokit, owner, repo } = ctx
  const open = (await callGitHub('list open stored objects', () =>
    octokit.paginate(octokit.rest.issues.listForRepo, {
      owner,
      repo,
      labels: `${labelsOf(ctx).ghStore},${labelsOf(ctx).storedObject}`,
      state: 'open',
      sort: 'created',
      direction: 'asc',
      per_page: PER_PAGE
    })
  )) as IssueLike[]
  const authorizer = new Authorizer(owner, githubAuthorizationSource(ctx))
  const writer = new ReactionWriter(ctx, options.marking)
  const leases = new ObjectLeases(ctx, options.lease)
  const results: ProcessResult[] = []
  const issues = open.filter((i) => !isPullRequest(i))
  const progress = sweepProgress(issues.length, options)
  for (const issue of issues) {
    const start = octokit.hubstore.requests
    try {
      results.push(await processIssue(ctx, issue.number, authorizer, writer, leases))
    } catch (error) {
      if (!isHubstoreError(error)) throw error
      results.push({
        issueNumber: issue.number,
        objectId: objectIdOf(labelNames(issue), labelsOf(ctx)) ?? '',
        applied: [],
        rejected: [],
        data: {},
        json: '{}',
        requests: octokit.hubstore.requests - start,
        marking: 'none',
        error: { code: error.code, message: error.message }
      })
    }
    progress(results.at(-1)!)
  }
  return results
}

/**
 * The progress reporter of one sweep over `total` objects: reports the start at once, then
 * each finished object (see {@link SweepProgress}).
 */
function sweepProgress(total: number, options: SweepOptions): (result: ProcessResult) => void {
  const report = options.onProgress
  if (!report) return () => undefined
  const now = options.now ?? options.lease?.now ?? (() => Date.now())
  const startedAt = now()
  const counts = { done: 0, applied: 0, rejected: 0, failed: 0 }
  report({ ...counts, total, elapsedMs: 0 })
  return (result) => {
    counts.done += 1
    counts.applied += result.applied.length
    counts.rejected += result.rejected.length
    if (result.error) counts.failed += 1
    const elapsedMs = Math.max(0, now() - startedAt)
    const remainingMs = Math.round((elapsedMs / counts.done) * (total - counts.done))
    report({ ...counts, total, elapsedMs, remainingMs, result })
  }
}

async function processIssue(
  ctx: RepoContext,
  issueNumber: number,
  authorizer: Authorizer,
  writer: ReactionWriter,
  leases: ObjectLeases
): Promise<ProcessResult> {
  const start = ctx.octokit.hubstore.requests
  const lease = await leases.acquire(issueNumber)
  let result: Omit<ProcessResult, 'requests'>
  try {
    result = await processHeld(ctx, issueNumber, authorizer, writer, leases, lease)
  } catch (error) {
    // Processing failed: free the lease for the next run, but report the original failure.
    await leases.release(lease).catch(() => undefined)
    throw error
  }
  // The release is a fast-forward from our lease commit: it succeeds only if nobody took the
  // lease over since we took it, so it also verifies that the PATCH and the marks were ours alone.
  await leases.release(lease)
  return { ...result, requests: ctx.octokit.hubstore.requests - start }
}

/** Processing proper, with the lease held; comments are listed only now. */
async function processHeld(
  ctx: RepoContext,
  issueNumber: number,
  authorizer: Authorizer,
  writer: ReactionWriter,
  leases: ObjectLeases,
  lease: HeldLease
): Promise<Omit<ProcessResult, 'requests'>> {
  const { octokit, owner, repo } = ctx
  const comments = (await callGitHub(`list the comments of issue #${issueNumber}`, () =>
    octokit.paginate(octokit.rest.issues.listComments, {
      owner,
      repo,
      issue_number: issueNumber,
      per_page: PER_PAGE
    })
  )) as CommentLike[]
  const { data: issue } = await callGitHub(`get issue #${issueNumber}`, () =>
    octokit.rest.issues.get({ owner, repo, issue_number: issueNumber })
  )
  const L = labelsOf(ctx)
  const labels = labelNames(issue)
  const objectId = objectIdOf(labels, L)
  if (issue.pull_request) throw new NotAStoredObjectError(issueNumber, 'it is a pull request')
  if (!labels.includes(L.storedObject) || objectId === undefined)
    throw new NotAStoredObjectError(
      issueNumber,
      `its labels are [${labels.join(', ')}]; ${labels.includes(L.storedObject) ? `no ${L.uidPrefix} label` : `no ${L.storedObject} label`}`
    )
  const base = parseObjectBody(issueNumber, issue.body)

  const pending = pendingComments(comments, await readMarks(ctx, comments, authorizer))
  const authorizations = new Map<number, AuthorizationDecision>()
  for (const { comment, parsed } of pending)
    if (parsed.kind === 'update')
      authorizations.set(comment.id, await authorizer.decide(comment.user?.login))
  const { data: state, decisions } = planUpdates(base, pending, (c) => authorizations.get(c.id)!)

  // Size rejections depend on the state, which the PATCH changes: make them durable first.
  const sizeRejections = decisions.filter((d) => d.kind === 'rejected' && d.code === 'TOO_LARGE')
  await writer.mark(
    sizeRejections.map((d) => ({ comment: d.comment, content: REACTIONS.rejected }))
  )
  const body = toBody(state)
  // Issues from before gh-store 0.10 lack `gh-store`; gh-store's clients only see them with it.
  const addLabel = !labels.includes(L.ghStore)
  if (issue.state !== 'closed' || issue.body !== body || addLabel) {
    await leases.renewIfDue(lease)
    const { data: written } = await callGitHub(
      `write the body of issue #${issueNumber} and close it`,
      () =>
        octokit.rest.issues.update({
          owner,
          repo,
          issue_number: issueNumber,
          body,
          state: 'closed',
          ...(addLabel ? { labels: [...labels, L.ghStore] } : {})
        })
    )
    // Verify: GitHub's answer is the issue after the write; a GET could lag behind it
    // (docs/github-behaviour.md §1.2, §2.5).
    if (written.body !== body)
      throw new ObjectProcessingConflictError(
        issueNumber,
        'body-not-written',
        undefined,
        undefined,
        `sent ${body.length} characters, GitHub answered with ${written.body?.length ?? 0}`
      )
  }
  await leases.renewIfDue(lease)
  const marks: Mark[] = decisions
    .filter((d) => !sizeRejections.includes(d))
    .map((d) => ({
      comment: d.comment,
      content: d.kind === 'applied' ? storeConfigOf(ctx).reactions.processed : REACTIONS.rejected
    }))
  await writer.mark(marks)

  const author = (c: CommentLike) => c.user?.login ?? '(deleted user)'
  return {
    issueNumber,
    objectId,
    applied: decisions
      .filter((d) => d.kind === 'applied')
      .map((d) => ({
        commentId: d.comment.id,
        author: author(d.comment),
        createdAt: d.comment.created_at
      })),
    rejected: decisions.flatMap((d) =>
      d.kind === 'rejected'
        ? [{ commentId: d.comment.id, author: author(d.comment), code: d.code, reason: d.reason }]
        : []
    ),
    data: toPlainObject(state),
    json: body,
    marking: decisions.length > 0 ? writer.mode : 'none'
  }
}
