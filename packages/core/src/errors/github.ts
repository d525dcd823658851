/** Errors of talking to GitHub and of the options and paths every capability takes: a client option out of range, an unsafe repository path, a request GitHub refused, a repository the token cannot see. The catalogue is src/errors.ts. */
import { HubstoreError } from './base.js'
import { echoValue } from './echo.js'

/**
 * An option passed to a core function has the wrong type or range. Core names its own option
 * (`timeZone`) and does not repeat the value; a caller that took the option from an action
 * input or a CLI flag re-words it with {@link InvalidOptionsError.as} (action-kit's `runStep`
 * and the CLI's `run` do), so the user reads the name they typed and the value they gave.
 */
export class InvalidOptionsError extends HubstoreError {
  override readonly name = 'InvalidOptionsError'
  readonly code = 'INVALID_OPTIONS'
  constructor(
    /** core's name of the option, e.g. `timeZone` */
    readonly option: string,
    /** what the option must be, e.g. `an IANA time zone such as Asia/Kolkata` */
    readonly expected: string,
    /** the value received, as given */
    readonly received: unknown,
    /** set by {@link InvalidOptionsError.as}: how the user spelt the option */
    readonly label?: string
  ) {
    super(
      label === undefined
        ? `Option ${option} must be ${expected}; received ${describe(received)}.`
        : `${label} must be ${expected}; got ${echoValue(received)}.`
    )
  }

  /**
   * The same error said in the user's words: `label` is what they typed for the option
   * (`--time-zone`, `Input "time-zone"`), and the value is echoed, JSON-escaped (so control
   * characters and quotes show as `\n`, `\"`) and cut to 80 characters (`…` marks the cut): `echoValue`.
   */
  as(label: string): InvalidOptionsError {
    return new InvalidOptionsError(this.option, this.expected, this.received, label)
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `a string of ${value.length} characters`
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value
}

/**
 * A request that got no answer: the connection was refused or the host not found (`connect`,
 * never retried), or no answer came within the request timeout (`timeout`, after every retry;
 * for a write the outcome is then unknown).
 */
export interface NetworkFailure {
  kind: 'connect' | 'timeout'
  /** the API root the client was given, e.g. `https://api.github.com` */
  apiUrl: string
  /** the system error code (`ECONNREFUSED`, `ENOTFOUND`…) for `connect` */
  systemCode?: string
  /** the per-request timeout, ms, for `timeout` */
  timeoutMs?: number
  /** attempts made (1 + retries) */
  attempts: number
}

/** GitHub answered with an error status (after retries), or could not be reached (`network`). */
export class GitHubRequestError extends HubstoreError {
  override readonly name = 'GitHubRequestError'
  readonly code = 'GITHUB_REQUEST_FAILED'
  /** Set when no answer came (status 500, Octokit's convention for network failures). */
  readonly network: NetworkFailure | undefined
  constructor(
    /** what hubstore was doing, e.g. `get issue #5` */
    readonly operation: string,
    /** HTTP status; 500 for network failures (Octokit's convention) */
    readonly status: number,
    /** e.g. `GET /repos/o/r/issues/5` (path only: no host, no query) */
    readonly request: string,
    /** GitHub's `message`, when it sent one */
    readonly githubMessage: string | undefined,
    options?: {
      cause?: unknown
      /** GitHub's `x-accepted-github-permissions` header (e.g. `contents=write`), when sent */
      acceptedPermissions?: string
      /** what the client learnt of a request that got no answer */
      network?: NetworkFailure
    }
  ) {
    super(
      options?.network
        ? networkMessage(operation, request, options.network)
        : `GitHub request failed while trying to ${operation}: ${request} answered ${status}` +
            `${githubMessage ? ` (${githubMessage})` : ''}. ${fixForStatus(status, request, githubMessage, options?.acceptedPermissions)}`,
      options
    )
    this.network = options?.network
  }
}

function networkMessage(operation: string, request: string, n: NetworkFailure): string {
  return n.kind === 'connect'
    ? `Could not connect to ${n.apiUrl} while trying to ${operation} (${request}: ${n.systemCode ?? 'connection failed'}). Check the API URL (--api-url, the api-url input or GITHUB_API_URL) and the network.`
    : `GitHub did not answer ${request} within ${seconds(n.timeoutMs ?? 0)} while trying to ${operation} (${n.attempts} attempt${n.attempts === 1 ? '' : 's'}). GitHub may be slow or unavailable: retry later, or allow more time (--request-timeout flag, request-timeout input, requestTimeoutMs).`
}

function fixForStatus(
  status: number,
  request: string,
  githubMessage = '',
  acceptedPermissions?: string
): string {
  if (status === 401) return 'Check that the token is valid and not expired.'
  // 403 for a file over 1 MB read with the JSON media type: a size limit, not a permission
  // (docs/github-behaviour.md §1.1)
  if (status === 403 && /blobs up to 1 MB|too large to fetch/i.test(githubMessage))
    return 'The file is over the 1 MB the JSON media type returns; read it with the raw media type (application/vnd.github.raw+json) or through the blob API.'
  if (status === 429) return 'GitHub is limiting the rate of requests; wait a minute and retry.'
  if (status === 403)
    return `The token lacks a permission this request needs (${
      acceptedPermissions ? acceptedPermissionsText(acceptedPermissions) : permissionFor(request)
    }): grant it (a workflow's permissions: block, the token's settings) or use a token that has it.`
  if (status === 404 || status === 410)
    return 'GitHub found no such thing: check the owner, repository and number, and that the token can see the repository (a private repository answers 404 to a token without access).'
  if (status === 422) return 'GitHub rejected the input; see its message.'
  return 'GitHub may be unavailable; retry later.'
}

/**
 * GitHub's `x-accepted-github-permissions` header (`contents=write; issues=read`: sets separated
 * by `;`, any one of which suffices, docs/github-behaviour.md §5.5) as text:
 * `contents: write, or issues: read`.
 */
function acceptedPermissionsText(header: string): string {
  return header
    .split(';')
    .map((set) =>
      set
        .split(',')
        .map((p) => p.trim().replace('=', ': '))
        .filter((p) => p !== '')
        .join(' and ')
    )
    .filter((s) => s !== '')
    .join(', or ')
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

/** Why GitHub refused a request for its rate: the hourly budget, or a secondary limit. */
export type RateLimitReason = 'primary' | 'secondary'

/**
 * GitHub answered a rate limit (403 or 429; docs/github-behaviour.md §5.3) that the client did
 * not wait out: the wait was longer than `throttle.maxRateLimitWaitMs` (the `max-rate-limit-wait`
 * input, the `--max-rate-limit-wait` flag), or the limit was still in force after
 * `throttle.retries` waits.
 */
export class RateLimitedError extends HubstoreError {
  override readonly name = 'RateLimitedError'
  readonly code = 'RATE_LIMITED'
  constructor(
    readonly details: {
      /** `primary` (the hourly budget, `x-ratelimit-remaining: 0`) or `secondary` */
      reason: RateLimitReason
      /** HTTP status, 403 or 429 */
      status: number
      /** e.g. `GET /repos/o/r/issues` (path only) */
      request: string
      /** `x-ratelimit-resource` (`core`, `graphql`, `search`), when GitHub sent it */
      resource?: string
      /** `x-ratelimit-limit`: requests (REST) or points (GraphQL) per hour, when sent */
      limit?: number
      /** When the limit lifts, ISO 8601 UTC (`x-ratelimit-reset`, or now + `retry-after`) */
      resetAt: string
      /** The longest wait the client allowed, ms; absent when it never waited (throttling off) */
      maxWaitMs?: number
      /** Why the client stopped waiting: the wait was over the bound, or the retries ran out */
      gaveUp?: 'bound' | 'retries'
      /** GitHub's `message` */
      githubMessage?: string
    },
    options?: { cause?: unknown }
  ) {
    super(rateLimitMessage(details), options)
  }
}

function rateLimitMessage(d: RateLimitedError['details']): string {
  const facts = [d.resource, d.limit === undefined ? undefined : `${d.limit} an hour`].filter(
    (f) => f !== undefined
  )
  const which =
    d.reason === 'primary'
      ? `GitHub's primary rate limit${facts.length ? ` (${facts.join(', ')})` : ''} is used up`
      : "GitHub's secondary rate limit was hit"
  const answer = `${d.request} answered ${d.status}${d.githubMessage ? ` (${d.githubMessage})` : ''}`
  const lifts = `It lifts at ${d.resetAt}`
  const bound =
    d.gaveUp === 'bound' && d.maxWaitMs !== undefined
      ? `, later than the ${seconds(d.maxWaitMs)} hubstore waits at most (max-rate-limit-wait input, --max-rate-limit-wait flag, throttle.maxRateLimitWaitMs)`
      : d.gaveUp === 'retries'
        ? ', and it was still in force after every retry'
        : ''
  const fix =
    d.reason === 'primary'
      ? 'Run again after that time (e.g. schedule the workflow later), use a GitHub App installation token (its budget grows with the repositories and users, up to 12,500 an hour, where GITHUB_TOKEN has 1,000 per repository), or allow a longer wait.'
      : 'Make fewer requests at once (fewer concurrent jobs, a later or sparser schedule), or allow a longer wait.'
  return `${which}: ${answer}. ${lifts}${bound}. ${fix}`
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`
}
