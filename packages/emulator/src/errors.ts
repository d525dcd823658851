/**
 * GitHub's error answers, one class per answer (status plus exact message), and the one
 * serialiser that writes them. Routes and models throw these; only `errorBody` formats them.
 * Envelope and messages: `docs/github-behaviour.md` §8 item 10, §3.2, §3.4, §5.3.
 */

/** Where every error body points (`documentation_url`). */
export const DOCUMENTATION_URL = 'https://docs.github.com/rest'

/** One entry of the `errors` array of a 422 `Validation Failed` body. */
export interface ValidationErrorItem {
  resource: string
  code: string
  field?: string
  message?: string
}

/** Base class: an HTTP status, GitHub's message and, for 422, the `errors` array. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: ValidationErrorItem[]
  ) {
    super(message)
    this.name = new.target.name
  }
}

/** 404 `Not Found`: unknown route, repository, issue, comment, user, team or file. */
export class NotFound extends ApiError {
  constructor() {
    super(404, 'Not Found')
  }
}

/** 404 `Label does not exist`: removing a label that is not on the issue (§3.4). */
export class LabelDoesNotExist extends ApiError {
  constructor() {
    super(404, 'Label does not exist')
  }
}

/** 401 `Bad credentials`: an `Authorization` header with an unknown token. */
export class BadCredentials extends ApiError {
  constructor() {
    super(401, 'Bad credentials')
  }
}

/** 401 `Requires authentication`: a write (or `GET /user`) without a token. */
export class RequiresAuthentication extends ApiError {
  constructor() {
    super(401, 'Requires authentication')
  }
}

/** 403 `Resource not accessible by integration`: a Bot token lacking the permission (§8 item 10). */
export class ResourceNotAccessibleByIntegration extends ApiError {
  constructor() {
    super(403, 'Resource not accessible by integration')
  }
}

/** 403 `Must have admin rights to Repository.`: a User token without push access on a public repo. */
export class MustHaveAdminRights extends ApiError {
  constructor() {
    super(403, 'Must have admin rights to Repository.')
  }
}

/** 403 (or 429, set through the admin API) primary rate limit exhausted (§5.3 message texts). */
export class RateLimitExceeded extends ApiError {
  constructor(userId: number | null, status: 403 | 429 = 403) {
    super(
      status,
      userId === null
        ? "API rate limit exceeded for 127.0.0.1. (But here's the good news: Authenticated requests get a higher rate limit. Check out the documentation for more details.)"
        : `API rate limit exceeded for user ID ${userId}.`
    )
  }
}

/** 400 `Problems parsing JSON`: a request body that is not JSON. */
export class ProblemsParsingJson extends ApiError {
  constructor() {
    super(400, 'Problems parsing JSON')
  }
}

/** 422 `Validation Failed` with GitHub's `errors` array (§3.2, §3.4). */
export class ValidationFailed extends ApiError {
  constructor(errors: ValidationErrorItem[]) {
    super(422, 'Validation Failed', errors)
  }
}

/** 422 schema error, e.g. `Invalid request.\n\n"title" wasn't supplied.` (§8 item 4 form). */
export class InvalidRequest extends ApiError {
  constructor(detail: string) {
    super(422, `Invalid request.\n\n${detail}`)
  }
}

/** 409 from the admin API: the repository already exists. */
export class Conflict extends ApiError {
  constructor(message: string) {
    super(409, message)
  }
}

/** 400 from the admin API: a malformed admin request. */
export class BadAdminRequest extends ApiError {
  constructor(message: string) {
    super(400, message)
  }
}

/** The JSON body of an error answer. */
export interface ErrorBody {
  message: string
  documentation_url: string
  status: string
  errors?: ValidationErrorItem[]
}

/**
 * The one serialiser: `{message, documentation_url, status: "<code>"}` plus `errors` for 422.
 * Any non-`ApiError` becomes a 500 `Internal Server Error`.
 */
export function errorBody(error: unknown): { status: number; body: ErrorBody } {
  const e = error instanceof ApiError ? error : new ApiError(500, 'Internal Server Error')
  const body: ErrorBody = {
    message: e.message,
    ...(e.errors ? { errors: e.errors } : {}),
    documentation_url: DOCUMENTATION_URL,
    status: String(e.status)
  }
  return { status: e.status, body }
}

/*
 * Git over HTTP and Git LFS (src/git-http/smart-http.ts, src/git-http/lfs.ts). These answers are not
 * REST JSON: smart HTTP writes the message as `text/plain` (git prints it as `remote: …`), the
 * LFS API as `{message, documentation_url}` in `application/vnd.git-lfs+json`.
 */

/** 404 `Repository not found.`: unknown repository, or one the token cannot see (git, LFS). */
export class GitRepositoryNotFound extends ApiError {
  constructor() {
    super(404, 'Repository not found.')
  }
}

/**
 * 401 without credentials where git needs them (push, a private repository, an unknown
 * repository asked anonymously); sent with `WWW-Authenticate: Basic realm="GitHub"` so git
 * asks its credential helper.
 */
export class GitAuthenticationRequired extends ApiError {
  constructor() {
    super(401, 'Authentication required.')
  }
}

/** 401 for an unknown token presented to git or LFS (GitHub's text for git operations). */
export class GitInvalidCredentials extends ApiError {
  constructor() {
    super(
      401,
      'Invalid username or token. Password authentication is not supported for Git operations.'
    )
  }
}

/** 403 `Permission to owner/repo.git denied to login.`: push (or LFS upload) without write access. */
export class GitPermissionDenied extends ApiError {
  constructor(fullName: string, login: string) {
    super(403, `Permission to ${fullName}.git denied to ${login}.`)
  }
}

/** 404 `Object does not exist`: an LFS object the repository does not hold. */
export class LfsObjectDoesNotExist extends ApiError {
  constructor() {
    super(404, 'Object does not exist')
  }
}

/** 422 from the LFS API: a malformed batch request or an upload whose bytes do not match its oid. */
export class LfsValidationFailed extends ApiError {
  constructor(message: string) {
    super(422, message)
  }
}

/**
 * GitHub's GraphQL `errors[].type` values the emulator answers (docs/github-behaviour.md §2.2,
 * §5.3). Documents that fail validation carry `extensions.code` instead and no `type`.
 */
export type GraphqlErrorType =
  | 'NOT_FOUND'
  | 'FORBIDDEN'
  | 'STALE_DATA'
  | 'UNPROCESSABLE'
  | 'RATE_LIMITED'
  | 'MISSING_PAGINATION_BOUNDARIES'
  | 'EXCESSIVE_PAGINATION'
  | 'INTERNAL'

/**
 * A GraphQL execution error. Resolvers throw it; `POST /graphql` answers HTTP 200 with
 * `{data, errors: [{type, path, locations, message}]}` and the field set to `null`.
 */
export class GraphqlFailure extends Error {
  constructor(
    readonly type: GraphqlErrorType,
    message: string
  ) {
    super(message)
    this.name = new.target.name
  }
}

/** `NOT_FOUND`, e.g. `Could not resolve to a Repository with the name 'o/r'.` */
export class GraphqlNotFound extends GraphqlFailure {
  constructor(message: string) {
    super('NOT_FOUND', message)
  }
}

/** `FORBIDDEN`: `<login> does not have the correct permissions to execute `<Mutation>``. */
export class GraphqlForbidden extends GraphqlFailure {
  constructor(message: string) {
    super('FORBIDDEN', message)
  }
}

/** `STALE_DATA` of `createCommitOnBranch` when the branch head moved (§2.2, exact text). */
export class GraphqlStaleData extends GraphqlFailure {
  constructor(expectedHeadOid: string) {
    super(
      'STALE_DATA',
      `Expected branch to point to "${expectedHeadOid}" but it did not. Pull and try again.`
    )
  }
}

/** `UNPROCESSABLE`: input GitHub refuses after validation (e.g. deleting a missing path). */
export class GraphqlUnprocessable extends GraphqlFailure {
  constructor(message: string) {
    super('UNPROCESSABLE', message)
  }
}

/** `RATE_LIMITED`: the token's GraphQL budget is spent (HTTP 200, §5.3). */
export class GraphqlRateLimited extends GraphqlFailure {
  constructor(userId: number) {
    super('RATE_LIMITED', `API rate limit exceeded for user ID ${userId}.`)
  }
}

/** 401 on `POST /graphql` without a token (GitHub has no anonymous GraphQL, §5.1). */
export class GraphqlRequiresAuthentication extends ApiError {
  constructor() {
    super(401, 'This endpoint requires you to be authenticated.')
  }
}

/*
 * Actions variables, secondary rate limits and injected faults (src/models/variables.ts,
 * src/faults.ts). Sources: docs/github-behaviour.md §4 (variables), §5.3 (rate-limit signals).
 */

/** 409 `Already exists - Variable already exists`: create (or rename onto) an existing name (§4). */
export class VariableAlreadyExists extends ApiError {
  constructor() {
    super(409, 'Already exists - Variable already exists')
  }
}

/**
 * 422 for a variable name breaking GitHub's naming rules (§4: only `[A-Za-z0-9_]`, not starting
 * with `GITHUB_` or a digit). GitHub's exact wording is unverified; `reason` is the rule broken.
 */
export class InvalidVariableName extends ApiError {
  constructor(reason: string) {
    super(422, `Variable name ${reason}`)
  }
}

/** 422 for a variable value over `maxBytes` UTF-8 bytes (§4: 48 KB per variable; wording unverified). */
export class VariableValueTooLarge extends ApiError {
  constructor(maxBytes: number) {
    super(422, `Variable value is too large (maximum is ${maxBytes} bytes).`)
  }
}

/** 422 when a repository already holds `max` variables (§4: 500 per repository; wording unverified). */
export class TooManyVariables extends ApiError {
  constructor(max: number) {
    super(422, `Repository variable limit reached (maximum is ${max}).`)
  }
}

/**
 * 403 (or 429) secondary rate limit (§5.3). The message contains "secondary rate limit", which
 * `@octokit/plugin-throttling` matches (`/\bsecondary rate\b/i`); `requestId` is the answer's
 * `x-github-request-id`.
 */
export class SecondaryRateLimitExceeded extends ApiError {
  constructor(status: 403 | 429, requestId: string) {
    super(
      status,
      'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. ' +
        `If you reach out to GitHub Support for help, please include the request ID ${requestId}.`
    )
  }
}

/** An error answer injected through `POST /_emulator/faults` (any 4xx/5xx status, any message). */
export class InjectedFault extends ApiError {
  constructor(status: number, message: string) {
    super(status, message)
  }
}

/*
 * Repository content (src/models/contents.ts, git-data.ts, commits.ts, branches.ts);
 * docs/github-behaviour.md §1 and §2.1.
 */

/** 404 `No commit found for the ref <ref>`: a contents `ref` that names nothing (§1.1). */
export class NoCommitFoundForRef extends ApiError {
  constructor(ref: string) {
    super(404, `No commit found for the ref ${ref}`)
  }
}

/** 404 `This repository is empty.`: contents / commits of a repository without commits. */
export class RepositoryIsEmpty extends ApiError {
  constructor() {
    super(404, 'This repository is empty.')
  }
}

/** 409 `Git Repository is empty.`: git data reads of a repository without commits (§2.1). */
export class GitRepositoryIsEmpty extends ApiError {
  constructor() {
    super(409, 'Git Repository is empty.')
  }
}

/** 404 `Branch <branch> not found`: a contents write or branch read naming a missing branch (§1.2). */
export class BranchNotFound extends ApiError {
  constructor(branch: string) {
    super(404, `Branch ${branch} not found`)
  }
}

/** 403 `too_large`: a contents GET of a blob over 1 MB with the default media type (§1.1). */
export class BlobTooLarge extends ApiError {
  constructor() {
    super(
      403,
      'This API returns blobs up to 1 MB in size. The requested blob is too large to fetch via the API, but you can use the Git Data API to request blobs up to 100 MB in size.',
      [{ resource: 'Blob', field: 'data', code: 'too_large' }]
    )
  }
}

/** 409 `<path> does not match <sha>`: contents PUT/DELETE with a stale or wrong `sha` (§1.2). */
export class ShaDoesNotMatch extends ApiError {
  constructor(path: string, sha: string) {
    super(409, `${path} does not match ${sha}`)
  }
}

/** 409 `is at <actual> but expected <expected>`: the branch moved under a contents write (§1.2). */
export class BranchMoved extends ApiError {
  constructor(actual: string, expected: string) {
    super(409, `is at ${actual} but expected ${expected}`)
  }
}

/** 422 with a bare message (`Reference already exists`, `Update is not a fast forward` …; §2.1). */
export class Unprocessable extends ApiError {
  constructor(message: string) {
    super(422, message)
  }
}

/** 404 (list) / 422 (get) `No commit found for SHA: <sha>`: `repos/list-commits` / `get-commit`. */
export class NoCommitFoundForSha extends ApiError {
  constructor(status: 404 | 422, sha: string) {
    super(status, `No commit found for SHA: ${sha}`)
  }
}

/** 404 `Branch not found`: `repos/get-branch` of a missing branch. */
export class BranchNotFoundForGet extends ApiError {
  constructor() {
    super(404, 'Branch not found')
  }
}

/*
 * GitHub Apps (src/models/apps.ts): App JWTs and installation access tokens, as GitHub words
 * them (docs/github-behaviour.md §7; the JWT claim messages are the ones `@octokit/auth-app`
 * matches to detect clock skew).
 */

/** 401 `A JSON web token could not be decoded`: not a JWT, a bad signature, an unknown App. */
export class JwtCouldNotBeDecoded extends ApiError {
  constructor() {
    super(401, 'A JSON web token could not be decoded')
  }
}

/** 401: the JWT's `exp` is missing or already passed (emulator clock). */
export class JwtExpired extends ApiError {
  constructor() {
    super(
      401,
      "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires"
    )
  }
}

/** 401: the JWT's `exp` lies more than 10 minutes after its `iat`. */
export class JwtExpirationTooFar extends ApiError {
  constructor() {
    super(401, "'Expiration time' claim ('exp') is too far in the future")
  }
}

/** 401: the JWT's `iat` is missing, not an integer, or in the future beyond the allowed skew. */
export class JwtIssuedAtInvalid extends ApiError {
  constructor() {
    super(
      401,
      "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued"
    )
  }
}

/** 422: an access-token request names a repository outside the installation. */
export class RepositoriesNotInInstallation extends ApiError {
  constructor() {
    super(
      422,
      'There is at least one repository that does not exist or is not accessible to the parent installation.'
    )
  }
}

/** 422: an access-token request asks for more than the installation was granted. */
export class PermissionsNotGranted extends ApiError {
  constructor() {
    super(422, 'The permissions requested are not granted to this installation.')
  }
}

/** 403: `GET /installation/repositories` without an installation access token. */
export class InstallationTokenRequired extends ApiError {
  constructor() {
    super(
      403,
      'You must authenticate with an installation access token in order to list repositories for an installation.'
    )
  }
}
