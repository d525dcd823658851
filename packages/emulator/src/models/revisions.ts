import type { GitStore } from '../git/store.js'
import type { RepoRecord } from '../state.js'

/** A git object of a repository as GraphQL types it, with the path it was reached by. */
export interface RevisionObject {
  type: 'Blob' | 'Tree' | 'Commit' | 'Tag'
  oid: string
  /** Path of this object inside the commit it was reached through (`''` = root), if known. */
  path?: string
}

const OBJECT_TYPES = { blob: 'Blob', tree: 'Tree', commit: 'Commit', tag: 'Tag' } as const

/** A slash-separated path without empty and `.` segments (`'/a//./b/'` → `'a/b'`). */
export function cleanPath(path: string): string {
  return path
    .split('/')
    .filter((p) => p !== '' && p !== '.')
    .join('/')
}

/**
 * How GraphQL names things in a repository (docs/github-behaviour.md §2.4): revisions as
 * git's `<rev>`, `Repository.object(expression:)`, `Repository.ref(qualifiedName:)`. The
 * caller has already checked that the repository is visible.
 */
export class RevisionsModel {
  constructor(private readonly git: GitStore) {}

  /** The object `oid` of `repo` with its GraphQL type, or `null` when the repository lacks it. */
  async object(repo: RepoRecord, oid: string, path?: string): Promise<RevisionObject | null> {
    const obj = await this.git.readObject(repo.owner, repo.name, oid)
    if (!obj) return null
    return { type: OBJECT_TYPES[obj.type], oid, ...(path === undefined ? {} : { path }) }
  }

  /**
   * A revision as git's `<rev>`: `HEAD` (the default branch), a branch or tag name, `refs/…`,
   * a full or abbreviated commit SHA, or a `~`/`^` suffix expression. `null` when it
   * resolves to nothing.
   */
  async resolveRevision(repo: RepoRecord, rev: string): Promise<string | null> {
    const target = rev === 'HEAD' ? repo.default_branch : rev
    const direct = await this.git.resolveRef(repo.owner, repo.name, target)
    if (direct) return direct
    if (!/^[\w./-]+([~^]\d*)+$/.test(target) || target.startsWith('-')) return null
    try {
      const out = await this.git.run(repo.owner, repo.name, [
        'rev-parse',
        '--verify',
        '--quiet',
        '--end-of-options',
        `${target}^{commit}`
      ])
      return out.toString('utf8').trim() || null
    } catch {
      return null
    }
  }

  /** `Repository.object(expression:)`: `<rev>`, `<rev>:<path>` (`HEAD:<path>`, `main:dir/`). */
  async objectAt(repo: RepoRecord, expression: string): Promise<RevisionObject | null> {
    const colon = expression.indexOf(':')
    const rev = colon < 0 ? expression : expression.slice(0, colon)
    if (rev === '') return null
    if (colon < 0 && /^[0-9a-f]{40}$/.test(rev)) {
      const obj = await this.object(repo, rev)
      if (obj) return obj
    }
    const commit = await this.resolveRevision(repo, rev)
    if (!commit) return null
    if (colon < 0) return this.object(repo, commit)
    const path = cleanPath(expression.slice(colon + 1))
    const found = await this.git.readPath(repo.owner, repo.name, commit, path)
    if (!found) return null
    return this.object(repo, found.sha, path)
  }

  /** The ref named `qualifiedName` (full `refs/heads/x` first, then short names), or `null`. */
  async ref(repo: RepoRecord, qualifiedName: string): Promise<{ ref: string; oid: string } | null> {
    const full = await this.git.refName(repo.owner, repo.name, qualifiedName)
    if (!full) return null
    const oid = await this.git.getRef(repo.owner, repo.name, full)
    return oid ? { ref: full, oid } : null
  }
}
