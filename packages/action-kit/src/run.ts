import * as core from '@actions/core'

/**
 * The one try/catch of an action's `run()` (actions/typescript-action's shape, fixed to fail on
 * ANY thrown value, not only `Error`). A thrown value with a string `code` (hubstore's typed
 * errors, {@link InputError}) is reported as `<code>: <message>`.
 */
export async function runStep(body: () => Promise<void>): Promise<void> {
  try {
    await body()
  } catch (error) {
    core.setFailed(describeError(error))
  }
}

/** A one-line description of any thrown value, without stack or attached request data. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code
    return typeof code === 'string' ? `${code}: ${error.message}` : error.message
  }
  return `Unexpected error: ${String(error)}`
}
