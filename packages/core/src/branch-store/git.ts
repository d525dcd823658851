/**
 * The git primitives of a state branch: read the head and files at it, commit several files in
 * one commit guarded by the head read, create the branch. No retry policy here (branch-store.ts
 * owns it); every write passes `request: { retries: 0 }` so plugin-retry never repeats a guarded
 * write with a stale guard (docs/architecture.md §8.10).
 *
 * Sources: docs/github-behaviour.md §1.1 (raw media type above 1 MB), §2.1 (git data API,
 * `PATCH ref force:false` is a fast-forward check, `Reference already exists`), §2.2
 * (`createCommitOnBranch` with `expectedHeadOid`, `STALE_DATA` on a moved head).
 */
import { rawText } from '../github/contents.js'
import type { RepoContext } from '../github/context.js'
import { repositoryName } from '../github/context.js'
import { ensureRepositoryVisible } from '../github/repository.js'
import { callGitHub, githubMessageOf, statusOf, toGitHubRequestError } from '../github/request.js'
import { FILES_PER_QUERY } from './constants.js'
import { graphqlErrorTypes, graphqlMessage, graphqlToRequestError } from './graphql-errors.js'
import { describe } from './message.js'
import { treeBatches } from './tree-batches.js'

/** The commit a branch points at. */
export interface BranchHead {
  commitSha: string
  treeSha: string
  /** full commit message (headline, blank line, body) */
  message: string
}

/** The branch head and the text of each requested path at that head (`undefined` = absent). */
export interface Snapshot {
  /** `null` when the branch does not exist */
  head: BranchHead | null
  files: Map<string, string | undefined>
}

/** One file of a commit. */
export interface FileAddition {
  path: string
  content: Buffer
}

/** How a guarded commit ended. */
export type CommitOutcome =
  | { kind: 'committed'; commitSha: string }
  /** the head moved (or the branch appeared / vanished): re-read and re-apply */
  | { kind: 'conflict'; problem: string }

/** How reads reach GitHub: one GraphQL query per snapshot, or REST calls. */
export type ReadVia = 'graphql' | 'rest'
/** How commits reach GitHub. */
export type CommitVia = 'graphql' | 'git-data'

/** Files up to this size go inline into `POST git/trees`; larger ones become blobs first. */
const INLINE_MAX_BYTES = 256 * 1024
/** Snapshots of up to this many paths read each file over REST; more read the tree first. */
const REST_PER_FILE_MAX = 4

const WRITE = { retries: 0 }

/** The git operations on one branch of one repository. */
export class BranchGit {
  constructor(
    readonly ctx: RepoContext,
    readonly branch: string,
    readonly readVia: ReadVia,
    readonly commitVia: CommitVia
  ) {}

  private get where(): string {
    return `branch ${this.branch} of ${repositoryName(this.ctx)}`
  }

  /**
   * The branch head, or `null` when the branch does not exist. 1 request (2 when the branch is
   * missing: the repository is looked up). @throws RepositoryNotFoundError
   */
  async readHead(): Promise<BranchHead | null> {
    if (this.readVia === 'graphql') return (await this.readSnapshot([])).head
    const { octokit, owner, repo } = this.ctx
    try {
      const { data } = await octokit.rest.repos.getBranch({ owner, repo, branch: this.branch })
      return {
        commitSha: data.commit.sha,
        treeSha: data.commit.commit.tree.sha,
        message: data.commit.commit.message
      }
    } catch (error) {
      if (statusOf(error) !== 404)
        throw toGitHubRequestError(`read the head of ${this.where}`, error)
      await ensureRepositoryVisible(this.ctx, error)
      return null
    }
  }

  /**
   * The head and the given files at it. GraphQL: 1 request per {@link FILES_PER_QUERY} paths
   * (plus 1 REST read per file GitHub truncates). REST: 1 for the head, then 1 per path
   * (≤ 4 paths) or 1 for the tree + 1 per existing path.
   */
  async readSnapshot(paths: readonly string[]): Promise<Snapshot> {
    return this.readVia === 'graphql' ? this.snapshotGraphql(paths) : this.snapshotRest(paths)
  }

  /**
   * The text of each of `paths` at commit `commitSha` (`undefined` = absent), through GraphQL
   * whatever `readVia` says: 1 query per {@link FILES_PER_QUERY} paths, plus 1 REST read per
   * file GitHub truncates. Many small files cost a few requests instead of one each. When the
   * GraphQL query is refused (a token without GraphQL access, a GraphQL budget spent, `/graphql`
   * answering 403/404), the batch is read through REST instead, 1 request per path: reads are
   * idempotent, so the fallback cannot change what is read.
   */
  async readFilesAt(
    commitSha: string,
    paths: readonly string[]
  ): Promise<Map<string, string | undefined>> {
    const files = new Map<string, string | undefined>()
    for (let i = 0; i < paths.length; i += FILES_PER_QUERY) {
      const batch = paths.slice(i, i + FILES_PER_QUERY)
      const some = await this.queryFiles(commitSha, batch, false).catch(() => null)
      for (const p of batch)
        files.set(p, some ? some.files.get(p) : await this.readRaw(p, commitSha))
    }
    for (const [path, text] of files)
      if (text === TRUNCATED) files.set(path, await this.readRaw(path, commitSha))
    return files
  }

  private async snapshotGraphql(paths: readonly string[]): Promise<Snapshot> {
    const files = new Map<string, string | undefined>()
    let head: BranchHead | null = null
    const chunks: string[][] = []
    for (let i = 0; i < paths.length; i += FILES_PER_QUERY)
      chunks.push(paths.slice(i, i + FILES_PER_QUERY))
    if (chunks.length === 0) chunks.push([])
    for (const [index, chunk] of chunks.entries()) {
      if (index === 0) {
        const first = await this.queryFiles(`refs/heads/${this.branch}`, chunk, true)
        head = first.head
        for (const [path, text] of first.files) files.set(path, text)
        if (!head) break
        continue
      }
      // Later chunks read at the commit the first one found, so every file comes from one commit.
      const rest = await this.queryFiles((head as BranchHead).commitSha, chunk, false)
      for (const [path, text] of rest.files) files.set(path, text)
    }
    if (!head) for (const p of paths) files.set(p, undefined)
    for (const [path, text] of files)
      if (text === TRUNCATED && head) files.set(path, await this.readRaw(path, head.commitSha))
    return { head, files }
  }

  private async queryFiles(
    at: string,
    paths: readonly string[],
    byRef: boolean
  ): Promise<{ head: BranchHead | null; files: Map<string, string | undefined> }> {
    const { octokit, owner, repo } = this.ctx
    const vars = paths.map((_, i) => `, $p${i}: String!`).join('')
    const fields = paths
      .map(
        (_, i) =>
          `f${i}: file(path: $p${i}) { object { ... on Blob { text isTruncated isBinary } } }`
      )
      .join('\n')
    const commitFields = `oid ... on Commit { message tree { oid } ${fields} }`
    const query = byRef
      ? `query($owner: String!, $name: String!, $at: String!${vars}) {
  repository(owner: $owner, name: $name) { ref(qualifiedName: $at) { target { ${commitFields} } } }
}`
      : `query($owner: String!, $name: String!, $at: String!${vars}) {
  repository(owner: $owner, name: $name) { object(expression: $at) { ${commitFields} } }
}`
    const variables: Record<string, string> = { owner, name: repo, at }
    paths.forEach((p, i) => (variables[`p${i}`] = p))
    type Target = {
      oid: string
      message?: string
      tree?: { oid: string }
      [alias: string]: unknown
    }
    type Answer = {
      repository: { ref?: { target: Target } | null; object?: Target | null } | null
    }
    let data: Answer
    try {
      data = await octokit.graphql<Answer>(query, variables)
    } catch (error) {
      throw graphqlToRequestError(
        `read ${describe(paths)} on ${this.where}`,
        error,
        repositoryName(this.ctx)
      )
    }
    const target = byRef ? data.repository?.ref?.target : data.repository?.object
    const files = new Map<string, string | undefined>()
    if (!target) return { head: null, files }
    const head: BranchHead = {
      commitSha: target.oid,
      treeSha: target.tree?.oid ?? '',
      message: target.message ?? ''
    }
    paths.forEach((p, i) => {
      const entry = target[`f${i}`] as {
        object?: { text?: string | null; isTruncated?: boolean; isBinary?: boolean } | null
      } | null
      const blob = entry?.object
      if (!entry || !blob) files.set(p, undefined)
      else if (blob.isTruncated || typeof blob.text !== 'string') files.set(p, TRUNCATED)
      else files.set(p, blob.text)
    })
    return { head, files }
  }

  private async snapshotRest(paths: readonly string[]): Promise<Snapshot> {
    const head = await this.readHead()
    const files = new Map<string, string | undefined>()
    if (!head) {
      for (const p of paths) files.set(p, undefined)
      return { head, files }
    }
    if (paths.length <= REST_PER_FILE_MAX) {
      for (const p of paths) files.set(p, await this.readRaw(p, head.commitSha))
      return { head, files }
    }
    const tree = await this.readTree(head.treeSha)
    for (const p of paths) {
      const sha = tree.get(p)
      files.set(p, sha === undefined ? undefined : await this.readBlob(sha, p))
    }
    return { head, files }
  }

  /** Every file of a tree (recursive) as path → blob SHA. 1 request. */
  async readTree(treeSha: string): Promise<Map<string, string>> {
    const { octokit, owner, repo } = this.ctx
    const { data } = await callGitHub(`list the files of ${this.where}`, () =>
      octokit.rest.git.getTree({ owner, repo, tree_sha: treeSha, recursive: 'true' })
    )
    const out = new Map<string, string>()
    for (const e of data.tree) if (e.type === 'blob' && e.path && e.sha) out.set(e.path, e.sha)
    return out
  }

  private async readBlob(sha: string, path: string): Promise<string> {
    const { octokit, owner, repo } = this.ctx
    const { data } = await callGitHub(`read ${path} on ${this.where}`, () =>
      octokit.rest.git.getBlob({ owner, repo, file_sha: sha })
    )
    return Buffer.from(data.content, data.encoding === 'base64' ? 'base64' : 'utf8').toString(
      'utf8'
    )
  }

  /**
   * One file's bytes at a commit through the contents API with the raw media type, which works
   * up to 100 MB (the default media type answers 403 `too_large` above 1 MB; §1.1), as text.
   * `undefined` when the path does not exist. 1 request.
   */
  async readRaw(path: string, ref: string): Promise<string | undefined> {
    const { octokit, owner, repo } = this.ctx
    try {
      return await rawText(octokit, { owner, repo, path, ref })
    } catch (error) {
      if (statusOf(error) === 404) return undefined
      throw toGitHubRequestError(`read ${path} on ${this.where}`, error)
    }
  }

  /** The entries of a directory at the branch head (`[]` when it or the branch is absent). */
  async listDirectory(
    directory: string
  ): Promise<Array<{ name: string; path: string; type: string; sha: string; size: number }>> {
    const { octokit, owner, repo } = this.ctx
    try {
      const { data } = await octokit.rest.repos.getContent({
        owner,
        repo,
        path: directory,
        ref: this.branch
      })
      return Array.isArray(data)
        ? data.map((e) => ({ name: e.name, path: e.path, type: e.type, sha: e.sha, size: e.size }))
        : []
    } catch (error) {
      if (statusOf(error) === 404) return []
      throw toGitHubRequestError(`list ${directory} on ${this.where}`, error)
    }
  }

  /**
   * Commits `additions` and `deletions` as one commit whose parent is `expected`, and moves the
   * branch to it only if the branch still points at `expected` (GraphQL `expectedHeadOid`) or
   * the move is a fast-forward (git data API). A moved head is a `conflict` outcome.
   */
  async commit(
    expected: BranchHead,
    additions: FileAddition[],
    deletions: string[],
    message: string
  ): Promise<CommitOutcome> {
    return this.commitVia === 'graphql'
      ? this.commitGraphql(expected, additions, deletions, message)
      : this.commitGitData(expected, additions, deletions, message)
  }

  private async commitGraphql(
    expected: BranchHead,
    additions: FileAddition[],
    deletions: string[],
    message: string
  ): Promise<CommitOutcome> {
    const { octokit, owner, repo } = this.ctx
    const [headline, ...rest] = message.split('\n')
    const body = rest.join('\n').trim()
    const mutation = `mutation($input: CreateCommitOnBranchInput!) {
  createCommitOnBranch(input: $input) { commit { oid } }
}`
    try {
      const data = await octokit.graphql<{
        createCommitOnBranch: { commit: { oid: string } | null } | null
      }>(mutation, {
        input: {
          branch: { repositoryNameWithOwner: `${owner}/${repo}`, branchName: this.branch },
          expectedHeadOid: expected.commitSha,
          message: body ? { headline, body } : { headline },
          fileChanges: {
            additions: additions.map((a) => ({
              path: a.path,
              contents: a.content.toString('base64')
            })),
            deletions: deletions.map((path) => ({ path }))
          }
        },
        request: WRITE
      })
      const oid = data.createCommitOnBranch?.commit?.oid
      if (!oid) return { kind: 'conflict', problem: 'createCommitOnBranch returned no commit' }
      return { kind: 'committed', commitSha: oid }
    } catch (error) {
      const types = graphqlErrorTypes(error)
      // STALE_DATA: the head moved. NOT_FOUND: the branch vanished under us; re-read either way.
      if (types && (types.includes('STALE_DATA') || types.includes('NOT_FOUND')))
        return { kind: 'conflict', problem: graphqlMessage(error) }
      throw graphqlToRequestError(
        `commit ${describe(additions.map((a) => a.path).concat(deletions))} to ${this.where}`,
        error
      )
    }
  }

  /**
   * Builds the commit with the git data API: blobs (large files), tree (1 request per 4 MiB of
   * inline content), commit. 2 + blobs writes for a commit of ≤ 4 MiB.
   */
  private async buildCommit(
    parent: BranchHead | null,
    additions: FileAddition[],
    deletions: string[],
    message: string
  ): Promise<string> {
    const { octokit, owner, repo } = this.ctx
    const what = `commit ${describe(additions.map((a) => a.path).concat(deletions))} to ${this.where}`
    const entries: Array<{
      path: string
      mode: '100644'
      type: 'blob'
      sha?: string | null
      content?: string
    }> = []
    for (const a of additions) {
      if (a.content.length <= INLINE_MAX_BYTES && isUtf8(a.content)) {
        entries.push({
          path: a.path,
          mode: '100644',
          type: 'blob',
          content: a.content.toString('utf8')
        })
        continue
      }
      const { data } = await callGitHub(what, () =>
        octokit.rest.git.createBlob({
          owner,
          repo,
          content: a.content.toString('base64'),
          encoding: 'base64'
        })
      )
      entries.push({ path: a.path, mode: '100644', type: 'blob', sha: data.sha })
    }
    for (const path of deletions) entries.unshift({ path, mode: '100644', type: 'blob', sha: null })
    let base = parent?.treeSha
    for (const batch of treeBatches(entries)) {
      const { data: tree } = await callGitHub(what, () =>
        octokit.rest.git.createTree({
          owner,
          repo,
          tree: batch,
          ...(base ? { base_tree: base } : {})
        })
      )
      base = tree.sha
    }
    const { data: commit } = await callGitHub(what, () =>
      octokit.rest.git.createCommit({
        owner,
        repo,
        message,
        tree: base as string,
        parents: parent ? [parent.commitSha] : []
      })
    )
    return commit.sha
  }

  private async commitGitData(
    expected: BranchHead,
    additions: FileAddition[],
    deletions: string[],
    message: string
  ): Promise<CommitOutcome> {
    const { octokit, owner, repo } = this.ctx
    const sha = await this.buildCommit(expected, additions, deletions, message)
    try {
      await octokit.rest.git.updateRef({
        owner,
        repo,
        ref: `heads/${this.branch}`,
        sha,
        force: false,
        request: WRITE
      })
      return { kind: 'committed', commitSha: sha }
    } catch (error) {
      // 422 `Update is not a fast forward` (head moved) or `Reference does not exist` (§2.1);
      // a 409 `is at … but expected …` has been reported too.
      const status = statusOf(error)
      if (status === 422 || status === 409) return { kind: 'conflict', problem: problemOf(error) }
      throw toGitHubRequestError(`move ${this.where} to the new commit`, error)
    }
  }

  /**
   * Creates the branch as an orphan whose first commit holds `additions` (no parent). A branch
   * created meanwhile by another writer (`422 Reference already exists`) is a `conflict`.
   */
  async createOrphan(additions: FileAddition[], message: string): Promise<CommitOutcome> {
    const sha = await this.buildCommit(null, additions, [], message)
    return this.createRef(sha)
  }

  /**
   * Creates the branch at the default branch's head (no commit). `conflict` when it exists by
   * now; `null` when the repository has no default branch commit yet (empty repository).
   */
  async createFromDefaultBranch(): Promise<CommitOutcome | null> {
    const { octokit, owner, repo } = this.ctx
    const { data: repository } = await callGitHub(`read ${repositoryName(this.ctx)}`, () =>
      octokit.rest.repos.get({ owner, repo })
    )
    let base: string
    try {
      const { data } = await octokit.rest.git.getRef({
        owner,
        repo,
        ref: `heads/${repository.default_branch}`
      })
      base = data.object.sha
    } catch (error) {
      const status = statusOf(error)
      if (status === 404 || status === 409) return null
      throw toGitHubRequestError(`read the default branch of ${repositoryName(this.ctx)}`, error)
    }
    return this.createRef(base)
  }

  private async createRef(sha: string): Promise<CommitOutcome> {
    const { octokit, owner, repo } = this.ctx
    try {
      await octokit.rest.git.createRef({
        owner,
        repo,
        ref: `refs/heads/${this.branch}`,
        sha,
        request: WRITE
      })
      return { kind: 'committed', commitSha: sha }
    } catch (error) {
      if (statusOf(error) === 422) return { kind: 'conflict', problem: problemOf(error) }
      throw toGitHubRequestError(`create ${this.where}`, error)
    }
  }
}

const TRUNCATED = '\u0000hubstore:truncated\u0000'

function problemOf(error: unknown): string {
  const status = statusOf(error)
  return `${status ?? '?'} ${githubMessageOf(error) ?? ''}`.trim()
}

function isUtf8(buffer: Buffer): boolean {
  return Buffer.from(buffer.toString('utf8'), 'utf8').equals(buffer)
}
