import { NO_IDEMPOTENCY_KEY, oneOf, relativeFilePath, wholeNumber } from '@hubstore/action-kit'
import { SERIES_KINDS } from '@hubstore/core/sequence'

/** Input names of the increment-sequence action (action.yml `inputs`). */
export enum Inputs {
  Token = 'token',
  Repository = 'repository',
  Sequence = 'sequence',
  Path = 'path',
  Branch = 'branch',
  Count = 'count',
  InitialValue = 'initial-value',
  Format = 'format',
  Series = 'series',
  FiscalYearStartMonth = 'fiscal-year-start-month',
  TimeZone = 'time-zone',
  MaxLength = 'max-length',
  IdempotencyKey = 'idempotency-key',
  MaxAttempts = 'max-attempts',
  /** read by @hubstore/action-kit's clientFromInputs */
  RequestTimeout = 'request-timeout',
  MaxRateLimitWait = 'max-rate-limit-wait'
}

/** Output names of the increment-sequence action (action.yml `outputs`). */
export enum Outputs {
  Value = 'value',
  Last = 'last',
  Previous = 'previous',
  Formatted = 'formatted',
  CommitSha = 'commit-sha',
  Attempts = 'attempts',
  Key = 'key',
  Reused = 'reused'
}

/** `idempotency-key: none` turns idempotency off. */
export const NO_IDEMPOTENCY = NO_IDEMPOTENCY_KEY

/** Input specs particular to this action (the shared ones live in @hubstore/action-kit). */
export const sequenceInputSpecs = {
  path: relativeFilePath('a relative file path such as sequence_data.json'),
  count: wholeNumber({ min: 1, max: 100_000 }),
  initialValue: wholeNumber({ min: 0 }),
  month: wholeNumber({ min: 1, max: 12, expected: 'a month number from 1 to 12' }),
  maxAttempts: wholeNumber({ min: 1, max: 100 }),
  optionalLength: wholeNumber({ min: 1, optional: true }),
  series: oneOf(SERIES_KINDS)
}
