import { isHubstoreError, type HubstoreErrorCode } from '@hubstore/core'

/**
 * @hubstore/core error codes that mean "the user asked for something that cannot be done as
 * asked": the fix is on the caller's side (a flag, an argument, the token, the repository's
 * content), and the error's message says it. Every code in packages/core/src/errors.ts is
 * either here or in {@link SYSTEM_ERROR_CODES} (the type check below fails otherwise).
 */
const CORE_USER_ERROR_CODES = [
  // an option or argument core refuses
  'INVALID_OPTIONS',
  'INVALID_PATH',
  'INVALID_OBJECT_ID',
  'INVALID_OBJECT_DATA',
  'OBJECT_TOO_LARGE',
  'INVALID_ALIAS',
  'INVALID_MAPPING',
  'SEQUENCE_FORMAT_TOO_LONG',
  'IDEMPOTENCY_KEY_CONFLICT',
  'VARIABLE_TOO_LARGE',
  // activity: a missing or unusable token / App credential
  'ACTIVITY_AUTH_INVALID',
  // asks for something that does not exist, or already does
  'OBJECT_NOT_FOUND',
  'OBJECT_ALREADY_EXISTS',
  'NOT_A_STORED_OBJECT',
  'VERSION_NOT_FOUND',
  'SNAPSHOT_NOT_FOUND',
  'STATE_BRANCH_NOT_FOUND',
  'BACKUP_NOT_FOUND',
  'RESTORE_POINT_NOT_FOUND',
  'REPOSITORY_NOT_FOUND',
  // the repository's content must be fixed by hand first
  'DUPLICATE_OBJECT_ID',
  'INVALID_OBJECT_BODY',
  'HISTORY_INCOMPLETE',
  'INVALID_SNAPSHOT',
  'INVALID_SEQUENCE_FILE',
  'INVALID_STATE_DOCUMENT',
  'INVALID_DATA_MANIFEST',
  // the data directory must be fixed first (a symlink, a device file, a failing hook)
  'DATA_CAPTURE_FAILED',
  'INVALID_STORE_CONFIG',
  // the token or the setup: missing permission, a bad storage configuration
  'LABELS_NOT_APPLIED',
  'VARIABLES_ACCESS_DENIED',
  'STATE_STORAGE_CONFIG',
  'LFS_QUOTA_EXCEEDED',
  // the activity database: a bad URL, or a schema written by a newer hubstore
  'INVALID_ACTIVITY_DATABASE',
  'ACTIVITY_SCHEMA_TOO_NEW'
] as const satisfies readonly HubstoreErrorCode[]

/**
 * @hubstore/core error codes that mean "the operation failed": the call was valid, but GitHub or
 * other writers got in the way (running it again, or with another token, may succeed). They are expected conditions, not
 * bugs: printed as one line (the message says what happened and what to do), exit 1.
 */
export const SYSTEM_ERROR_CODES = [
  // every attempt lost a race to another writer
  'SEQUENCE_CONTENTION',
  'STATE_CONFLICT',
  'SNAPSHOT_CONFLICT',
  'DATA_BACKUP_CONFLICT',
  // another processor held or took over an object's lease
  'OBJECT_PROCESSING_CONFLICT',
  // GitHub's answer to a write was lost and reading back failed
  'SEQUENCE_OUTCOME_UNKNOWN',
  // the client-side request budget (config.yml store.rate_limit) is spent: run again later
  'REQUEST_BUDGET_EXCEEDED',
  // activity: the governor's rate-limit reserve reached (work saved), another sweep running
  'BUDGET_RESERVE_REACHED',
  'SWEEP_LOCKED',
  // activity: GitHub refused the GraphQL change query for this token (detect graphql)
  'CHANGE_QUERY_REFUSED',
  // a remote error: GitHub refused the request (401/403/404/422) or kept failing (5xx after
  // retries), or could not be reached (no connection, no answer within --request-timeout); the
  // message carries GitHub's status and message
  'GITHUB_REQUEST_FAILED',
  // a rate limit that lifts later than the client may wait (--max-rate-limit-wait)
  'RATE_LIMITED',
  // a Git LFS request failed, or downloaded bytes did not match their hash
  'LFS_REQUEST_FAILED',
  'DATA_INTEGRITY',
  // a signed webhook delivery whose payload lacks what its event needs (kept, marked failed)
  'INVALID_WEBHOOK_PAYLOAD'
] as const satisfies readonly HubstoreErrorCode[]

/** Compiles only while every core error code is classified as a user or a system error. */
export const EVERY_CORE_CODE_CLASSIFIED: [
  Exclude<
    HubstoreErrorCode,
    (typeof CORE_USER_ERROR_CODES)[number] | (typeof SYSTEM_ERROR_CODES)[number]
  >
] extends [never]
  ? true
  : never = true

/**
 * Error codes that mean "the user asked for something that cannot be done as asked" (bad flag,
 * missing token, unknown repository, invalid input, repository content to fix). The CLI prints
 * one line for these (`hubstore: CODE: message` for core errors) and exits 2; anything else is
 * printed with its stack and exits 1 (Miniflare's USER_ERROR_CODES habit).
 */
export const USER_ERROR_CODES: ReadonlySet<string> = new Set<string>([
  // the command line itself (CLI) and action inputs (@hubstore/action-kit's InputError)
  'USAGE',
  'INVALID_INPUT',
  ...CORE_USER_ERROR_CODES
])

const SYSTEM_CODES: ReadonlySet<string> = new Set<string>(SYSTEM_ERROR_CODES)

/** A mistake in how a command was called; printed as one line with the fix. */
export class UsageError extends Error {
  readonly code = 'USAGE' as const
  override readonly name = 'UsageError'
}

/**
 * The CLI's exit codes (README "Exit codes and JSON"): one meaning each, for every command.
 */
export const EXIT = {
  /** the command did what it was asked */
  OK: 0,
  /** the operation failed: contention, a mismatch found, a remote error, or a bug */
  FAILED: 1,
  /** a usage or input error: a bad flag or argument (commander's own errors too), bad input */
  USAGE: 2,
  /** `state get`: the document does not exist (and no `--default` was given) */
  NOT_FOUND: 3
} as const

/**
 * Prints an error the way the CLI promises and returns the exit code: one line and
 * {@link EXIT}.USAGE (2) for user errors, one line and {@link EXIT}.FAILED (1) for the expected
 * failures (contention, lost answers, GitHub refusing), the stack and 1 for anything else (a bug).
 */
export function reportError(
  error: unknown,
  write: (s: string) => void = (s) => process.stderr.write(s)
): number {
  const code = (error as { code?: unknown })?.code
  if (typeof code === 'string' && USER_ERROR_CODES.has(code)) {
    const prefix = isHubstoreError(error) ? `${code}: ` : ''
    write(`hubstore: ${prefix}${(error as Error).message}\n`)
    return EXIT.USAGE
  }
  if (typeof code === 'string' && SYSTEM_CODES.has(code)) {
    write(`hubstore: ${code}: ${(error as Error).message}\n`)
    return EXIT.FAILED
  }
  write(
    `hubstore: unexpected failure\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`
  )
  return EXIT.FAILED
}
