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
  MaxAttempts = 'max-attempts'
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
export const NO_IDEMPOTENCY = 'none'
