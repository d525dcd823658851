import { GraphqlNotFound } from '../errors.js'
import { entryType, type CommitObject, type TreeEntry } from '../git/objects.js'
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

/** A tree entry as GraphQL's `TreeEntry` reaches it: the entry and its path in the commit. */
export interface RevisionEntry {
  entry: TreeEntry
  /** Slash-separated path from the root tree. */
  path: string
}

/** Git's binary heuristic: a NUL byte in the first 8000 bytes. */
export function isBinary(bytes: Buffer): boolean {
  return bytes.subarray(0, 8000).includes(0)
}

/**
 * A commit message as GraphQL's `Commit` fields show it: `message` without the final newline,
 * `headline` its first line, `body` the rest without the blank lines that separate it.
 */
export function commitMessage(raw: string): { message: string; headline: string; body: string } {
  const message = raw.replace(/\n$/, '')
  const lines = message.split('\n')
  return {
    message,
    headline: raw.split('\n')[0] ?? '',
    body: lines.slice(1).join('\n').replace(/^\n+/, '')
  }
}

/** GraphQL's `TreeEntry.extension`: the name's last `.suffix` for blobs, else `null`. */
export function entryExtension(entry: TreeEntry): string | null {
  const dot = entry.name.lastIndexOf('.')
  return entryType(entry.mode) === 'blob' && dot > 0 ? entry.name.slice(dot) : null
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

  /**
   * Refs whose full name starts with `prefix` and whose rest contains `query` (GraphQL
   * `Repository.refs(refPrefix:, query:, direction:)`), by name, reversed for `DESC`.
   */
  async refs(
    repo: RepoRecord,
    prefix: string,
    options: { query?: string; direction?: string } = {}
  ): Promise<Array<{ ref: string; oid: string }>> {
    const query = options.query ?? ''
    const items = (await this.git.listRefs(repo.owner, repo.name, prefix))
      .filter((r) => r.ref.slice(prefix.length).includes(query))
      .map((r) => ({ ref: r.ref, oid: r.sha }))
    if (options.direction === 'DESC') items.reverse()
    return items
  }

  /** Commit `oid`; throws `GraphqlNotFound` when `repo` has no such commit. */
  async commit(repo: RepoRecord, oid: string): Promise<CommitObject> {
    const commit = await this.git.readCommit(repo.owner, repo.name, oid)
    if (!commit) throw new GraphqlNotFound(`Could not resolve to a Commit with the oid '${oid}'.`)
    return commit
  }

  /** Blob `oid`'s bytes; throws `GraphqlNotFound` when `repo` has no such blob. */
  async blob(repo: RepoRecord, oid: string): Promise<Buffer> {
    const blob = await this.git.readBlob(repo.owner, repo.name, oid)
    if (!blob) throw new GraphqlNotFound(`Could not resolve to a Blob with the oid '${oid}'.`)
    return blob
  }

  /**
   * The entries of tree `oid` reached at `path` (`''` or absent = the root), each with its
   * own path; throws `GraphqlNotFound` when `repo` has no such tree.
   */
  async treeEntries(repo: RepoRecord, oid: string, path?: string): Promise<RevisionEntry[]> {
    const entries = await this.git.readTree(repo.owner, repo.name, oid)
    if (!entries) throw new GraphqlNotFound(`Could not resolve to a Tree with the oid '${oid}'.`)
    const prefix = path ? `${path}/` : ''
    return entries.map((entry) => ({ entry, path: prefix + entry.name }))
  }

  /** `Commit.history(path:)`: commits reachable from `oid`, newest first, touching `path`. */
  history(repo: RepoRecord, oid: string, path?: string): Promise<string[]> {
    const clean = path === undefined ? undefined : cleanPath(path)
    return this.git.log(repo.owner, repo.name, oid, { path: clean })
  }

  /** `Commit.file(path:)`: the entry at `path` in commit `oid`; `null` for the root or a miss. */
  async file(repo: RepoRecord, oid: string, path: string): Promise<RevisionEntry | null> {
    const clean = cleanPath(path)
    if (clean === '') return null
    const found = await this.git.readPath(repo.owner, repo.name, oid, clean)
    if (!found) return null
    return {
      entry: { name: clean.split('/').pop()!, mode: found.mode, sha: found.sha },
      path: clean
    }
  }

  /** `TreeEntry.size`: a blob entry's bytes (0 when missing), 0 for trees and submodules. */
  async entrySize(repo: RepoRecord, entry: TreeEntry): Promise<number> {
    if (entryType(entry.mode) !== 'blob') return 0
    return (await this.git.readBlob(repo.owner, repo.name, entry.sha))?.length ?? 0
  }

  /** `TreeEntry.lineCount`: lines of a text blob entry; `null` for binaries and non-blobs. */
  async entryLineCount(repo: RepoRecord, entry: TreeEntry): Promise<number | null> {
    if (entryType(entry.mode) !== 'blob') return null
    const bytes = await this.git.readBlob(repo.owner, repo.name, entry.sha)
    if (!bytes || isBinary(bytes)) return null
    const text = bytes.toString('utf8')
    return text === '' ? 0 : text.replace(/\n$/, '').split('\n').length
  }
}
