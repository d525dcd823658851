/**
 * The base class of every error @hubstore/core throws, and the marker `isHubstoreError`
 * (src/errors.ts) recognises across copies of core (each Action bundle has its own).
 */

export const MARKER = Symbol.for('hubstore.error')

/** Base class: a stable `code` plus a message built from facts. */
export abstract class HubstoreError extends Error {
  abstract readonly code: string
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    Object.defineProperty(this, MARKER, { value: true })
  }
}
