/** `openActivityDb`: one URL names the engine and where the database is. */
import { InvalidActivityDatabaseError } from '../../errors/activity.js'
import type { ActivityDb } from '../types.js'
import { migrate } from './migrate.js'
import { openPostgres } from './postgres.js'
import { openSqlite } from './sqlite.js'

/** Options of {@link openActivityDb}. */
export interface OpenActivityDbOptions {
  /** PostgreSQL pool size (default 5); SQLite has one connection per process. */
  poolSize?: number
  /** SQLite: milliseconds to wait for another process's write lock (default 5,000). */
  busyTimeoutMs?: number
  /** Apply missing migrations on open (default `true`). */
  migrate?: boolean
}

/** The URL with its password hidden, for messages. */
export function redactDatabaseUrl(url: string): string {
  return url.replace(/^(postgres(?:ql)?:\/\/[^:/@]*:)[^@]*@/, '$1***@')
}

/**
 * Opens the activity database named by `url` and brings its schema up to date:
 *
 * - `sqlite:PATH` (or `sqlite://PATH`, or a bare path ending `.db` / `.sqlite`): a SQLite file,
 *   created when missing, WAL; `sqlite::memory:` is a private in-memory database (tests).
 * - `postgres://…` / `postgresql://…`: a PostgreSQL pool (`pg`), `poolSize` connections.
 *
 * @throws InvalidActivityDatabaseError (`INVALID_ACTIVITY_DATABASE`) for another scheme, or when
 *   the file or server cannot be opened (the driver's error is the `cause`).
 * @throws ActivitySchemaTooNewError (`ACTIVITY_SCHEMA_TOO_NEW`), from migrate.
 */
export async function openActivityDb(
  url: string,
  options: OpenActivityDbOptions = {}
): Promise<ActivityDb> {
  let db: ActivityDb
  try {
    if (/^postgres(ql)?:\/\//.test(url)) db = openPostgres(url, { poolSize: options.poolSize })
    else {
      const m = /^sqlite:(?:\/\/)?(.+)$/.exec(url) ?? /^([^:]+\.(?:db|sqlite3?))$/.exec(url)
      if (!m) throw new InvalidActivityDatabaseError(redactDatabaseUrl(url), 'unknown scheme')
      db = openSqlite(m[1], { busyTimeoutMs: options.busyTimeoutMs })
    }
  } catch (error) {
    if (error instanceof InvalidActivityDatabaseError) throw error
    throw new InvalidActivityDatabaseError(redactDatabaseUrl(url), String(error), { cause: error })
  }
  if (options.migrate !== false) {
    try {
      await migrate(db)
    } catch (error) {
      await db.close().catch(() => undefined)
      if ((error as { code?: string }).code === 'ACTIVITY_SCHEMA_TOO_NEW') throw error
      throw new InvalidActivityDatabaseError(
        redactDatabaseUrl(url),
        (error as Error).message ?? String(error),
        { cause: error }
      )
    }
  }
  return db
}
