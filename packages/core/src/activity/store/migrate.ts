/**
 * Applies the migrations of schema.ts that a database lacks, in order, each recorded in
 * `schema_migrations (version, name, applied_at)`. All of it runs in one transaction; on
 * PostgreSQL `pg_advisory_xact_lock` first makes concurrent migrators (two workers starting at
 * once) wait for each other, on SQLite `BEGIN IMMEDIATE` does the same.
 */
import { ActivitySchemaTooNewError } from '../../errors/activity.js'
import type { ActivityDb } from '../types.js'
import { MIGRATIONS, SCHEMA_VERSION } from './schema.js'

/** Key of the advisory lock that serialises migrations (any fixed 64-bit number). */
const MIGRATION_LOCK_KEY = 7_214_011_014

function dialect(db: ActivityDb, sql: string): string {
  return sql.replaceAll(
    '{{serial}}',
    db.engine === 'postgres' ? 'BIGSERIAL PRIMARY KEY' : 'INTEGER PRIMARY KEY'
  )
}

function statements(sql: string): string[] {
  return sql
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
}

/**
 * Brings `db` to {@link SCHEMA_VERSION}; answers the versions applied now (empty when it was
 * current). `now` stamps `applied_at`.
 *
 * @throws ActivitySchemaTooNewError (`ACTIVITY_SCHEMA_TOO_NEW`) when the database was migrated by
 *   a newer hubstore; nothing is changed.
 */
export async function migrate(
  db: ActivityDb,
  now: () => Date = () => new Date()
): Promise<number[]> {
  return db.transaction(async (tx) => {
    if (tx.engine === 'postgres')
      await tx.run('SELECT pg_advisory_xact_lock(?)', [MIGRATION_LOCK_KEY])
    await tx.run(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)'
    )
    const row = await tx.get<{ v: number | null }>(
      'SELECT MAX(version) AS v FROM schema_migrations'
    )
    const current = row?.v ?? 0
    if (current > SCHEMA_VERSION) throw new ActivitySchemaTooNewError(current, SCHEMA_VERSION)
    const applied: number[] = []
    for (const m of MIGRATIONS) {
      if (m.version <= current) continue
      for (const statement of statements(dialect(tx, m.sql))) await tx.run(statement)
      await tx.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [
        m.version,
        m.name,
        now().toISOString()
      ])
      applied.push(m.version)
    }
    return applied
  })
}
