import * as core from '@actions/core'
import {
  inputSpecs,
  readInput,
  repoContextFromInputs,
  runStep,
  writeJobSummary,
  type InputSpec
} from '@hubstore/action-kit'
import {
  incrementSequence,
  type IncrementResult,
  type SequenceEvent,
  type SeriesKind
} from '@hubstore/core'
import { SERIES_KINDS } from '@hubstore/core/sequence'
import { z } from 'zod'
import { Inputs, NO_IDEMPOTENCY, Outputs } from './constants.js'

const wholeNumber = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z
    .string()
    .trim()
    .transform((s, ctx) => {
      const n = Number(s)
      if (!/^[0-9]+$/.test(s) || !Number.isSafeInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: 'out of range' })
        return z.NEVER
      }
      return n
    })

/** Input parsers of this action (shapes beyond action-kit's shared ones). */
export const specs = {
  count: {
    expected: 'a whole number from 1 to 100000',
    schema: wholeNumber(1, 100_000)
  } satisfies InputSpec<number>,
  initialValue: {
    expected: 'a whole number ≥ 0',
    schema: wholeNumber(0)
  } satisfies InputSpec<number>,
  month: {
    expected: 'a month number from 1 to 12',
    schema: wholeNumber(1, 12)
  } satisfies InputSpec<number>,
  maxAttempts: {
    expected: 'a whole number from 1 to 100',
    schema: wholeNumber(1, 100)
  } satisfies InputSpec<number>,
  optionalLength: {
    expected: 'a whole number ≥ 1, or empty',
    schema: z.union([
      z
        .string()
        .trim()
        .length(0)
        .transform(() => undefined),
      wholeNumber(1)
    ])
  } satisfies InputSpec<number | undefined>,
  series: {
    expected: `one of ${SERIES_KINDS.join(', ')}`,
    schema: z
      .string()
      .trim()
      .pipe(z.enum(SERIES_KINDS as [SeriesKind, ...SeriesKind[]]))
  } satisfies InputSpec<SeriesKind>
}

/**
 * The idempotency key: the input, else `<run id>-<run attempt>-<job>-<step>` from the runner's
 * variables (so a repeated step of the same job attempt gets its numbers back, and two steps of
 * one job do not share them); `none` = no key. Outside Actions (no `GITHUB_RUN_ID`): no key.
 */
export function idempotencyKeyOf(
  input: string | undefined,
  env: Record<string, string | undefined>
): string | undefined {
  if (input === NO_IDEMPOTENCY) return undefined
  if (input !== undefined) return input
  if (!env.GITHUB_RUN_ID) return undefined
  return [env.GITHUB_RUN_ID, env.GITHUB_RUN_ATTEMPT ?? '1', env.GITHUB_JOB, env.GITHUB_ACTION]
    .filter((part) => part)
    .join('-')
}

/** One log line per retry-relevant event. */
export function describeEvent(event: SequenceEvent): string {
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

/** The action's entry: inputs → incrementSequence → outputs and a job summary. */
export async function run(): Promise<void> {
  await runStep(async () => {
    const { ctx, repository } = repoContextFromInputs()
    const name = readInput(Inputs.Sequence, inputSpecs.requiredString)
    const path = readInput(Inputs.Path, inputSpecs.requiredString)
    const branch = readInput(Inputs.Branch, inputSpecs.optionalString)
    const count = readInput(Inputs.Count, specs.count)
    const initialValue = readInput(Inputs.InitialValue, specs.initialValue)
    const format = readInput(Inputs.Format, inputSpecs.optionalString)
    const series = readInput(Inputs.Series, specs.series)
    const fiscalYearStartMonth = readInput(Inputs.FiscalYearStartMonth, specs.month)
    const timeZone = readInput(Inputs.TimeZone, inputSpecs.requiredString)
    const maxLength = readInput(Inputs.MaxLength, specs.optionalLength)
    const idempotencyKey = idempotencyKeyOf(
      readInput(Inputs.IdempotencyKey, inputSpecs.optionalString),
      process.env
    )
    const maxAttempts = readInput(Inputs.MaxAttempts, specs.maxAttempts)

    const result = await incrementSequence(ctx, {
      name,
      path,
      ...(branch ? { branch } : {}),
      count,
      initialValue,
      ...(format ? { format } : {}),
      series,
      fiscalYearStartMonth,
      timeZone,
      ...(maxLength !== undefined ? { maxLength } : {}),
      ...(idempotencyKey ? { idempotencyKey } : {}),
      maxAttempts,
      onEvent: (event) => core.info(describeEvent(event))
    })
    report(result, { repository, path, branch, idempotencyKey })
    await summarise(result, { repository, path, branch })
  })
}

function report(
  r: IncrementResult,
  where: { repository: string; path: string; branch?: string; idempotencyKey?: string }
): void {
  core.setOutput(Outputs.Value, String(r.first))
  core.setOutput(Outputs.Last, String(r.last))
  core.setOutput(Outputs.Previous, String(r.previous))
  core.setOutput(Outputs.Formatted, r.formatted?.first ?? '')
  core.setOutput(Outputs.CommitSha, r.commitSha ?? '')
  core.setOutput(Outputs.Attempts, String(r.attempts))
  core.setOutput(Outputs.Key, r.key)
  core.setOutput(Outputs.Reused, String(r.reused))
  const numbers = r.first === r.last ? `${r.first}` : `${r.first}–${r.last}`
  if (r.reused)
    core.notice(
      `Idempotency key "${where.idempotencyKey}" had already received ${r.key} ${numbers}; ` +
        'returning the same number(s), nothing written. If this is a different job (a matrix ' +
        'leg, another call of a reusable workflow), give each its own idempotency-key.'
    )
  core.info(
    `${r.key} ${numbers}${r.formatted ? ` (${r.formatted.first})` : ''} from ` +
      `${where.repository}:${where.path}${where.branch ? `@${where.branch}` : ''}: ` +
      `${r.reused ? 'already claimed' : `commit ${r.commitSha}`}, ${r.attempts} attempt(s), ` +
      `${r.requests} request(s)`
  )
}

async function summarise(
  r: IncrementResult,
  where: { repository: string; path: string; branch?: string }
): Promise<void> {
  await writeJobSummary('hubstore: increment-sequence', [
    {
      text:
        `${r.reused ? 'Returned the number(s) this run already had' : 'Reserved'} ` +
        `${r.first === r.last ? r.first : `${r.first}–${r.last}`} of \`${r.key}\` in ` +
        `${where.repository}:${where.path}${where.branch ? ` (branch ${where.branch})` : ''}.`
    },
    {
      table: {
        header: ['Sequence', 'Value', 'Last', 'Previous', 'Formatted', 'Commit', 'Attempts'],
        rows: [
          [
            r.key,
            r.first,
            r.last,
            r.previous,
            r.formatted?.first ?? '',
            r.commitSha ?? '',
            r.attempts
          ]
        ]
      }
    }
  ])
}
