/**
 * The pure half of processing: which comments are pending, and what applying them in order gives.
 * No I/O, no throwing on bad input: every pending comment ends up applied or rejected with a code.
 */
import type { AuthorizationDecision } from './authorization.js'
import type { ReactionContent } from './config.js'
import { MAX_BODY_CHARS } from './constants.js'
import { parseComment, type ParsedComment, type RejectionCode } from './envelope.js'
import type { JsonMap } from '../json/index.js'
import { toBody } from './json.js'
import { applyUpdate } from './merge.js'
import { orderComments, rollupMarks, type MarksOf } from './trust.js'

/** The fields of an issue comment processing reads (with GitHub's `reactions` rollup). */
export interface CommentLike {
  id: number
  /** GraphQL node id (REST comments carry it); needed to react through GraphQL */
  node_id?: string
  body?: string | null
  user: { login: string } | null
  created_at: string
  /** GitHub's rollup counts by reaction content (`+1`, `rocket`, …) */
  reactions?: Partial<Record<ReactionContent, number>>
}

/** A comment that still needs a decision, parsed. */
export interface PendingComment {
  comment: CommentLike
  parsed: Exclude<ParsedComment, { kind: 'initial_state' }>
  /** the newest already-applied comment created after this one, when there is one */
  newerApplied?: CommentLike
}

/** What processing decided for one comment. */
export type Decision =
  | { kind: 'applied'; comment: CommentLike }
  | { kind: 'rejected'; comment: CommentLike; code: RejectionCode; reason: string }

/**
 * Comments that need a decision, in creation order (`created_at`, then id; gh-store sorts by
 * `created_at`, §2.5): not marked applied or rejected by a trusted reaction (`marks`; see
 * `readMarks`), not initial state. A pending comment created before an applied one carries that
 * newer applied comment in `newerApplied` (so {@link planUpdates} rejects it as `OUT_OF_ORDER`).
 *
 * @param marks the trusted marks; {@link rollupMarks} (every reactor trusted) by default
 */
export function pendingComments(
  comments: readonly CommentLike[],
  marks: MarksOf = rollupMarks
): PendingComment[] {
  const ordered = orderComments(comments)
  const lastApplied = ordered.findLastIndex((c) => marks(c).applied)
  const pending: PendingComment[] = []
  ordered.forEach((comment, index) => {
    const mark = marks(comment)
    if (mark.applied || mark.rejected) return
    const parsed = parseComment(comment.body, comment.created_at)
    if (parsed.kind === 'initial_state') return
    const newerApplied = index < lastApplied ? ordered[lastApplied] : undefined
    pending.push({ comment, parsed, ...(newerApplied ? { newerApplied } : {}) })
  })
  return pending
}

/**
 * Folds pending comments over `base` in order. A comment is rejected when it did not parse, when
 * its author is not authorised (`authorize` returns the decision for a comment that parsed), when
 * it is older than a comment already applied (`OUT_OF_ORDER`: applying it now would put an older
 * change on top of newer state), or when applying it would make the body longer than 65,536
 * characters; the state then stays as it was, so a rejected comment is never partly applied.
 */
export function planUpdates(
  base: JsonMap,
  pending: readonly PendingComment[],
  authorize: (comment: CommentLike) => AuthorizationDecision
): { data: JsonMap; decisions: Decision[] } {
  let state = base
  const decisions: Decision[] = []
  for (const { comment, parsed, newerApplied } of pending) {
    if (parsed.kind === 'rejected') {
      decisions.push({ kind: 'rejected', comment, code: parsed.code, reason: parsed.reason })
      continue
    }
    const authorization = authorize(comment)
    if (!authorization.authorized) {
      decisions.push({
        kind: 'rejected',
        comment,
        code: 'UNAUTHORIZED',
        reason: authorization.reason
      })
      continue
    }
    if (newerApplied) {
      const reason =
        `comment ${newerApplied.id} (created ${newerApplied.created_at}) is newer and already ` +
        `applied; applying this one (created ${comment.created_at}) now would break creation order`
      decisions.push({ kind: 'rejected', comment, code: 'OUT_OF_ORDER', reason })
      continue
    }
    const next = applyUpdate(state, parsed.data, parsed.meta.mode)
    const size = toBody(next).length
    if (size > MAX_BODY_CHARS) {
      const reason = `applying it would make the body ${size} characters (limit ${MAX_BODY_CHARS})`
      decisions.push({ kind: 'rejected', comment, code: 'TOO_LARGE', reason })
      continue
    }
    state = next
    decisions.push({ kind: 'applied', comment })
  }
  return { data: state, decisions }
}
