/**
 * The PostgreSQL engine of the activity store (`pg` Pool), for several processes or machines
 * writing one database. SQL is written with `?` placeholders (the module's one dialect);
 * {@link numberPlaceholders} turns them into `$1, $2, …`. `BIGINT` and `COUNT(*)` come back as
 * JavaScript numbers (GitHub ids are below 2^53), not pg's default strings.
 */
import pg from 'pg'
import type { ActivityDb, SqlValue } from '../types.js'

type Row = Record<string, unknown>

const INT8_OID = 20
const NUMERIC_OID = 1700
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID || oid === NUMERIC_OID) return (value: string) => Number(value)
    return pg.types.getTypeParser(oid, format ?? 'text')
  }
}

/** `?` → `$n`, leaving `?` inside quoted strings and identifiers alone. */
export function numberPlaceholders(sql: string): string {
  let out = ''
  let n = 0
  let quote: string | null = null
  for (const ch of sql) {
    if (quote) {
      if (ch === quote) quote = null
      out += ch
    } else if (ch === "'" || ch === '"') {
      quote = ch
      out += ch
    } else if (ch === '?') out += `$${++n}`
    else out += ch
  }
  return out
}

function params(values: readonly SqlValue[] | undefined): unknown[] {
  return (values ?? []).map((v) => (v instanceof Uint8Array ? Buffer.from(v) : v))
}

interface Queryable {
  query(text: string, values: unknown[]): Promise<pg.QueryResult>
}

class Session implements ActivityDb {
  readonly engine = 'postgres' as const
  constructor(protected readonly target: Queryable) {}
  async all<T = Row>(sql: string, values?: readonly SqlValue[]): Promise<T[]> {
    return (await this.target.query(numberPlaceholders(sql), params(values))).rows as T[]
  }
  async get<T = Row>(sql: string, values?: readonly SqlValue[]): Promise<T | undefined> {
    return (await this.all<T>(sql, values))[0]
  }
  async run(sql: string, values?: readonly SqlValue[]): Promise<{ changes: number }> {
    const r = await this.target.query(numberPlaceholders(sql), params(values))
    return { changes: r.rowCount ?? 0 }
  }
  /** Inside a transaction already: nested calls join it. */
  async transaction<T>(fn: (tx: ActivityDb) => Promise<T>): Promise<T> {
    return fn(this)
  }
  async close(): Promise<void> {
    throw new Error('close the database, not a transaction handle')
  }
}

class PostgresDb extends Session {
  constructor(private readonly pool: pg.Pool) {
    super(pool)
  }
  override async transaction<T>(fn: (tx: ActivityDb) => Promise<T>): Promise<T> {
    const client = await this.pool.connect()
    try {
      await client.query('BEGIN')
      let result: T
      try {
        result = await fn(new Session(client))
      } catch (error) {
        await client.query('ROLLBACK')
        throw error
      }
      await client.query('COMMIT')
      return result
    } finally {
      client.release()
    }
  }
  override async close(): Promise<void> {
    await this.pool.end()
  }
}

/** Options of {@link openPostgres}. */
export interface PostgresOptions {
  /** Connections in the pool (default 5). */
  poolSize?: number
}

/**
 * Opens a pool on `url` (`postgres://user:password@host:port/database`, or
 * `postgres:///database?host=/socket/dir` for a unix socket). Nothing connects until the first
 * query; errors then are pg's (ECONNREFUSED, authentication failures).
 */
export function openPostgres(url: string, options: PostgresOptions = {}): ActivityDb {
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 5, types })
  // An idle client that loses its server emits 'error' on the pool; without a listener that
  // would crash the process. The next query gets a fresh connection.
  pool.on('error', () => undefined)
  return new PostgresDb(pool)
}
