import {
  BadAdminRequest,
  BlobTooLarge,
  BranchMoved,
  BranchNotFound,
  InvalidRequest,
  NoCommitFoundForRef,
  NotFound,
  RepositoryIsEmpty,
  ShaDoesNotMatch,
  Unprocessable
} from '../errors.js'
import { GitBranchNotFound, GitStaleHead } from '../git/errors.js'
import { hashObject, ZERO_SHA, type CommitObject } from '../git/objects.js'
import type { GitStore } from '../git/store.js'
import type { IdentInput } from '../git/types.js'
import { DomainEvents, pushEvent } from '../events.js'
import type { RepoRecord } from '../state.js'
import { fullName } from './access.js'
import type { ReposModel } from './repos.js'
import { isMalformedPath } from './paths.js'
import type { Caller } from './users.js'

/** 422 message of a contents write to a malformed path (unverified: the git-data API's text). */
const MALFORMED_PATH = 'path contains a malformed path component'

/** Largest blob the contents API returns with the default (JSON) media type, bytes (§1.1). */
export const CONTENTS_JSON_MAX_BYTES = 1_048_576

/** One item of a contents answer before encoding. */
export interface ContentItem {
  type: 'file' | 'dir' | 'symlink' | 'submodule'
  path: string
  sha: string
  size: number
}

/** Git blob SHA-1: `sha1("blob <byte length>\0" + bytes)` (docs/github-behaviour.md §8 item 2). */
export function gitBlobSha(bytes: Buffer): string {
  return hashObject('blob', bytes)
}

/** Normalises a repository path: no leading/trailing slash, no empty segments. */
export function normalisePath(path: string): string {
  return path
    .split('/')
    .filter((p) => p !== '')
    .join('/')
}

/** What `getContent` found. */
export interface ContentAnswer {
  repo: RepoRecord
  /** The ref for URLs: the `ref` query as given, or the default branch. */
  ref: string
  commitSha: string
  item: ContentItem
  /** Blob bytes for files and symlinks. */
  bytes: Buffer | null
  /** Directory entries (sorted by name), for directories. */
  entries: ContentItem[] | null
}

/** Input of `putContent` / `deleteContent` (decoded body; docs/github-behaviour.md §1.2). */
export interface ContentWrite {
  message: string
  /** New bytes (PUT only). */
  content?: Buffer
  sha?: string
  branch?: string
  author?: IdentInput
  committer?: IdentInput
}

/** What a contents write did. */
export interface ContentWriteResult {
  repo: RepoRecord
  branch: string
  created: boolean
  /** The file after the write (`null` after DELETE). */
  item: ContentItem | null
  commitSha: string
  commit: CommitObject
}

/**
 * Repository content over real git (`GitStore`): the contents API and the admin file write.
 * Every write is a check-and-commit under the repository lock, ending in a compare-and-swap
 * of the branch ref (docs/github-behaviour.md §1, §8 items 3–4, 6–7).
 */
export class ContentsModel {
  constructor(
    private readonly repos: ReposModel,
    private readonly git: GitStore,
    private readonly events: DomainEvents = new DomainEvents()
  ) {}

  /**
   * Creates the bare repository of a new `repo`; with `autoInit` an "Initial commit" holding
   * `README.md` = `# <repo>\n` on the default branch, else an empty repository.
   */
  async initRepo(repo: RepoRecord, autoInit: boolean): Promise<void> {
    await this.git.init(repo.owner, repo.name, {
      defaultBranch: repo.default_branch,
      autoInit,
      author: { name: repo.owner, email: `${repo.owner.toLowerCase()}@users.noreply.github.com` }
    })
  }

  /** Gives `repo` a copy of `template`'s bare repository (bulk seeding, admin/seed.ts). */
  async copyRepo(repo: RepoRecord, template: RepoRecord): Promise<void> {
    await this.git.copyRepository(repo.owner, repo.name, {
      owner: template.owner,
      repo: template.name
    })
  }

  /**
   * Makes sure the bare repository exists (state saved before repositories were git, or a
   * `dataDir` whose `git/` was removed): an empty repository, plus one commit of the files the
   * old state kept in `repo.files`.
   */
  async ensure(repo: RepoRecord): Promise<void> {
    if (this.git.exists(repo.owner, repo.name)) return
    await this.git.withRepoLock(repo.owner, repo.name, async () => {
      if (this.git.exists(repo.owner, repo.name)) return
      await this.initRepo(repo, false)
      const files = Object.entries(repo.files ?? {})
      if (files.length === 0) return
      await this.git.commitFiles(repo.owner, repo.name, {
        branch: repo.default_branch,
        additions: files.map(([path, f]) => ({
          path,
          content: Buffer.from(f.content_base64, 'base64')
        })),
        deletions: [],
        message: 'Import files',
        createIfEmpty: true
      })
    })
  }

  /** The repository after an access check, with its bare repository ensured. */
  async repo(
    caller: Caller | null,
    owner: string,
    name: string,
    need: 'read' | 'write'
  ): Promise<RepoRecord> {
    const repo = this.repos.access(caller, owner, name, need)
    await this.ensure(repo)
    return repo
  }

  /**
   * Admin: commits `content` (UTF-8 text, or base64 with `encoding: 'base64'`) at `path` on
   * `branch` (default: the default branch; created as the first commit of an empty
   * repository). Throws `NotFound` (repository), `BadAdminRequest` (empty path),
   * `BranchNotFound`.
   */
  async putFile(
    owner: string,
    name: string,
    path: string,
    content: string,
    encoding = 'utf-8',
    options: { branch?: string; message?: string } = {}
  ): Promise<{ repo: RepoRecord; path: string; sha: string; size: number; commit: string }> {
    const repo = this.repos.find(owner, name)
    await this.ensure(repo)
    const clean = path
    if (isMalformedPath(clean))
      throw new BadAdminRequest(
        'path must name a file: no empty, ".", ".." or ".git" segment, no leading "/", no control characters'
      )
    const bytes = Buffer.from(content, encoding === 'base64' ? 'base64' : 'utf8')
    const branch = options.branch ?? repo.default_branch
    try {
      const r = await this.git.commitFiles(repo.owner, repo.name, {
        branch,
        additions: [{ path: clean, content: bytes }],
        deletions: [],
        message: options.message ?? `Update ${clean}`,
        createIfEmpty: true
      })
      return { repo, path: clean, sha: gitBlobSha(bytes), size: bytes.length, commit: r.commitSha }
    } catch (error) {
      if (error instanceof GitBranchNotFound) throw new BranchNotFound(branch)
      throw error
    }
  }

  /**
   * The commit a read is served from: `ref` (branch, tag or commit SHA; default: the default
   * branch). In stale-read mode (`GitStore.staleReadLagMs` > 0) named refs resolve as they
   * were that long ago; commit SHAs are unaffected (§8 item 6). Throws `RepositoryIsEmpty`
   * (no `ref`, no commits) or `NoCommitFoundForRef`.
   */
  async resolveRead(repo: RepoRecord, ref: string | null): Promise<string> {
    const lag = this.git.staleReadLagMs
    const asOf = lag > 0 ? this.git.clockNow() - lag : undefined
    const sha = await this.git.resolveRef(repo.owner, repo.name, ref ?? repo.default_branch, {
      asOf
    })
    if (sha) return sha
    if (ref === null) throw new RepositoryIsEmpty()
    if (await this.git.isEmpty(repo.owner, repo.name)) throw new RepositoryIsEmpty()
    throw new NoCommitFoundForRef(ref)
  }

  /**
   * `repos/get-content`: the file, symlink, submodule or directory at `path` in `ref`.
   * Throws `NotFound` (repository, access, path), `NoCommitFoundForRef`, `RepositoryIsEmpty`,
   * and `BlobTooLarge` when `limitBytes` is set and the blob is bigger (§1.1).
   */
  async getContent(
    caller: Caller | null,
    owner: string,
    name: string,
    path: string,
    options: { ref?: string | null; limitBytes?: number } = {}
  ): Promise<ContentAnswer> {
    const repo = await this.repo(caller, owner, name, 'read')
    const commitSha = await this.resolveRead(repo, options.ref ?? null)
    const clean = normalisePath(path)
    const ref = options.ref ?? repo.default_branch
    const found = await this.git.readPath(repo.owner, repo.name, commitSha, clean)
    if (!found) throw new NotFound()
    if (found.type === 'tree') {
      const tree = (await this.git.readTree(repo.owner, repo.name, found.sha)) ?? []
      const entries: ContentItem[] = []
      for (const e of tree) {
        const childPath = clean === '' ? e.name : `${clean}/${e.name}`
        const type = contentType(e.mode)
        const size =
          type === 'file' || type === 'symlink'
            ? ((await this.git.readBlob(repo.owner, repo.name, e.sha))?.length ?? 0)
            : 0
        entries.push({ type, path: childPath, sha: e.sha, size })
      }
      entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
      return {
        repo,
        ref,
        commitSha,
        item: { type: 'dir', path: clean, sha: found.sha, size: 0 },
        bytes: null,
        entries
      }
    }
    const bytes = found.content ?? null
    const item: ContentItem = {
      type: contentType(found.mode),
      path: clean,
      sha: found.sha,
      size: bytes?.length ?? 0
    }
    if (options.limitBytes !== undefined && item.size > options.limitBytes) throw new BlobTooLarge()
    return { repo, ref, commitSha, item, bytes, entries: null }
  }

  /**
   * `repos/create-or-update-file-contents` (§1.2): under the repository lock, checks the branch
   * (404 `BranchNotFound` first), then the file's blob SHA at the branch head (existing file
   * without `sha` → 422 `"sha" wasn't supplied.`; another `sha` → 409 `ShaDoesNotMatch`; a new
   * path ignores `sha`), commits with the head as parent and moves the branch with
   * compare-and-swap (409 `BranchMoved` if it moved anyway). On an empty repository the
   * first commit creates the branch.
   */
  async putContent(
    caller: Caller | null,
    owner: string,
    name: string,
    path: string,
    input: ContentWrite
  ): Promise<ContentWriteResult> {
    const repo = await this.repo(caller, owner, name, 'write')
    if (isMalformedPath(path)) throw new Unprocessable(MALFORMED_PATH)
    return this.write(caller, repo, path, input, false)
  }

  /**
   * `repos/delete-file` (§1.2): like `putContent` but `sha` is required (422 before anything
   * else), a missing path answers 404 `Not Found`.
   */
  async deleteContent(
    caller: Caller | null,
    owner: string,
    name: string,
    path: string,
    input: ContentWrite
  ): Promise<ContentWriteResult> {
    const repo = await this.repo(caller, owner, name, 'write')
    if (isMalformedPath(path)) throw new Unprocessable(MALFORMED_PATH)
    return this.write(caller, repo, path, input, true)
  }

  private write(
    caller: Caller | null,
    repo: RepoRecord,
    path: string,
    input: ContentWrite,
    remove: boolean
  ): Promise<ContentWriteResult> {
    const git = this.git
    const branch = input.branch ?? repo.default_branch
    return git.withRepoLock(repo.owner, repo.name, async () => {
      const head = await git.getRef(repo.owner, repo.name, `refs/heads/${branch}`)
      const empty = !head && (await git.isEmpty(repo.owner, repo.name))
      if (!head && !(empty && !remove)) throw new BranchNotFound(branch)
      const existing = head ? await git.readPath(repo.owner, repo.name, head, path) : null
      if (remove && !existing) throw new NotFound()
      if (existing) {
        if (input.sha === undefined) throw new InvalidRequest(`"sha" wasn't supplied.`)
        if (input.sha !== existing.sha) throw new ShaDoesNotMatch(path, input.sha)
      }
      const user = caller?.user
      const committer = input.committer ?? {
        name: 'GitHub',
        email: 'noreply@github.com'
      }
      const author = input.author ??
        input.committer ?? {
          name: user?.login ?? 'GitHub',
          email: user ? `${user.id}+${user.login}@users.noreply.github.com` : 'noreply@github.com'
        }
      try {
        const r = await git.commitFiles(repo.owner, repo.name, {
          branch,
          expectedHeadOid: head ?? undefined,
          additions: remove ? [] : [{ path, content: input.content ?? Buffer.alloc(0) }],
          deletions: remove ? [path] : [],
          message: input.message,
          author,
          committer,
          createIfEmpty: empty
        })
        const commit = (await git.readCommit(repo.owner, repo.name, r.commitSha))!
        const sender = caller?.user.login ?? repo.owner
        this.events.emit(
          pushEvent(fullName(repo), `refs/heads/${branch}`, head, r.commitSha, sender)
        )
        const bytes = input.content ?? Buffer.alloc(0)
        return {
          repo,
          branch,
          created: !existing,
          item: remove ? null : { type: 'file', path, sha: gitBlobSha(bytes), size: bytes.length },
          commitSha: r.commitSha,
          commit
        }
      } catch (error) {
        if (error instanceof GitStaleHead)
          throw new BranchMoved(error.actual ?? ZERO_SHA, error.expected ?? ZERO_SHA)
        if (error instanceof GitBranchNotFound) throw new BranchNotFound(branch)
        throw error
      }
    })
  }
}

function contentType(mode: string): ContentItem['type'] {
  if (mode === '040000' || mode === '40000') return 'dir'
  if (mode === '120000') return 'symlink'
  if (mode === '160000') return 'submodule'
  return 'file'
}
