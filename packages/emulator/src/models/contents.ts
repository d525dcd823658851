import { createHash } from 'node:crypto'
import { BadAdminRequest, NotFound } from '../errors.js'
import type { FileRecord, RepoRecord } from '../state.js'
import type { ReposModel } from './repos.js'
import type { Caller } from './users.js'

/** A directory entry of `repos/get-content` for a directory path. */
export interface DirectoryEntry {
  type: 'file' | 'dir'
  path: string
  file?: FileRecord
}

/** Git blob SHA-1: `sha1("blob <byte length>\0" + bytes)` (reference/github-api.md §8 item 2). */
export function gitBlobSha(bytes: Buffer): string {
  return createHash('sha1')
    .update(Buffer.concat([Buffer.from(`blob ${bytes.length}\0`), bytes]))
    .digest('hex')
}

/** Normalises a repository path: no leading/trailing slash, no empty segments. */
export function normalisePath(path: string): string {
  return path
    .split('/')
    .filter((p) => p !== '')
    .join('/')
}

/**
 * Files of a repository — the simple version: one tree, set through the admin API, served on
 * every `ref` (reference/github-api.md §1.1 for the answer's shape).
 */
export class ContentsModel {
  constructor(private readonly repos: ReposModel) {}

  /** Admin: writes `content` (UTF-8 text, or base64 with `encoding: 'base64'`) at `path`. */
  putFile(owner: string, name: string, path: string, content: string, encoding = 'utf-8') {
    const repo = this.repos.find(owner, name)
    const clean = normalisePath(path)
    if (clean === '') throw new BadAdminRequest('path must name a file')
    const bytes = Buffer.from(content, encoding === 'base64' ? 'base64' : 'utf8')
    const file: FileRecord = {
      content_base64: bytes.toString('base64'),
      size: bytes.length,
      sha: gitBlobSha(bytes)
    }
    repo.files[clean] = file
    return { repo, path: clean, file }
  }

  /**
   * `repos/get-content`: a file, or the entries of a directory. `ref` is accepted and ignored
   * (one tree). Throws `NotFound` when nothing lives at `path`.
   */
  getContent(caller: Caller | null, owner: string, name: string, path: string) {
    const repo = this.repos.access(caller, owner, name, 'read')
    const clean = normalisePath(path)
    const file = repo.files[clean]
    if (file) return { repo, path: clean, file, entries: null }
    const entries = listDirectory(repo, clean)
    if (entries.length === 0) throw new NotFound()
    return { repo, path: clean, file: null, entries }
  }
}

function listDirectory(repo: RepoRecord, dir: string): DirectoryEntry[] {
  const prefix = dir === '' ? '' : `${dir}/`
  const entries = new Map<string, DirectoryEntry>()
  for (const [path, file] of Object.entries(repo.files)) {
    if (!path.startsWith(prefix)) continue
    const rest = path.slice(prefix.length).split('/')
    const child = prefix + rest[0]
    if (!entries.has(child))
      entries.set(
        child,
        rest.length === 1 ? { type: 'file', path, file } : { type: 'dir', path: child }
      )
  }
  return [...entries.values()].sort((a, b) => (a.path < b.path ? -1 : 1))
}
