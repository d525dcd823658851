/**
 * The pure half of processing: which comments are pending, and what applying them in order gives.
 * No I/O, no throwing on bad input: every pending comment ends up applied or rejected with a code.
 */
import type { AuthorizationDecision } from './authorization.js'
import { MAX_BODY_CHARS } from './constants.js'
import { parseComment, type ParsedComment, type RejectionCode } from './envelope.js'
import type { JsonMap } from '../json/index.js'
import { toBody } from './json.js'
import { applyUpdate } from './merge.js'

/** The fields of an issue comment processing reads (with GitHub's `reactions` rollup). */
export interface CommentLike {
  id: number
  /** GraphQL node id (REST comments carry it); needed to react through GraphQL */
  node_id?: string
  body?: string | null
  user: { login: string } | null
  created_at: string
  reactions?: { '+1'?: number; confused?: number }
}

/** A comment that still needs a decision, parsed. */
export interface PendingComment {
  comment: CommentLike
  parsed: Exclude<ParsedComment, { kind: 'initial_state' }>
}

/** What processing decided for one comment. */
export type Decision =
  | { kind: 'applied'; comment: CommentLike }
  | { kind: 'rejected'; comment: CommentLike; code: RejectionCode; reason: string }

/**
 * Comments that need a decision, in creation order (`created_at`, then id; gh-store sorts by
 * `created_at`, §2.5): not reacted `+1` (applied) or `confused` (rejected), not initial state.
 */
export function pendingComments(comments: readonly CommentLike[]): PendingComment[] {
  const ordered = [...comments].sort(
    (a, b) => a.created_at.localeCompare(b.created_at) || a.id - b.id
  )
  const pending: PendingComment[] = []
  for (const comment of ordered) {
    if ((comment.reactions?.['+1'] ?? 0) > 0 || (comment.reactions?.confused ?? 0) > 0) continue
    const parsed = parseComment(comment.body, comment.created_at)
    if (parsed.kind !== 'initial_state') pending.push({ comment, parsed })
  }
  return pending
}

/**
 * Folds pending comments over `base` in order. A comment is rejected when it did not parse, when
 * its author is not authorised (`authorize` returns the decision for a comment that parsed), or
 * when applying it would make the body longer than 65,536 characters; the state then stays as it
 * was, so a rejected comment is never partly applied.
 */
export function planUpdates(
  base: JsonMap,
  pending: readonly PendingComment[],
  authorize: (comment: CommentLike) => AuthorizationDecision
): { data: JsonMap; decisions: Decision[] } {
  let state = base
  const decisions: Decision[] = []
  for (const { comment, parsed } of pending) {
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
