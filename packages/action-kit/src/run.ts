import * as core from '@actions/core'
import { optionInputs } from './inputs.js'

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

/**
 * A one-line description of any thrown value, without stack or attached request data. Core's
 * `INVALID_OPTIONS` on an option read from an input ({@link optionInputs}) names the input and
 * echoes its value (`InvalidOptionsError.as`).
 */
export function describeError(error: unknown): string {
  error = inInputTerms(error)
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code
    return typeof code === 'string' ? `${code}: ${error.message}` : error.message
  }
  return `Unexpected error: ${String(error)}`
}

/** Core's option error re-worded for the input the option came from; anything else as is. */
function inInputTerms(error: unknown): unknown {
  const e = error as { code?: unknown; option?: unknown; label?: unknown; as?: unknown }
  if (e?.code !== 'INVALID_OPTIONS' || typeof e.option !== 'string' || e.label !== undefined)
    return error
  const input = optionInputs.get(e.option)
  if (input === undefined || typeof e.as !== 'function') return error
  return (e.as as (label: string) => unknown).call(error, `Input "${input}"`)
}
