import { GitRepositoryIsEmpty, NotFound, Unprocessable } from '../errors.js'
import { entryType, type CommitObject, type TreeEntry } from '../git/objects.js'
import {
  GitNotFastForward,
  GitObjectNotFound,
  GitPathNotFound,
  GitStaleHead
} from '../git/errors.js'
import type { GitStore } from '../git/store.js'
import type { TreeEdit } from '../git/tree-edit.js'
import type { IdentInput } from '../git/types.js'
import { DomainEvents, pushEvent } from '../events.js'
import type { RepoRecord } from '../state.js'
import { fullName } from './access.js'
import type { ContentsModel } from './contents.js'
import { isMalformedPath } from './paths.js'
import type { Caller } from './users.js'

/**
 * Entries a recursive tree answer holds before it is `truncated` (docs/github-behaviour.md §2.1).
 */
export const TREE_RECURSIVE_MAX_ENTRIES = 100_000

/** One entry of a `git/create-tree` body. */
export interface TreeInputEntry {
  path: string
  mode: string
  type?: 'blob' | 'tree' | 'commit'
  /** `null` deletes the path (with a `base_tree`). */
  sha?: string | null
  content?: string
}

/** A tree entry of an answer, with its path and (blobs) size. */
export type TreeAnswerEntry = TreeEntry & { path: string; size?: number }

const MODES = new Set(['100644', '100755', '040000', '160000', '120000'])

/** `true` when `name` is a valid full ref name (`refs/<kind>/<name>`, git's check-ref-format rules). */
export function isValidRefName(name: string): boolean {
  if (!/^refs\/[^/]+\/.+/.test(name)) return false
  if ([...name].some((ch) => ch.charCodeAt(0) <= 0x20 || ch.charCodeAt(0) === 0x7f)) return false
  if (/(^|\/)\.|\.\.|@\{|[~^:?*[\\]|\/\/|\/$|\.lock(\/|$)|\.$/.test(name)) return false
  return true
}

/** `heads/main`, `refs/heads/main` → `refs/heads/main`. */
export function fullRefName(ref: string): string {
  return ref.startsWith('refs/') ? ref : `refs/${ref}`
}

/**
 * The git data API (docs/github-behaviour.md §2.1) over `GitStore`: blobs, trees, commits and
 * refs with GitHub's answers — 409 `Git Repository is empty.` on a repository without commits,
 * 422 `Reference already exists` / `Object does not exist` / `Reference does not exist` /
 * `Update is not a fast forward`.
 */
export class GitDataModel {
  constructor(
    private readonly contents: ContentsModel,
    private readonly git: GitStore,
    private readonly events: DomainEvents = new DomainEvents()
  ) {}

  private emitPush(
    caller: Caller | null,
    repo: RepoRecord,
    ref: string,
    before: string | null,
    after: string | null
  ): void {
    const tags = ref.startsWith('refs/tags/') ? 1 : 0
    const sender = caller?.user.login ?? repo.owner
    this.events.emit(pushEvent(fullName(repo), ref, before, after, sender, tags))
  }

  /** The repository after the access check; 409 `GitRepositoryIsEmpty` when it has no commits. */
  async repo(
    caller: Caller | null,
    owner: string,
    name: string,
    need: 'read' | 'write'
  ): Promise<RepoRecord> {
    const repo = await this.contents.repo(caller, owner, name, need)
    if (await this.git.isEmpty(repo.owner, repo.name)) throw new GitRepositoryIsEmpty()
    return repo
  }

  /** `git/create-blob`: `content` as UTF-8 text or base64; answers the blob SHA. */
  async createBlob(
    caller: Caller | null,
    owner: string,
    name: string,
    content: string,
    encoding: 'utf-8' | 'base64'
  ): Promise<{ repo: RepoRecord; sha: string }> {
    const repo = await this.repo(caller, owner, name, 'write')
    const bytes = Buffer.from(content, encoding === 'base64' ? 'base64' : 'utf8')
    return { repo, sha: await this.git.writeBlob(repo.owner, repo.name, bytes) }
  }

  /** `git/get-blob`; `NotFound` when absent. */
  async getBlob(
    caller: Caller | null,
    owner: string,
    name: string,
    sha: string
  ): Promise<{ repo: RepoRecord; sha: string; bytes: Buffer }> {
    const repo = await this.repo(caller, owner, name, 'read')
    const bytes = await this.git.readBlob(repo.owner, repo.name, sha.toLowerCase())
    if (!bytes) throw new NotFound()
    return { repo, sha: sha.toLowerCase(), bytes }
  }

  /**
   * `git/create-tree`: `base_tree` plus `entries` (nested paths create subtrees, `sha: null`
   * deletes, inline `content` becomes a blob). 422 for malformed paths, unknown objects,
   * `sha` and `content` together, deleting a missing path. Answers the new tree (top level).
   */
  async createTree(
    caller: Caller | null,
    owner: string,
    name: string,
    input: { base_tree?: string; tree: TreeInputEntry[] }
  ): Promise<{ repo: RepoRecord; sha: string; entries: TreeAnswerEntry[] }> {
    const repo = await this.repo(caller, owner, name, 'write')
    const { owner: o, name: n } = repo
    let base: string | null = null
    if (input.base_tree !== undefined) {
      base = await this.treeOf(repo, input.base_tree)
      if (!base) throw new Unprocessable('base_tree is not a valid tree oid')
    }
    const edits: TreeEdit[] = []
    for (const e of input.tree) {
      if (isMalformedPath(e.path))
        throw new Unprocessable('tree.path contains a malformed path component')
      if (!MODES.has(e.mode)) throw new Unprocessable(`tree.mode contains an invalid value`)
      const hasSha = e.sha !== undefined
      const hasContent = e.content !== undefined
      if (hasSha === hasContent)
        throw new Unprocessable(
          'Must supply either tree.sha or tree.content. Request will be rejected if both are present.'
        )
      const type = e.type ?? entryType(e.mode)
      if (hasContent) {
        const sha = await this.git.writeBlob(o, n, Buffer.from(e.content!, 'utf8'))
        edits.push({ path: e.path, mode: e.mode, sha })
        continue
      }
      if (e.sha === null) {
        edits.push({ path: e.path, sha: null })
        continue
      }
      const sha = e.sha!.toLowerCase()
      if (type !== 'commit') {
        const obj = await this.git.readObject(o, n, sha)
        if (!obj || obj.type !== type)
          throw new Unprocessable(`tree.sha ${e.sha} is not a valid ${type}`)
      }
      edits.push({ path: e.path, mode: e.mode, sha })
    }
    try {
      const sha = await this.git.editTree(o, n, base, edits)
      return { repo, sha, entries: await this.entries(repo, sha, false) }
    } catch (error) {
      if (error instanceof GitPathNotFound) throw new Unprocessable('GitRPC::BadObjectState')
      throw error
    }
  }

  /**
   * `git/get-tree`: `treeSha` is a tree SHA, or a commit SHA / branch / tag whose tree is
   * listed; `recursive` lists subtrees too (truncated past 100,000 entries). `NotFound`.
   */
  async getTree(
    caller: Caller | null,
    owner: string,
    name: string,
    treeSha: string,
    recursive: boolean
  ): Promise<{ repo: RepoRecord; sha: string; entries: TreeAnswerEntry[]; truncated: boolean }> {
    const repo = await this.repo(caller, owner, name, 'read')
    const sha = await this.treeOf(repo, treeSha)
    if (!sha) throw new NotFound()
    const entries = await this.entries(repo, sha, recursive)
    const truncated = entries.length > TREE_RECURSIVE_MAX_ENTRIES
    return { repo, sha, entries: entries.slice(0, TREE_RECURSIVE_MAX_ENTRIES), truncated }
  }

  /** A tree SHA from a tree SHA, commit SHA or ref name; `null` when none. */
  private async treeOf(repo: RepoRecord, ish: string): Promise<string | null> {
    const lower = ish.toLowerCase()
    const obj = await this.git.readObject(repo.owner, repo.name, lower)
    if (obj?.type === 'tree') return lower
    const commit = await this.git.resolveRef(repo.owner, repo.name, ish)
    if (!commit) return null
    return (await this.git.readCommit(repo.owner, repo.name, commit))?.tree ?? null
  }

  private async entries(
    repo: RepoRecord,
    sha: string,
    recursive: boolean,
    prefix = ''
  ): Promise<TreeAnswerEntry[]> {
    const out: TreeAnswerEntry[] = []
    const tree = (await this.git.readTree(repo.owner, repo.name, sha)) ?? []
    for (const e of tree) {
      const path = prefix + e.name
      const type = entryType(e.mode)
      const size =
        type === 'blob'
          ? (await this.git.readBlob(repo.owner, repo.name, e.sha))?.length
          : undefined
      out.push({ ...e, path, size })
      if (recursive && type === 'tree' && out.length <= TREE_RECURSIVE_MAX_ENTRIES)
        out.push(...(await this.entries(repo, e.sha, true, `${path}/`)))
    }
    return out
  }

  /**
   * `git/create-commit`: `parents` empty or absent = root commit; author defaults to the
   * caller, committer to the author, dates to now. 422 `Tree SHA does not exist` /
   * `Parent SHA does not exist or is not a commit object`.
   */
  async createCommit(
    caller: Caller | null,
    owner: string,
    name: string,
    input: {
      message: string
      tree: string
      parents: string[]
      author?: IdentInput
      committer?: IdentInput
    }
  ): Promise<{ repo: RepoRecord; sha: string; commit: CommitObject }> {
    const repo = await this.repo(caller, owner, name, 'write')
    const { owner: o, name: n } = repo
    const tree = input.tree.toLowerCase()
    if ((await this.git.readObject(o, n, tree))?.type !== 'tree')
      throw new Unprocessable('Tree SHA does not exist')
    const parents = input.parents.map((p) => p.toLowerCase())
    for (const p of parents)
      if (!(await this.git.readCommit(o, n, p)))
        throw new Unprocessable('Parent SHA does not exist or is not a commit object')
    const user = caller?.user
    const author = input.author ??
      input.committer ?? {
        name: user?.login ?? 'GitHub',
        email: user ? `${user.id}+${user.login}@users.noreply.github.com` : 'noreply@github.com'
      }
    const sha = await this.git.writeCommit(o, n, {
      tree,
      parents,
      message: input.message,
      author,
      committer: input.committer ?? author
    })
    return { repo, sha, commit: (await this.git.readCommit(o, n, sha))! }
  }

  /** `git/get-commit`; `NotFound`. */
  async getCommit(
    caller: Caller | null,
    owner: string,
    name: string,
    sha: string
  ): Promise<{ repo: RepoRecord; sha: string; commit: CommitObject }> {
    const repo = await this.repo(caller, owner, name, 'read')
    const commit = await this.git.readCommit(repo.owner, repo.name, sha.toLowerCase())
    if (!commit) throw new NotFound()
    return { repo, sha: sha.toLowerCase(), commit }
  }

  /** The object type a ref points at (`commit`, `tag` …). */
  private async typeOf(repo: RepoRecord, sha: string): Promise<string> {
    return (await this.git.readObject(repo.owner, repo.name, sha))?.type ?? 'commit'
  }

  /** `git/get-ref` (`ref` = `heads/x` or `tags/x`); `NotFound`. */
  async getRef(
    caller: Caller | null,
    owner: string,
    name: string,
    ref: string
  ): Promise<{ repo: RepoRecord; ref: string; sha: string; type: string }> {
    const repo = await this.repo(caller, owner, name, 'read')
    const full = fullRefName(ref)
    const sha = await this.git.getRef(repo.owner, repo.name, full)
    if (!sha) throw new NotFound()
    return { repo, ref: full, sha, type: await this.typeOf(repo, sha) }
  }

  /** `git/list-matching-refs`: refs starting with `refs/<ref>`, sorted by name. */
  async matchingRefs(
    caller: Caller | null,
    owner: string,
    name: string,
    ref: string
  ): Promise<{ repo: RepoRecord; refs: Array<{ ref: string; sha: string; type: string }> }> {
    const repo = await this.contents.repo(caller, owner, name, 'read')
    const list = await this.git.listRefs(repo.owner, repo.name, fullRefName(ref))
    const refs = []
    for (const r of list) refs.push({ ...r, type: await this.typeOf(repo, r.sha) })
    return { repo, refs }
  }

  /**
   * `git/create-ref` (201): `ref` must be a full `refs/...` name. 422 `Reference already exists`,
   * `Object does not exist`, `Reference name is invalid`; 409 on an empty repository.
   */
  async createRef(
    caller: Caller | null,
    owner: string,
    name: string,
    ref: string,
    sha: string
  ): Promise<{ repo: RepoRecord; ref: string; sha: string; type: string }> {
    const repo = await this.repo(caller, owner, name, 'write')
    if (!isValidRefName(ref)) throw new Unprocessable('Reference name is invalid')
    const target = sha.toLowerCase()
    return this.git.withRepoLock(repo.owner, repo.name, async () => {
      if (!(await this.git.readObject(repo.owner, repo.name, target)))
        throw new Unprocessable('Object does not exist')
      if (await this.git.getRef(repo.owner, repo.name, ref))
        throw new Unprocessable('Reference already exists')
      try {
        await this.git.updateRefs(repo.owner, repo.name, [{ ref, expected: null, sha: target }])
      } catch (error) {
        if (error instanceof GitObjectNotFound) throw new Unprocessable('Object does not exist')
        if (error instanceof GitStaleHead) throw new Unprocessable('Reference already exists')
        throw error
      }
      this.emitPush(caller, repo, ref, null, target)
      return { repo, ref, sha: target, type: await this.typeOf(repo, target) }
    })
  }

  /**
   * `git/update-ref`: `force` false = fast-forward only (422 `Update is not a fast forward`);
   * 422 `Reference does not exist`, `Object does not exist`. Under the repository lock.
   */
  async updateRef(
    caller: Caller | null,
    owner: string,
    name: string,
    ref: string,
    sha: string,
    force: boolean
  ): Promise<{ repo: RepoRecord; ref: string; sha: string; type: string }> {
    const repo = await this.repo(caller, owner, name, 'write')
    const full = fullRefName(ref)
    const target = sha.toLowerCase()
    return this.git.withRepoLock(repo.owner, repo.name, async () => {
      const current = await this.git.getRef(repo.owner, repo.name, full)
      if (!current) throw new Unprocessable('Reference does not exist')
      try {
        await this.git.updateRefs(repo.owner, repo.name, [
          { ref: full, expected: current, sha: target, fastForwardOnly: !force }
        ])
      } catch (error) {
        if (error instanceof GitObjectNotFound) throw new Unprocessable('Object does not exist')
        if (error instanceof GitNotFastForward)
          throw new Unprocessable('Update is not a fast forward')
        if (error instanceof GitStaleHead) throw new Unprocessable('Reference update failed')
        throw error
      }
      if (current !== target) this.emitPush(caller, repo, full, current, target)
      return { repo, ref: full, sha: target, type: await this.typeOf(repo, target) }
    })
  }

  /** `git/delete-ref` (204): 422 `Reference does not exist`; the default branch cannot be deleted. */
  async deleteRef(caller: Caller | null, owner: string, name: string, ref: string): Promise<void> {
    const repo = await this.repo(caller, owner, name, 'write')
    const full = fullRefName(ref)
    if (full === `refs/heads/${repo.default_branch}`)
      throw new Unprocessable('Cannot delete the default branch')
    await this.git.withRepoLock(repo.owner, repo.name, async () => {
      const current = await this.git.getRef(repo.owner, repo.name, full)
      if (!current) throw new Unprocessable('Reference does not exist')
      await this.git.updateRefs(repo.owner, repo.name, [
        { ref: full, expected: current, sha: null }
      ])
      this.emitPush(caller, repo, full, current, null)
    })
  }
}
