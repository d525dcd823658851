import { decodeNodeId, splitGitNodeRest } from '../shapes/common.js'
import type { CommentRecord, IssueRecord, RepoRecord, Store } from '../state.js'
import type { ReposModel } from './repos.js'
import type { Caller } from './users.js'

/** Where a node lives: an issue or an issue comment with its repository. */
export type ReactableNode =
  | { kind: 'Issue'; repo: RepoRecord; issue: IssueRecord }
  | { kind: 'IssueComment'; repo: RepoRecord; comment: CommentRecord }

/**
 * What GraphQL global ids name (docs/github-behaviour.md §2.2, §3.3). The emulator uses
 * GitHub's legacy form everywhere (base64 of `<type length>:<Type><id>`, the REST `node_id` of
 * the same object), so a REST `node_id` is a valid GraphQL `ID` and back. Git objects and refs,
 * which have no numeric id, use GitHub's legacy `<Type><repository id>:<oid or ref name>` form
 * (e.g. `06:Commit42:<oid>`). Encoding and decoding live in `shapes/common.ts`.
 */
export class NodesModel {
  constructor(
    private readonly s: Store,
    private readonly repos: ReposModel
  ) {}

  /**
   * The issue or issue comment whose `node_id` is `id` (ids are unique across the instance),
   * or `null`. No access check: callers check the repository (`visibleReactable`) or let the
   * model they call check it.
   */
  reactable(id: string): ReactableNode | null {
    const decoded = decodeNodeId(id)
    if (!decoded || !/^\d+$/.test(decoded.rest)) return null
    const numeric = Number(decoded.rest)
    for (const repo of Object.values(this.s.data.repos)) {
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

  /** `reactable` when `caller` can see its repository, else `null` (GraphQL `node(id:)`). */
  visibleReactable(caller: Caller, id: string): ReactableNode | null {
    const node = this.reactable(id)
    return node && this.repos.canSee(caller, node.repo) ? node : null
  }

  /**
   * The branch a `Ref` node id names (`CommittableBranch.id`): its repository, when `caller`
   * can see it, and the branch name without `refs/heads/`; `null` otherwise.
   */
  branch(caller: Caller, id: string): { repo: RepoRecord; name: string } | null {
    const decoded = decodeNodeId(id)
    const parts = decoded?.type === 'Ref' ? splitGitNodeRest(decoded.rest) : null
    const repo = parts ? this.repos.visibleById(caller, parts.repoId) : null
    if (!parts || !repo) return null
    return { repo, name: parts.key.replace(/^refs\/heads\//, '') }
  }
}
