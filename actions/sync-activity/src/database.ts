import { InputError } from '@hubstore/action-kit'
import type { RepoContext } from '@hubstore/core'
import {
  openActivityDb,
  redactDatabaseUrl,
  withPersistedActivityDb,
  type ActivityDb
} from '@hubstore/core/activity'
import type { BackupResult, RestoreResult } from '@hubstore/core/data'
import { Inputs } from './constants.js'

/** Where the step's database was, and what its persistence did. */
export type DatabaseReport =
  | { kind: 'postgres'; url: string }
  | {
      kind: 'branch'
      /** the directory, as the `path` input gives it */
      path: string
      /** `repository@data-branch` */
      branch: string
      restore: RestoreResult | null
      backup: BackupResult
    }

/** What {@link withStepDatabase} reads. */
export interface DatabaseInputs {
  /** `database`: `undefined` = SQLite on the data branch */
  database: string | undefined
  /** the directory holding the SQLite file (absolute) and as given */
  dir: string
  path: string
  repository: string
  branch: string
}

/**
 * Runs `body` on the step's database: a `postgres://` URL as it is, or (the default) the SQLite
 * file in `dir`, restored from the data branch before and backed up after
 * (`withPersistedActivityDb`, docs/activity-action.md §3).
 *
 * @throws {InputError} when `database` is neither empty nor a PostgreSQL URL
 */
export async function withStepDatabase<T>(
  ctx: RepoContext,
  i: DatabaseInputs,
  body: (db: ActivityDb) => Promise<T>
): Promise<{ value: T; report: DatabaseReport }> {
  if (i.database !== undefined) {
    if (!/^postgres(ql)?:\/\/\S+$/.test(i.database))
      throw new InputError(
        Inputs.Database,
        'it is not a postgres:// URL',
        'Leave it empty for a SQLite file kept on the data branch, or give postgres://user:password@host/db.'
      )
    const db = await openActivityDb(i.database)
    try {
      return {
        value: await body(db),
        report: { kind: 'postgres', url: redactDatabaseUrl(i.database) }
      }
    } finally {
      await db.close()
    }
  }
  const run = await withPersistedActivityDb(
    ctx,
    i.dir,
    {
      branch: i.branch,
      ...(process.env.GITHUB_SERVER_URL ? { serverUrl: process.env.GITHUB_SERVER_URL } : {})
    },
    body
  )
  return {
    value: run.value,
    report: {
      kind: 'branch',
      path: i.path,
      branch: `${i.repository}@${i.branch}`,
      restore: run.restore,
      backup: run.backup
    }
  }
}
