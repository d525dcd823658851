/**
 * Named leases in the `locks` table: one holder per name until it releases or its lease
 * expires (a crashed holder's lease runs out). Used so that one sweep, or one migration of a
 * cursor, runs at a time across processes sharing the database.
 */
import type { ActivityDb } from '../types.js'

/**
 * Takes (or renews, when `owner` already holds it) the lease `name` until `now + ttlMs`.
 * Answers `true` when `owner` holds it afterwards. One guarded statement: of two callers at
 * once, exactly one gets a free or expired lease.
 */
export async function tryAcquireLock(
  db: ActivityDb,
  name: string,
  owner: string,
  ttlMs: number,
  now: Date = new Date()
): Promise<boolean> {
  const at = now.toISOString()
  const until = new Date(now.getTime() + ttlMs).toISOString()
  const r = await db.run(
    `INSERT INTO locks (name, owner, expires_at) VALUES (?, ?, ?)
     ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
     WHERE locks.owner = excluded.owner OR locks.expires_at <= ?`,
    [name, owner, until, at]
  )
  return r.changes === 1
}

/** Releases `name` when `owner` holds it; answers whether it did. */
export async function releaseLock(db: ActivityDb, name: string, owner: string): Promise<boolean> {
  const r = await db.run('DELETE FROM locks WHERE name = ? AND owner = ?', [name, owner])
  return r.changes === 1
}
