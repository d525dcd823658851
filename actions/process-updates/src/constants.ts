/** Input names of the process-updates action (action.yml `inputs`). */
export enum Inputs {
  Token = 'token',
  Repository = 'repository',
  IssueNumber = 'issue-number',
  FailOnError = 'fail-on-error',
  /** read by @hubstore/action-kit's clientFromInputs */
  RequestTimeout = 'request-timeout',
  MaxRateLimitWait = 'max-rate-limit-wait',
  Config = 'config'
}

/** Output names of the process-updates action (action.yml `outputs`). */
export enum Outputs {
  ProcessedIssues = 'processed-issues',
  Applied = 'applied',
  Rejected = 'rejected',
  ObjectIds = 'object-ids',
  Failed = 'failed',
  FailedIssues = 'failed-issues'
}

/**
 * The label that marks an active gh-store object (docs/gh-store-format.md §1.1), unless the
 * `config` input's `store.base_label` names another.
 */
export const STORED_OBJECT_LABEL = 'stored-object'
