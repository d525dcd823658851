/** Errors of the branch store and the automation state: documents, the state branch, repository variables, mappings and backups. The catalogue is src/errors.ts. */
import { displayPath } from '../json/errors.js'
import { HubstoreError } from './base.js'

/** Every attempt to commit a change to a state branch lost the race to another writer. */
export class StateConflictError extends HubstoreError {
  override readonly name = 'StateConflictError'
  readonly code = 'STATE_CONFLICT'
  constructor(
    /** `owner/repo` */
    readonly repository: string,
    readonly branch: string,
    /** the paths the change touched */
    readonly paths: string[],
    readonly attempts: number,
    /** what the last attempt ran into, e.g. `STALE_DATA` or `422 Update is not a fast forward` */
    readonly lastProblem: string
  ) {
    super(
      `Could not commit ${describePaths(paths)} to branch ${branch} of ${repository}: ` +
        `${attempts} attempt(s) each lost a race to another writer (last: ${lastProblem}). ` +
        `Nothing was committed for this call. Run it again, or put concurrent writers in one ` +
        `workflow concurrency group (in code, also raise maxAttempts).`
    )
  }
}

/** A document on a state branch is not JSON, or fails the zod schema registered for its path. */
export class InvalidStateDocumentError extends HubstoreError {
  override readonly name = 'InvalidStateDocumentError'
  readonly code = 'INVALID_STATE_DOCUMENT'
  constructor(
    readonly repository: string,
    readonly branch: string,
    readonly path: string,
    /** the offending field as a dotted path (`posts[3].photo_id`); `''` for the whole document */
    readonly field: string,
    readonly problem: string,
    /** `read`: found on the branch; `write`: refused before anything was written */
    readonly when: 'read' | 'write'
  ) {
    super(
      `${path} on branch ${branch} of ${repository} ${when === 'read' ? 'is' : 'would be'} ` +
        `invalid: ${field ? `field "${displayPath(field)}" ` : ''}${problem}. ` +
        (when === 'read'
          ? `Fix the file on the branch (its history has the previous version).`
          : `Nothing was written; pass a value that matches the schema for this path.`)
    )
  }
}

/** The state branch does not exist and the store was told not to create it. */
export class StateBranchNotFoundError extends HubstoreError {
  override readonly name = 'StateBranchNotFoundError'
  readonly code = 'STATE_BRANCH_NOT_FOUND'
  constructor(
    readonly repository: string,
    readonly branch: string
  ) {
    super(
      `Branch ${branch} does not exist in ${repository} and creating it is switched off ` +
        `(createBranch: false). Create the branch, or allow "orphan" or "default-branch".`
    )
  }
}

/** A repository variable value would exceed GitHub's 48 KB limit. Nothing was written. */
export class VariableTooLargeError extends HubstoreError {
  override readonly name = 'VariableTooLargeError'
  readonly code = 'VARIABLE_TOO_LARGE'
  constructor(
    readonly variable: string,
    readonly bytes: number,
    readonly maxBytes: number
  ) {
    super(
      `Repository variable ${variable} would be ${bytes} bytes; GitHub accepts at most ` +
        `${maxBytes} bytes (48 KB) per variable. Nothing was written. Move this state to the git ` +
        `backend (STORAGE_BACKEND=git), which stores files up to 100 MB.`
    )
  }
}

/** GitHub refused access to repository variables (403): the token has no Variables permission. */
export class VariablesAccessError extends HubstoreError {
  override readonly name = 'VariablesAccessError'
  readonly code = 'VARIABLES_ACCESS_DENIED'
  constructor(
    readonly repository: string,
    /** e.g. `list variables`, `delete variable PRIMARY_ALBUM_1_POSTS` */
    readonly operation: string,
    readonly status: number,
    readonly githubMessage: string | undefined,
    options?: { cause?: unknown }
  ) {
    super(
      `GitHub answered ${status}${githubMessage ? ` (${githubMessage})` : ''} to ${operation} ` +
        `in ${repository}. GITHUB_TOKEN has no variables permission: use a PAT (classic: repo) or ` +
        `a fine-grained/App token with "Variables" read (write to change them); to only read, ` +
        `pass vars-json: \${{ toJSON(vars) }} instead.`,
      options
    )
  }
}

/** The mapping of legacy variable names to paths is malformed. */
export class InvalidMappingError extends HubstoreError {
  override readonly name = 'InvalidMappingError'
  readonly code = 'INVALID_MAPPING'
  constructor(
    /** the offending field as a dotted path (`rules[2].pattern`); `''` for the whole mapping */
    readonly field: string,
    readonly problem: string
  ) {
    super(
      `The variable mapping is invalid: ${field ? `field "${displayPath(field)}" ` : ''}${problem}. Expected ` +
        `{"rules": [{"pattern": "{account}_ALBUM_{album}_POSTS", "path": ` +
        `"{account:lower}-account/album-{album:lower}/posts.json", "kind": "posts"}], ` +
        `"include_defaults": true}.`
    )
  }
}

/** The state storage configuration is invalid, or the startup check of a backend failed. */
export class StateStorageConfigError extends HubstoreError {
  override readonly name = 'StateStorageConfigError'
  readonly code = 'STATE_STORAGE_CONFIG'
  constructor(
    /** the setting (`STORAGE_BACKEND`) or backend (`git`, `repository_variables`) at fault */
    readonly setting: string,
    readonly problem: string,
    readonly fix: string,
    options?: { cause?: unknown }
  ) {
    super(`State storage: ${setting} ${problem}. ${fix}`, options)
  }
}

/** rollback found no `backups/variables-*.json` on the state branch. */
export class BackupNotFoundError extends HubstoreError {
  override readonly name = 'BackupNotFoundError'
  readonly code = 'BACKUP_NOT_FOUND'
  constructor(
    readonly repository: string,
    readonly branch: string
  ) {
    super(
      `No variables backup (backups/variables-*.json) on branch ${branch} of ${repository}. ` +
        `cleanup writes one before deleting anything; without it there is nothing to roll back.`
    )
  }
}

function describePaths(paths: string[]): string {
  if (paths.length === 0) return 'a change'
  if (paths.length <= 3) return paths.join(', ')
  return `${paths.slice(0, 3).join(', ')} and ${paths.length - 3} more file(s)`
}
