import {
  apiMode,
  entryType,
  type CommitObject,
  type GitIdent,
  type TreeEntry
} from '../git/objects.js'
import { accountForIdent } from '../models/authors.js'
import type { ContentItem } from '../models/contents.js'
import type { RepoRecord, Store } from '../state.js'
import { encodePath, gitNodeId, repoApiUrl, repoHtmlUrl, wrapBase64 } from './common.js'
import { Shapes } from './resources.js'

/**
 * GitHub's JSON shapes for repository content (docs/github-behaviour.md §1, §2.1): contents
 * entries and files, `file-commit`, `git-commit`, `commit`, branches, refs, blobs and trees.
 * URLs use `origin` (the emulator's own) so clients following them stay on the emulator.
 */

/** Encoders from git objects to GitHub's JSON (one instance per request). */
export class GitShapes {
  constructor(
    private readonly s: Store,
    readonly origin: string
  ) {}

  /** `https://<origin>/repos/<owner>/<repo>`. */
  repoApi(repo: RepoRecord): string {
    return repoApiUrl(this.origin, repo)
  }

  /** `https://<origin>/<owner>/<repo>`. */
  repoHtml(repo: RepoRecord): string {
    return repoHtmlUrl(this.origin, repo)
  }

  /** One entry of a `content-directory` answer (also the base of `content-file`). */
  contentEntry(repo: RepoRecord, item: ContentItem, ref: string): Record<string, unknown> {
    const api = this.repoApi(repo)
    const self = `${api}/contents/${encodePath(item.path)}?ref=${encodeURIComponent(ref)}`
    const git =
      item.type === 'submodule'
        ? null
        : `${api}/git/${item.type === 'dir' ? 'trees' : 'blobs'}/${item.sha}`
    const html = `${this.repoHtml(repo)}/${item.type === 'dir' ? 'tree' : 'blob'}/${encodePath(ref)}/${encodePath(item.path)}`
    return {
      type: item.type,
      size: item.size,
      name: item.path.split('/').pop(),
      path: item.path,
      sha: item.sha,
      url: self,
      git_url: git,
      html_url: html,
      download_url:
        item.type === 'file' || item.type === 'symlink'
          ? `${this.repoHtml(repo)}/raw/${encodePath(ref)}/${encodePath(item.path)}`
          : null,
      _links: { self, git, html }
    }
  }

  /**
   * `content-file`: base64 `content` wrapped every 60 characters (§1.1); with `omitContent`
   * (object media type, blob over 1 MB) `content` is `""` and `encoding` `"none"`.
   */
  contentFile(
    repo: RepoRecord,
    item: ContentItem,
    ref: string,
    bytes: Buffer,
    omitContent = false
  ): Record<string, unknown> {
    const entry = this.contentEntry(repo, item, ref)
    return {
      ...entry,
      content: omitContent ? '' : wrapBase64(bytes.toString('base64')),
      encoding: omitContent ? 'none' : 'base64'
    }
  }

  /** `content-symlink`: `target` is the link text. */
  contentSymlink(repo: RepoRecord, item: ContentItem, ref: string, target: string) {
    return { ...this.contentEntry(repo, item, ref), target }
  }

  /** `content-submodule`. */
  contentSubmodule(repo: RepoRecord, item: ContentItem, ref: string) {
    return { ...this.contentEntry(repo, item, ref), submodule_git_url: null }
  }

  /** The `content` part of a `file-commit` answer (no `content`/`encoding`). */
  fileCommitContent(repo: RepoRecord, item: ContentItem, branch: string) {
    return this.contentEntry(repo, item, branch)
  }

  private ident(i: GitIdent): Record<string, unknown> {
    return { name: i.name, email: i.email, date: i.date }
  }

  private parents(repo: RepoRecord, c: CommitObject) {
    return c.parents.map((p) => ({
      sha: p,
      url: `${this.repoApi(repo)}/git/commits/${p}`,
      html_url: `${this.repoHtml(repo)}/commit/${p}`
    }))
  }

  private verification() {
    return {
      verified: false,
      reason: 'unsigned',
      signature: null,
      payload: null,
      verified_at: null
    }
  }

  /** `git-commit` (`git/get-commit`, `git/create-commit`, the `commit` of a `file-commit`). */
  gitCommit(repo: RepoRecord, sha: string, c: CommitObject): Record<string, unknown> {
    const api = this.repoApi(repo)
    return {
      sha,
      node_id: gitNodeId('Commit', repo.id, sha),
      url: `${api}/git/commits/${sha}`,
      html_url: `${this.repoHtml(repo)}/commit/${sha}`,
      author: this.ident(c.author),
      committer: this.ident(c.committer),
      tree: { sha: c.tree, url: `${api}/git/trees/${c.tree}` },
      message: c.message,
      parents: this.parents(repo, c),
      verification: this.verification()
    }
  }

  /** The GitHub account (`simple-user`) a git identity belongs to (by e-mail, `accountForIdent`), or `null`. */
  private account(i: GitIdent): Record<string, unknown> | null {
    const user = accountForIdent(this.s, i)
    return user ? new Shapes(this.s, this.origin).userRecord(user) : null
  }

  /** `commit` (`repos/list-commits`, `repos/get-commit`; `files`/`stats` when given). */
  commit(
    repo: RepoRecord,
    sha: string,
    c: CommitObject,
    extra: { files?: unknown[]; stats?: unknown } = {}
  ): Record<string, unknown> {
    const api = this.repoApi(repo)
    return {
      sha,
      node_id: gitNodeId('Commit', repo.id, sha),
      commit: {
        author: this.ident(c.author),
        committer: this.ident(c.committer),
        message: c.message,
        tree: { sha: c.tree, url: `${api}/git/trees/${c.tree}` },
        url: `${api}/git/commits/${sha}`,
        comment_count: 0,
        verification: this.verification()
      },
      url: `${api}/commits/${sha}`,
      html_url: `${this.repoHtml(repo)}/commit/${sha}`,
      comments_url: `${api}/commits/${sha}/comments`,
      author: this.account(c.author),
      committer: this.account(c.committer),
      parents: c.parents.map((p) => ({
        sha: p,
        url: `${api}/commits/${p}`,
        html_url: `${this.repoHtml(repo)}/commit/${p}`
      })),
      ...extra
    }
  }

  /** `short-branch` (`repos/list-branches`). */
  shortBranch(repo: RepoRecord, name: string, sha: string): Record<string, unknown> {
    return {
      name,
      commit: { sha, url: `${this.repoApi(repo)}/commits/${sha}` },
      protected: false
    }
  }

  /** `branch-with-protection` (`repos/get-branch`). */
  branch(repo: RepoRecord, name: string, sha: string, c: CommitObject): Record<string, unknown> {
    const api = this.repoApi(repo)
    return {
      name,
      commit: this.commit(repo, sha, c),
      _links: {
        self: `${api}/branches/${encodeURIComponent(name)}`,
        html: `${this.repoHtml(repo)}/tree/${encodePath(name)}`
      },
      protected: false,
      protection: {
        enabled: false,
        required_status_checks: { enforcement_level: 'off', contexts: [], checks: [] }
      },
      protection_url: `${api}/branches/${encodeURIComponent(name)}/protection`
    }
  }

  /** `git-ref`. */
  ref(repo: RepoRecord, ref: string, sha: string, type: string): Record<string, unknown> {
    const api = this.repoApi(repo)
    const kind =
      type === 'tag' ? 'tags' : type === 'tree' ? 'trees' : type === 'blob' ? 'blobs' : 'commits'
    return {
      ref,
      node_id: gitNodeId('Ref', repo.id, ref),
      url: `${api}/git/${encodePath(ref)}`,
      object: { sha, type, url: `${api}/git/${kind}/${sha}` }
    }
  }

  /** `blob` (`git/get-blob`): content always base64 (§2.1). */
  blob(repo: RepoRecord, sha: string, bytes: Buffer): Record<string, unknown> {
    return {
      sha,
      node_id: gitNodeId('Blob', repo.id, sha),
      size: bytes.length,
      url: `${this.repoApi(repo)}/git/blobs/${sha}`,
      content: wrapBase64(bytes.toString('base64')),
      encoding: 'base64'
    }
  }

  /** `short-blob` (`git/create-blob`). */
  shortBlob(repo: RepoRecord, sha: string): Record<string, unknown> {
    return { url: `${this.repoApi(repo)}/git/blobs/${sha}`, sha }
  }

  /** `git-tree`: entries `{path, mode, type, sha, size?, url}`. */
  tree(
    repo: RepoRecord,
    sha: string,
    entries: Array<TreeEntry & { path: string; size?: number }>,
    truncated = false
  ): Record<string, unknown> {
    const api = this.repoApi(repo)
    return {
      sha,
      url: `${api}/git/trees/${sha}`,
      tree: entries.map((e) => {
        const type = entryType(e.mode)
        return {
          path: e.path,
          mode: apiMode(e.mode),
          type,
          sha: e.sha,
          ...(type === 'blob' ? { size: e.size ?? 0 } : {}),
          ...(type === 'commit'
            ? {}
            : { url: `${api}/git/${type === 'tree' ? 'trees' : 'blobs'}/${e.sha}` })
        }
      }),
      truncated
    }
  }
}
