/** Errors of a store's configuration (gh-store's `config.yml`) and of the client-side request budget it sets. The catalogue is src/errors.ts. */
import { HubstoreError } from './base.js'

/** A `config.yml` is not YAML, or a key in it has the wrong type or value. */
export class InvalidStoreConfigError extends HubstoreError {
  override readonly name = 'InvalidStoreConfigError'
  readonly code = 'INVALID_STORE_CONFIG'
  constructor(
    /** where the file came from (a path, or `config.yml` for text) */
    readonly source: string,
    /** the dotted key path, e.g. `store.reactions.processed`; `''` for the whole file */
    readonly key: string,
    /** what is wrong and how to fix it */
    readonly problem: string,
    options?: { cause?: unknown }
  ) {
    super(`${source}: ${key === '' ? 'the file' : `key ${key}`} is invalid: ${problem}.`, options)
  }
}

/**
 * The client's request budget (`store.rate_limit.max_requests_per_hour`) is spent: the request
 * that would exceed it was not sent.
 */
export class RequestBudgetExceededError extends HubstoreError {
  override readonly name = 'RequestBudgetExceededError'
  readonly code = 'REQUEST_BUDGET_EXCEEDED'
  constructor(
    /** the budget, requests per rolling hour */
    readonly maxRequestsPerHour: number,
    /** the request that was not sent, e.g. `GET /repos/o/r/issues` */
    readonly request: string
  ) {
    super(
      `Stopped before ${request}: this client already sent ${maxRequestsPerHour} requests in ` +
        `the last hour, the budget store.rate_limit.max_requests_per_hour sets. Nothing more ` +
        `was sent; rerun later, or raise the budget in config.yml.`
    )
  }
}
