/**
 * The SQLite engine of the activity store (`node:sqlite`, Node 24): one connection per process,
 * WAL journal (readers never block the writer; several processes may share the file), a busy
 * timeout so a second process waits for the write lock instead of failing, foreign keys on.
 *
 * `node:sqlite` is synchronous, and one connection has one transaction at a time: every statement
 * and every transaction of this handle goes through one queue, so a transaction that awaits
 * (a handler fetching from GitHub) never has another caller's statement run inside it.
 */
import { DatabaseSync, type StatementSync } from 'node:sqlite'
import type { ActivityDb, SqlValue } from '../types.js'

/** Options of {@link openSqlite}. */
export interface SqliteOptions {
  /** Milliseconds a statement waits for another connection's write lock (default 5,000). */
  busyTimeoutMs?: number
}

/**
 * SQLite's own busy wait blocks the thread, so a second connection of the same process could
 * never let the first one finish: SQLite waits only this long (ms), and the rest of the
 * `busyTimeoutMs` is waited asynchronously, retrying.
 */
const SYNC_BUSY_MS = 20

function isBusy(error: unknown): boolean {
  const e = error as { errcode?: number; message?: string }
  return (e?.errcode ?? 0) % 256 === 5 || /database is locked|SQLITE_BUSY/.test(e?.message ?? '')
}

type Row = Record<string, unknown>

/** Statements run directly on the connection (inside a transaction, or under the queue). */
class Direct implements ActivityDb {
  readonly engine = 'sqlite' as const
  private readonly statements = new Map<string, StatementSync>()
  constructor(readonly raw: DatabaseSync) {}

  statement(sql: string): StatementSync {
    let s = this.statements.get(sql)
    if (!s) {
      s = this.raw.prepare(sql)
      this.statements.set(sql, s)
    }
    return s
  }
  async all<T = Row>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return this.statement(sql).all(...params) as T[]
  }
  async get<T = Row>(sql: string, params: readonly SqlValue[] = []): Promise<T | undefined> {
    return this.statement(sql).get(...params) as T | undefined
  }
  async run(sql: string, params: readonly SqlValue[] = []): Promise<{ changes: number }> {
    return { changes: Number(this.statement(sql).run(...params).changes) }
  }
  /** Already inside the transaction: nested calls join it. */
  async transaction<T>(fn: (tx: ActivityDb) => Promise<T>): Promise<T> {
    return fn(this)
  }
  async close(): Promise<void> {
    throw new Error('close the database, not a transaction handle')
  }
}

class SqliteDb implements ActivityDb {
  readonly engine = 'sqlite' as const
  private queue: Promise<unknown> = Promise.resolve()
  private readonly direct: Direct
  private closed = false
  constructor(
    raw: DatabaseSync,
    private readonly busyTimeoutMs: number
  ) {
    this.direct = new Direct(raw)
  }

  /** Runs `fn` after the queue, retrying it while another connection holds the write lock. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      const deadline = Date.now() + this.busyTimeoutMs
      for (let wait = 2; ; wait = Math.min(wait * 2, 100)) {
        try {
          return await fn()
        } catch (error) {
          if (!isBusy(error) || Date.now() >= deadline) throw error
          await new Promise((r) => setTimeout(r, wait))
        }
      }
    }
    const next = this.queue.then(run, run)
    this.queue = next.catch(() => undefined)
    return next
  }
  all<T = Row>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    return this.exclusive(() => this.direct.all<T>(sql, params))
  }
  get<T = Row>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined> {
    return this.exclusive(() => this.direct.get<T>(sql, params))
  }
  run(sql: string, params?: readonly SqlValue[]): Promise<{ changes: number }> {
    return this.exclusive(() => this.direct.run(sql, params))
  }
  transaction<T>(fn: (tx: ActivityDb) => Promise<T>): Promise<T> {
    return this.exclusive(async () => {
      this.direct.raw.exec('BEGIN IMMEDIATE')
      let result: T
      try {
        result = await fn(this.direct)
      } catch (error) {
        if (this.direct.raw.isTransaction) this.direct.raw.exec('ROLLBACK')
        throw error
      }
      this.direct.raw.exec('COMMIT')
      return result
    })
  }
  close(): Promise<void> {
    return this.exclusive(async () => {
      if (this.closed) return
      this.closed = true
      this.direct.raw.close()
    })
  }
}

/**
 * Opens (creating when missing) the SQLite file `path` (`:memory:` for a private in-memory
 * database) as an {@link ActivityDb}: `journal_mode=WAL` (files only), `busy_timeout`,
 * `foreign_keys=ON`. Transactions are `BEGIN IMMEDIATE` (the write lock is taken at the start,
 * so two processes never deadlock upgrading a read lock).
 */
export function openSqlite(path: string, options: SqliteOptions = {}): ActivityDb {
  const raw = new DatabaseSync(path)
  raw.exec(`PRAGMA busy_timeout = ${SYNC_BUSY_MS}`)
  if (path !== ':memory:') raw.exec('PRAGMA journal_mode = WAL')
  raw.exec('PRAGMA synchronous = NORMAL')
  raw.exec('PRAGMA foreign_keys = ON')
  return new SqliteDb(raw, Math.max(0, options.busyTimeoutMs ?? 5000))
}
