/**
 * Error codes that mean "the user asked for something that cannot be done as asked" (bad flag,
 * missing token, unknown repository, invalid input). The CLI prints one line for these and a
 * stack for anything else (Miniflare's USER_ERROR_CODES habit).
 */
export const USER_ERROR_CODES = new Set([
  'USAGE',
  'INVALID_INPUT',
  'MISSING_TOKEN',
  'OBJECT_NOT_FOUND',
  'DUPLICATE_OBJECT_ID',
  'INVALID_OBJECT_ID',
  'NOT_A_STORED_OBJECT',
  'INVALID_OBJECT_BODY',
  'GITHUB_REQUEST_FAILED'
])

/** A mistake in how a command was called; printed as one line with the fix. */
export class UsageError extends Error {
  readonly code = 'USAGE' as const
  override readonly name = 'UsageError'
}

/** Prints an error the way the CLI promises (one line for user errors) and returns the exit code. */
export function reportError(
  error: unknown,
  write: (s: string) => void = (s) => process.stderr.write(s)
): number {
  const code = (error as { code?: unknown })?.code
  if (typeof code === 'string' && USER_ERROR_CODES.has(code)) {
    write(`hubstore: ${(error as Error).message}\n`)
    return 2
  }
  write(
    `hubstore: unexpected failure\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`
  )
  return 1
}
