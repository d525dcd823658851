import type { CommentRecord, IssueRecord, RepoRecord, StateData } from '../state.js'

/**
 * GraphQL global ids. The emulator uses GitHub's legacy form everywhere (base64 of
 * `<type length>:<Type><id>`, as the REST `node_id` of the same object), so a REST `node_id`
 * is a valid GraphQL `ID` and back. Git objects and refs, which have no numeric id, use
 * GitHub's legacy `<Type><repository id>:<oid or ref name>` form (e.g.
 * `06:Commit42:<oid>`).
 */

/** A decoded legacy node id: the type name and what follows it. */
export interface DecodedNodeId {
  type: string
  rest: string
}

/** Decodes a legacy node id; `null` when `id` is not one. */
export function decodeNodeId(id: string): DecodedNodeId | null {
  if (!/^[A-Za-z0-9+/]+=*$/.test(id)) return null
  const text = Buffer.from(id, 'base64').toString('utf8')
  const m = /^(\d{2}):(.*)$/s.exec(text)
  if (!m) return null
  const length = Number(m[1])
  if (m[2].length <= length) return null
  return { type: m[2].slice(0, length), rest: m[2].slice(length) }
}

/** Splits the `rest` of a git node id into the repository id and the key. */
export function splitGitNodeRest(rest: string): { repoId: number; key: string } | null {
  const m = /^(\d+):(.+)$/s.exec(rest)
  return m ? { repoId: Number(m[1]), key: m[2] } : null
}

/** Where a node lives: an issue or an issue comment with its repository. */
export type ReactableNode =
  | { kind: 'Issue'; repo: RepoRecord; issue: IssueRecord }
  | { kind: 'IssueComment'; repo: RepoRecord; comment: CommentRecord }

/**
 * The issue or issue comment whose `node_id` is `id` (ids are unique across the instance),
 * or `null`. No access check: callers check the repository.
 */
export function findReactable(data: StateData, id: string): ReactableNode | null {
  const decoded = decodeNodeId(id)
  if (!decoded || !/^\d+$/.test(decoded.rest)) return null
  const numeric = Number(decoded.rest)
  for (const repo of Object.values(data.repos)) {
    if (decoded.type === 'Issue') {
      const issue = Object.values(repo.issues).find((i) => i.id === numeric)
      if (issue) return { kind: 'Issue', repo, issue }
    } else if (decoded.type === 'IssueComment') {
      const comment = repo.comments[String(numeric)]
      if (comment) return { kind: 'IssueComment', repo, comment }
    } else return null
  }
  return null
}
