import type { InstallationRecord } from './models/app-records.js'
import type { CommentRecord } from './state.js'

/**
 * Domain events: what happened in one emulator instance, told by the models that made it happen
 * (an issue opened, a ref moved, a repository renamed). The webhook delivery engine
 * (`src/webhooks/`) subscribes and turns each into GitHub's webhook payloads; nothing else about
 * webhooks lives in the models. Listeners run synchronously after the change is made and must not
 * throw (a listener's error is caught and reported to `onError`, never to the request).
 *
 * The names follow GitHub's webhook event names and actions
 * (https://docs.github.com/en/webhooks/webhook-events-and-payloads).
 */
export type DomainEvent =
  | {
      name: 'issues'
      action: string
      repo: string
      number: number
      sender: string
      changes?: Record<string, unknown>
      /** The label id of a `labeled` / `unlabeled` action. */
      label?: number
    }
  | {
      name: 'issue_comment'
      action: string
      repo: string
      number: number
      commentId: number
      sender: string
      changes?: Record<string, unknown>
      /** The comment as it was, for `deleted` (it no longer exists). */
      record?: CommentRecord
    }
  | {
      name: 'push'
      repo: string
      /** The full ref name, `refs/heads/main` or `refs/tags/v1`. */
      ref: string
      /** The old and new object ids; forty zeros for a created or deleted ref (GitHub's form). */
      before: string
      after: string
      sender: string
      /** How many refs the same push moved (GitHub sends no event for more than three tags). */
      tagsInPush?: number
    }
  | {
      name: 'pull_request'
      action: string
      repo: string
      number: number
      sender: string
      /** For `edited`: the previous values, `{title: {from}}`, `{body: {from}}`, `{base: {ref: {from}}}`. */
      changes?: Record<string, unknown>
    }
  | {
      name: 'repository'
      action:
        | 'created'
        | 'deleted'
        | 'renamed'
        | 'edited'
        | 'archived'
        | 'unarchived'
        | 'publicized'
        | 'privatized'
      /** Full name after the change (for `renamed`, the new name). */
      repo: string
      sender: string
      /** The repository as it was answered by `GET /repos` just before a delete (it no longer exists). */
      snapshot?: Record<string, unknown>
      changes?: Record<string, unknown>
    }
  | {
      name: 'installation'
      action: 'created' | 'deleted' | 'suspend' | 'unsuspend'
      installationId: number
      sender: string
      /** The installation as it was, for `deleted` (it no longer exists). */
      record?: InstallationRecord
      /** Full names of the repositories it covered, for `deleted`. */
      repositories?: string[]
    }
  | {
      name: 'installation_repositories'
      action: 'added' | 'removed'
      installationId: number
      added: string[]
      removed: string[]
      sender: string
    }

/** Forty zeros: the `before` of a created ref and the `after` of a deleted one (GitHub's form). */
export const NULL_SHA = '0000000000000000000000000000000000000000'

/** A `push` event for one ref move; `null` SHAs (created / deleted ref) become `NULL_SHA`. */
export function pushEvent(
  repo: string,
  ref: string,
  before: string | null,
  after: string | null,
  sender: string,
  tagsInPush?: number
): DomainEvent {
  return {
    name: 'push',
    repo,
    ref,
    before: before || NULL_SHA,
    after: after || NULL_SHA,
    sender,
    ...(tagsInPush === undefined ? {} : { tagsInPush })
  }
}

export type DomainEventListener = (event: DomainEvent) => void

/** One instance's event bus: `emit` from models, `subscribe` from the delivery engine. */
export class DomainEvents {
  private readonly listeners = new Set<DomainEventListener>()

  constructor(private readonly onError: (error: unknown) => void = () => {}) {}

  /** Adds a listener; returns the function that removes it. */
  subscribe(listener: DomainEventListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Tells every listener, in subscription order; a listener's error goes to `onError`. */
  emit(event: DomainEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event)
      } catch (error) {
        this.onError(error)
      }
    }
  }
}
