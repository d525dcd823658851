/** Errors of snapshot files. The catalogue is src/errors.ts. */
import { displayPath } from '../json/errors.js'
import { HubstoreError } from './base.js'

/** A snapshot file is not gh-store's snapshot format. */
export class InvalidSnapshotError extends HubstoreError {
  override readonly name = 'InvalidSnapshotError'
  readonly code = 'INVALID_SNAPSHOT'
  constructor(
    /** where the snapshot was read from (a path, or `path@branch`) */
    readonly source: string,
    /** the offending field as a dotted path (`objects.metrics.meta.version`); `''` for the whole file */
    readonly field: string,
    readonly problem: string
  ) {
    super(
      `The snapshot ${source} is not a gh-store snapshot: ${field ? `field "${displayPath(field)}" ` : ''}` +
        `${problem}. Fix or delete the file, then take a full snapshot (mode full).`
    )
  }
}

/** An incremental snapshot was asked for, but there is no snapshot file to update. */
export class SnapshotNotFoundError extends HubstoreError {
  override readonly name = 'SnapshotNotFoundError'
  readonly code = 'SNAPSHOT_NOT_FOUND'
  constructor(readonly source: string) {
    super(
      `Snapshot file not found: ${source}. Take a full snapshot first (hubstore snapshot, or the ` +
        `snapshot action with mode full).`
    )
  }
}

/**
 * The compare-and-swap writes of a snapshot file ran out of attempts, the last one lost to
 * another writer (a budget spent on 5xx answers is a `GitHubRequestError` instead).
 */
export class SnapshotConflictError extends HubstoreError {
  override readonly name = 'SnapshotConflictError'
  readonly code = 'SNAPSHOT_CONFLICT'
  constructor(
    readonly repository: string,
    readonly path: string,
    readonly attempts: number,
    /** e.g. `409 data/store-snapshot.json does not match 3b1f…` */
    readonly lastProblem: string,
    /** how many of the attempts found the file changed by another writer (default all) */
    readonly conflicts: number = attempts
  ) {
    super(
      `Could not write ${path} in ${repository}: ${attempts} attempt(s), ` +
        `${conflicts >= attempts ? 'each' : `${conflicts} of them`} found the file changed by ` +
        `another writer (last: ${lastProblem}). Nothing was written. Run it again, or put ` +
        `snapshot jobs in one workflow concurrency group.`
    )
  }
}
