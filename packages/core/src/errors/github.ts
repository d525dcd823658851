/** Errors of talking to GitHub and of the options and paths every capability takes: a client option out of range, an unsafe repository path, a request GitHub refused, a repository the token cannot see. The catalogue is src/errors.ts. */
import { HubstoreError } from './base.js'

/** An option passed to a core function has the wrong type or range. */
export class InvalidOptionsError extends HubstoreError {
  override readonly name = 'InvalidOptionsError'
  readonly code = 'INVALID_OPTIONS'
  constructor(
    readonly option: string,
    readonly expected: string,
    received: unknown
  ) {
    super(`Option ${option} must be ${expected}; received ${describe(received)}.`)
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `a string of ${value.length} characters`
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value
}

/** GitHub answered with an error status (after retries), or could not be reached. */
export class GitHubRequestError extends HubstoreError {
  override readonly name = 'GitHubRequestError'
  readonly code = 'GITHUB_REQUEST_FAILED'
  constructor(
    /** what hubstore was doing, e.g. `get issue #5` */
    readonly operation: string,
    /** HTTP status; 500 for network failures (Octokit's convention) */
    readonly status: number,
    /** e.g. `GET /repos/o/r/issues/5` (path only: no host, no query) */
    readonly request: string,
    /** GitHub's `message`, when it sent one */
    readonly githubMessage: string | undefined,
    options?: { cause?: unknown }
  ) {
    super(
      `GitHub request failed while trying to ${operation}: ${request} answered ${status}` +
        `${githubMessage ? ` (${githubMessage})` : ''}. ${fixForStatus(status, request, githubMessage)}`,
      options
    )
  }
}

function fixForStatus(status: number, request: string, githubMessage = ''): string {
  if (status === 401) return 'Check that the token is valid and not expired.'
  // 403 for a file over 1 MB read with the JSON media type: a size limit, not a permission
  // (docs/github-behaviour.md §1.1)
  if (status === 403 && /blobs up to 1 MB|too large to fetch/i.test(githubMessage))
    return 'The file is over the 1 MB the JSON media type returns; read it with the raw media type (application/vnd.github.raw+json) or through the blob API.'
  if (status === 403 || status === 429)
    return `The token lacks a permission (${permissionFor(request)}) or a rate limit was hit.`
  if (status === 404 || status === 410)
    return 'Check the owner, repository and number, and that the token can see the repository.'
  if (status === 422) return 'GitHub rejected the input; see its message.'
  return 'GitHub may be unavailable; retry later.'
}

/**
 * The token permission a request needs, from its `METHOD /path` (names as in a workflow's
 * `permissions:` block; variables have none there: a PAT or App token with "Variables" is needed).
 */
function permissionFor(request: string): string {
  const [method = 'GET', path = ''] = request.split(' ')
  const access = method === 'GET' ? 'read' : 'write'
  if (/\/actions\/variables/.test(path))
    return `Variables: ${access}, which GITHUB_TOKEN cannot have`
  if (/\/(contents|git|commits|branches)(\/|$)/.test(path)) return `contents: ${access}`
  if (/\/(issues|labels)(\/|$)/.test(path)) return `issues: ${access}`
  if (path === '/graphql') return 'contents: write for commits, issues: write for reactions'
  return 'metadata: read'
}

/**
 * A repository path (a file or prefix an input or option names) that git could not check out or
 * that would leave the checkout: empty, `.` or `..` segments, a `.git` segment in any case, a
 * leading `/`, NUL or another control character (docs/github-behaviour.md §1.3).
 */
export class InvalidPathError extends HubstoreError {
  override readonly name = 'InvalidPathError'
  readonly code = 'INVALID_PATH'
  constructor(
    /** the input or option that carried the path, e.g. `path` or `value-file` */
    readonly input: string,
    /** the path as given */
    readonly path: string,
    /** what is wrong with it, e.g. `has a ".." segment` */
    readonly problem: string
  ) {
    super(
      `${input} ${JSON.stringify(path)} is not a safe repository path: it ${problem}. Use a ` +
        `relative path such as "dir/file.json": segments separated by single "/", none of them ` +
        `".", ".." or ".git", no leading "/" and no control characters.`
    )
  }
}

/**
 * The repository does not exist, or the token cannot see it: GitHub answers 404, not 403, for a
 * private repository the caller may not read (docs/github-behaviour.md §11.6). Thrown after a
 * read answered 404 and `GET /repos/{owner}/{repo}` answered 404 too, so that a missing file is
 * never taken for "no file yet" in a repository that is not there.
 */
export class RepositoryNotFoundError extends HubstoreError {
  override readonly name = 'RepositoryNotFoundError'
  readonly code = 'REPOSITORY_NOT_FOUND'
  constructor(
    /** `owner/repo` as given */
    readonly repository: string,
    options?: { cause?: unknown }
  ) {
    super(
      `Repository ${repository} not found, or the token cannot see it (GET /repos/${repository} ` +
        `answered 404). Check the owner and the name for typos; for a private repository use a ` +
        `token that can read it (a fine-grained token must list it, a GitHub App must be ` +
        `installed on it).`,
      options
    )
  }
}
