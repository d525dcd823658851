/**
 * Names, limits and defaults of the state store, each with its unit and source.
 * Limits of repository variables: reference/github-api.md §4.
 */

/** The branch automation state lives on unless told otherwise (DESIGN.md, system 2). */
export const DEFAULT_STATE_BRANCH = 'automation-state'

/** GitHub's limit on one repository variable value: 48 KB (reference/github-api.md §4). */
export const VARIABLE_VALUE_MAX_BYTES = 48 * 1024

/** GitHub's limit on variables per repository (reference/github-api.md §4). */
export const VARIABLES_PER_REPO_MAX = 500

/** `per_page` maximum of `GET /repos/{o}/{r}/actions/variables` (default 10; §4). */
export const VARIABLES_PER_PAGE_MAX = 30

/**
 * Files read through one GraphQL query (one alias per file). GitHub limits a query's node count,
 * not its aliases; 100 keeps a query far below that limit.
 */
export const FILES_PER_QUERY = 100

/** Where cleanup writes the backup of every variable: `backups/variables-<timestamp>.json`. */
export const BACKUP_DIRECTORY = 'backups'

/** `format` field of a variables backup file. */
export const BACKUP_FORMAT = 'hubstore-variables-backup/1'

/** Commit trailer that identifies one logical change across retries (resolves lost answers). */
export const CHANGE_TRAILER = 'Hubstore-Change'
