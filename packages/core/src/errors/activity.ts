/** Errors of the activity module (`@hubstore/core/activity`). The catalogue is src/errors.ts. */
import { HubstoreError } from './base.js'

/** The database URL names no engine the module has, or cannot be opened. */
export class InvalidActivityDatabaseError extends HubstoreError {
  override readonly name = 'InvalidActivityDatabaseError'
  readonly code = 'INVALID_ACTIVITY_DATABASE'
  constructor(
    /** the URL with any password replaced by `***` */
    readonly url: string,
    readonly problem: string,
    options?: { cause?: unknown }
  ) {
    super(
      `Cannot open the activity database ${url}: ${problem}. ` +
        'Pass sqlite:PATH (a file, or sqlite::memory:) or postgres://user@host:port/database.',
      options
    )
  }
}

/** The database holds migrations this version of hubstore does not know (written by a newer one). */
export class ActivitySchemaTooNewError extends HubstoreError {
  override readonly name = 'ActivitySchemaTooNewError'
  readonly code = 'ACTIVITY_SCHEMA_TOO_NEW'
  constructor(
    readonly databaseVersion: number,
    readonly knownVersion: number
  ) {
    super(
      `The activity database is at schema version ${databaseVersion}, newer than the ${knownVersion} ` +
        'this hubstore knows. Nothing was changed: upgrade hubstore, or point it at another database.'
    )
  }
}

/** A stored webhook delivery cannot be processed: its payload lacks what its event needs. */
export class InvalidWebhookPayloadError extends HubstoreError {
  override readonly name = 'InvalidWebhookPayloadError'
  readonly code = 'INVALID_WEBHOOK_PAYLOAD'
  constructor(
    readonly guid: string,
    readonly event: string,
    /** the missing or malformed field, as a dotted path */
    readonly field: string
  ) {
    super(
      `Delivery ${guid} (${event}) cannot be processed: field "${field}" is missing or malformed. ` +
        'It is marked failed and kept in the inbox; check what sent it (the signature was valid).'
    )
  }
}
