/**
 * GitHub's error answers, one class per answer (status plus exact message), and the one
 * serialiser that writes them. Routes and models throw these; only `errorBody` formats them.
 * Envelope and messages: `reference/github-api.md` §8 item 10, §3.2, §3.4, §5.3.
 */

/** Where every error body points (`documentation_url`). */
export const DOCUMENTATION_URL = 'https://docs.github.com/rest'

/** One entry of the `errors` array of a 422 `Validation Failed` body. */
export interface ValidationErrorItem {
  resource: string
  code: string
  field: string
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

/** 403 primary rate limit exhausted (§5.3 message texts). */
export class RateLimitExceeded extends ApiError {
  constructor(userId: number | null) {
    super(
      403,
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
