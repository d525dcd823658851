/**
 * Names, limits and defaults of the branch store, each with its unit and source.
 */

/** The branch automation state lives on unless told otherwise (docs/architecture.md §2.2). */
export const DEFAULT_STATE_BRANCH = 'automation-state'

/**
 * Files read through one GraphQL query (one alias per file). GitHub limits a query's node count,
 * not its aliases; 100 keeps a query far below that limit.
 */
export const FILES_PER_QUERY = 100

/** Commit trailer that identifies one logical change across retries (resolves lost answers). */
export const CHANGE_TRAILER = 'Hubstore-Change'
