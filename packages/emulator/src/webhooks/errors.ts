import { ApiError, ValidationFailed } from '../errors.js'

/**
 * The webhook routes' errors, kept beside the engine (they extend `ApiError` of `src/errors.ts`,
 * which cannot re-export them without an import cycle). Messages not quoted from GitHub are
 * marked unverified in docs/github-behaviour.md §7.1.
 */

/** 422 `Validation Failed`: a hook `config` without a `url` (or with one that is not http(s)). */
export class HookUrlInvalid extends ValidationFailed {
  constructor() {
    super([
      { resource: 'Hook', code: 'custom', field: 'url', message: 'Config must contain a valid URL' }
    ])
  }
}

/** 422 `Validation Failed`: `events` is not an array of event names. */
export class HookEventsInvalid extends ValidationFailed {
  constructor() {
    super([
      {
        resource: 'Hook',
        code: 'invalid',
        field: 'events',
        message: 'Events must be a list of event names'
      }
    ])
  }
}

/**
 * 422: a redelivery asked for a delivery older than GitHub keeps them for redelivery (3 days,
 * by the emulator clock). Call `GET …/deliveries` for newer ones.
 */
export class DeliveryTooOldToRedeliver extends ApiError {
  constructor() {
    super(422, 'Cannot redeliver a delivery older than 3 days.')
  }
}

/** 400: `cursor` of a deliveries listing that this emulator never handed out. */
export class InvalidDeliveryCursor extends ApiError {
  constructor() {
    super(400, 'Invalid cursor. Use the cursor from the `link` header of the previous page.')
  }
}
