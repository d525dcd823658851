import type { SequenceEvent } from '@hubstore/core'

/** The `idempotency-key` value that turns idempotency off. */
export const NO_IDEMPOTENCY_KEY = 'none'

/**
 * The idempotency key of a step that reserves sequence numbers: the input, else
 * `<run id>-<run attempt>-<job>-<step>` from the runner's variables (so a repeated step of the
 * same job attempt gets its numbers back, and two steps of one job do not share them);
 * {@link NO_IDEMPOTENCY_KEY} = no key. Outside Actions (no `GITHUB_RUN_ID`): no key.
 */
export function idempotencyKeyOf(
  input: string | undefined,
  env: Record<string, string | undefined>
): string | undefined {
  if (input === NO_IDEMPOTENCY_KEY) return undefined
  if (input !== undefined) return input
  if (!env.GITHUB_RUN_ID) return undefined
  return [env.GITHUB_RUN_ID, env.GITHUB_RUN_ATTEMPT ?? '1', env.GITHUB_JOB, env.GITHUB_ACTION]
    .filter((part) => part)
    .join('-')
}

/** One log line per retry-relevant event of a sequence write. */
export function describeSequenceEvent(event: SequenceEvent): string {
  switch (event.type) {
    case 'conflict':
      return `attempt ${event.attempt}: another writer got in first (${event.problem}); reading again`
    case 'ambiguous':
      return `attempt ${event.attempt}: the write's answer was lost (${event.problem}); reading back`
    case 'settled':
      return event.ours
        ? `attempt ${event.attempt}: the write had been committed (${event.how})`
        : `attempt ${event.attempt}: the write had not been committed (${event.how}); retrying`
    case 'backoff':
      return `waiting ${event.waitMs} ms before attempt ${event.attempt}`
  }
}
