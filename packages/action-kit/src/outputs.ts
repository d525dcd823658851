import * as core from '@actions/core'

/** An output value: strings as they are, numbers and booleans as text, `null`/`undefined` as `''`. */
export type OutputValue = string | number | boolean | null | undefined

/** Sets every output in `outputs` (action.yml names → values), in the order given. */
export function setOutputs(outputs: Record<string, OutputValue>): void {
  for (const [name, value] of Object.entries(outputs))
    core.setOutput(name, value === null || value === undefined ? '' : String(value))
}
