/**
 * One file in a repository through the contents API, written with compare-and-swap
 * (docs/github-behaviour.md §1): read the raw bytes (any size up to 100 MB, in one request) and
 * compute their git blob SHA locally, then `PUT` with that `sha`. The `PUT` opts out of automatic
 * retries (a stale `sha` would be resent as is); conflicts are the caller's to resolve after a
 * re-read. The one guarded contents write of core: the snapshot and sequence stores both use it.
 */
import { createHash } from 'node:crypto'
import type { RepoContext } from '../github/context.js'
import { ensureRepositoryVisible } from './repository.js'
import { callGitHub, githubMessageOf, statusOf, toGitHubRequestError } from './request.js'

/** A file as read from a branch. */
export interface RepoFile {
  text: string
  /** git blob SHA of the bytes read (what a `PUT` must send to replace exactly them) */
  sha: string
}

/**
 * The git blob SHA of some bytes: `sha1("blob <length>\0" + bytes)` (docs/github-behaviour.md §8
 * item 2).
 */
export function gitBlobSha(bytes: Buffer): string {
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex')
}

/** The result of {@link readRepoFile}. */
export type ReadResult = { found: true; file: RepoFile } | { found: false; branchMissing: boolean }

/**
 * Reads a file from `branch` (default: the repository's default branch) with the raw media type
 * (`application/vnd.github.raw+json`, files up to 100 MB). A 404 is "no such file", or "no such
 * branch" when GitHub says `No commit found for the ref …`; on the plain 404 the repository is
 * looked up once, so a missing repository is not taken for a missing file.
 *
 * Cost: 1 request; 2 when the file is not found (the extra `GET /repos/{owner}/{repo}`).
 *
 * @throws RepositoryNotFoundError when the repository does not exist or the token cannot see
 *   it; GitHubRequestError for other failures.
 */
export async function readRepoFile(
  ctx: RepoContext,
  path: string,
  branch?: string
): Promise<ReadResult> {
  const { octokit, owner, repo } = ctx
  let data: unknown
  try {
    const response = await octokit.rest.repos.getContent({
      owner,
      repo,
      path,
      ...(branch ? { ref: branch } : {}),
      headers: { accept: 'application/vnd.github.raw+json' }
    })
    data = response.data
  } catch (error) {
    if (statusOf(error) === 404) {
      const branchMissing =
        branch !== undefined && /^No commit found for the ref/.test(githubMessageOf(error) ?? '')
      if (!branchMissing) await ensureRepositoryVisible(ctx, error)
      return { found: false, branchMissing }
    }
    throw toGitHubRequestError(`read ${path}`, error)
  }
  return { found: true, file: await decodeContent(ctx, path, data) }
}

/**
 * The bytes of a raw-media-type contents answer (Octokit gives text, an `ArrayBuffer` or a
 * view), or `undefined` when the answer is JSON (a directory listing, or a server that ignored
 * the raw media type).
 */
export function rawBytes(data: unknown): Buffer | undefined {
  if (typeof data === 'string') return Buffer.from(data, 'utf8')
  if (data instanceof ArrayBuffer) return Buffer.from(data)
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength)
  return undefined
}

/**
 * The text of a file at `ref` through the contents API with the raw media type, its body taken
 * unparsed (`parseSuccessResponseBody: false`): the bytes as stored, decoded as UTF-8, whatever
 * content type the answer has. 1 request.
 *
 * Octokit then hands over fetch's body stream and drops the `Response`, and undici cancels the
 * stream of a `Response` that is garbage collected unread
 * (https://github.com/nodejs/undici/pull/3199): a collection between the answer and the read
 * failed it with "Response body object should not be disturbed or locked". The `Response` is
 * held, through the fetch this request uses (the client's, else the global one), until the text
 * is read.
 *
 * @throws the Octokit error of the request (a 404 for a missing path or ref).
 */
export async function rawText(
  octokit: RepoContext['octokit'],
  file: { owner: string; repo: string; path: string; ref: string }
): Promise<string> {
  const fetchOf = octokit.request.endpoint.DEFAULTS.request?.fetch as typeof fetch | undefined
  const held: Response[] = []
  const holding: typeof fetch = async (input, init) => {
    const response = await (fetchOf ?? fetch)(input, init)
    held.push(response)
    return response
  }
  try {
    const { data } = await octokit.request('GET /repos/{owner}/{repo}/contents/{path}', {
      ...file,
      headers: { accept: 'application/vnd.github.raw+json' },
      request: { parseSuccessResponseBody: false, fetch: holding }
    })
    const body: unknown = data
    const bytes = rawBytes(body)
    if (bytes) return bytes.toString('utf8')
    if (body === null || body === undefined) return ''
    if (typeof (body as { getReader?: unknown }).getReader === 'function')
      return await new Response(body as ReadableStream).text()
    return JSON.stringify(body)
  } finally {
    held.length = 0 // each attempt's Response, kept reachable until here
  }
}

async function decodeContent(ctx: RepoContext, path: string, data: unknown): Promise<RepoFile> {
  let bytes = rawBytes(data)
  if (bytes === undefined && Array.isArray(data))
    throw toGitHubRequestError(`read ${path}`, notAFile(path))
  if (bytes === undefined) {
    // A server that ignored the raw media type answered the JSON file object.
    const file = data as { content?: string; encoding?: string; sha?: string }
    if (file.encoding === 'base64' && typeof file.content === 'string')
      bytes = Buffer.from(file.content, 'base64')
    else if (typeof file.sha === 'string') {
      const { data: blob } = await callGitHub(`read the blob of ${path}`, () =>
        ctx.octokit.rest.git.getBlob({
          owner: ctx.owner,
          repo: ctx.repo,
          file_sha: file.sha as string
        })
      )
      bytes = Buffer.from(blob.content, 'base64')
    } else throw toGitHubRequestError(`read ${path}`, notAFile(path))
  }
  return { text: bytes.toString('utf8'), sha: gitBlobSha(bytes) }
}

function notAFile(path: string): Error {
  return Object.assign(new Error(`${path} is not a file`), {
    name: 'HttpError',
    status: 422,
    response: { data: { message: `${path} is a directory, not a file` } }
  })
}

/** How a guarded write ended. */
export type WriteOutcome =
  | { kind: 'written'; commitSha: string; contentSha: string }
  /** 409 (stale `sha`, or the branch moved), 422 `"sha" wasn't supplied` / `is at … but expected` */
  | { kind: 'conflict'; problem: string }
  /** the branch does not exist (404 from a `PUT` that names a branch); `error` is GitHub's answer */
  | { kind: 'branch-missing'; error: unknown }
  /** the answer was lost (5xx, network, timeout, no HTTP status): the file may or may not have
   * been written — read back to know (DESIGN principle 3) */
  | { kind: 'unknown'; problem: string; error: unknown }

/**
 * `PUT /repos/{o}/{r}/contents/{path}` with `sha` (`undefined`/`null`: the file must not exist
 * yet) on `branch` (default: the default branch), automatic retries off, optionally aborted after
 * `timeoutMs` (ms; the outcome is then `unknown`).
 *
 * Cost: 1 request.
 *
 * @throws GitHubRequestError for answers that are neither success, conflict, missing branch nor
 *   ambiguous (401, 403, 422 validation…).
 */
export async function writeRepoFile(
  ctx: RepoContext,
  input: {
    path: string
    text: string
    sha?: string | null
    branch?: string
    message: string
    timeoutMs?: number
  }
): Promise<WriteOutcome> {
  const { octokit, owner, repo } = ctx
  try {
    const { data } = await octokit.rest.repos.createOrUpdateFileContents({
      owner,
      repo,
      path: input.path,
      message: input.message,
      content: Buffer.from(input.text, 'utf8').toString('base64'),
      ...(input.sha ? { sha: input.sha } : {}),
      ...(input.branch ? { branch: input.branch } : {}),
      request: {
        retries: 0,
        ...(input.timeoutMs !== undefined ? { signal: AbortSignal.timeout(input.timeoutMs) } : {})
      }
    })
    return {
      kind: 'written',
      commitSha: data.commit.sha ?? '',
      contentSha: data.content?.sha ?? gitBlobSha(Buffer.from(input.text, 'utf8'))
    }
  } catch (error) {
    const status = statusOf(error)
    const message = githubMessageOf(error) ?? ''
    const problem = `${status ?? 'no answer'}${message ? ` ${message}` : ''}`
    if (status === 409) return { kind: 'conflict', problem }
    if (
      status === 422 &&
      /"sha" wasn't supplied|is at [0-9a-f]+ but expected|expected to be at/i.test(message)
    )
      return { kind: 'conflict', problem }
    if (status === 404 && input.branch) return { kind: 'branch-missing', error }
    if (status === undefined || status >= 500) {
      const detail = status === undefined ? ` ${(error as Error)?.message ?? String(error)}` : ''
      return { kind: 'unknown', problem: `${problem}${detail}`, error }
    }
    throw toGitHubRequestError(`write ${input.path}`, error)
  }
}

/**
 * Creates `branch` at the head of the default branch (422 `Reference already exists` means
 * another writer did it: fine).
 *
 * Cost: 3 requests (repository, default branch ref, ref creation).
 *
 * @throws GitHubRequestError for any other failure, a 422 for a name git refuses (`a..b`, `a b`,
 *   a trailing `.lock`; docs/github-behaviour.md §2.1).
 */
export async function createBranchFromDefault(ctx: RepoContext, branch: string): Promise<void> {
  const { octokit, owner, repo } = ctx
  const { data: repository } = await callGitHub(`read repository ${owner}/${repo}`, () =>
    octokit.rest.repos.get({ owner, repo })
  )
  const { data: head } = await callGitHub(`read branch ${repository.default_branch}`, () =>
    octokit.rest.git.getRef({ owner, repo, ref: `heads/${repository.default_branch}` })
  )
  try {
    await octokit.rest.git.createRef({
      owner,
      repo,
      ref: `refs/heads/${branch}`,
      sha: head.object.sha
    })
  } catch (error) {
    if (statusOf(error) === 422 && /already exists/i.test(githubMessageOf(error) ?? '')) return
    throw toGitHubRequestError(
      `create branch ${JSON.stringify(branch)} from ${repository.default_branch}`,
      error
    )
  }
}
