/**
 * Limits of repository variables and names of the migration's backups, each with its unit and
 * source. Limits of repository variables: docs/github-behaviour.md §4.
 */

/** GitHub's limit on one repository variable value: 48 KB (docs/github-behaviour.md §4). */
export const VARIABLE_VALUE_MAX_BYTES = 48 * 1024

/** GitHub's limit on variables per repository (docs/github-behaviour.md §4). */
export const VARIABLES_PER_REPO_MAX = 500

/** `per_page` maximum of `GET /repos/{o}/{r}/actions/variables` (default 10; §4). */
export const VARIABLES_PER_PAGE_MAX = 30

/** Where cleanup writes the backup of every variable: `backups/variables-<timestamp>.json`. */
export const BACKUP_DIRECTORY = 'backups'

/** `format` field of a variables backup file. */
export const BACKUP_FORMAT = 'hubstore-variables-backup/1'
