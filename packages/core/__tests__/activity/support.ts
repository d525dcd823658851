/**
 * The activity tests' worlds: each suite runs once per engine — SQLite (a temporary file) and
 * a real PostgreSQL server (the run's shared one, or the file's own: test-support/postgres.ts) — and signed webhook
 * requests built the way GitHub builds them.
 */
import { createHmac, randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll } from '@jest/globals'
import { sharedPostgres, type PostgresServer } from '../../../../test-support/postgres.js'
import { openActivityDb } from '../../src/activity/store/open.js'
import type { ActivityDb, ActivityEngine } from '../../src/activity/types.js'

export const ENGINES: ActivityEngine[] = ['sqlite', 'postgres']

/**
 * Per test file: `fresh(engine)` answers the URL of a new, empty database of that engine. The
 * PostgreSQL server is the run's shared one or starts once for the file (`sharedPostgres`).
 */
export function useDatabases(): { fresh(engine: ActivityEngine): Promise<string> } {
  let server: PostgresServer | null = null
  let dir = ''
  let n = 0
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hubstore-activity-'))
    server = await sharedPostgres()
  }, 60_000)
  afterAll(async () => {
    await server?.stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })
  return {
    async fresh(engine) {
      n++
      if (engine === 'sqlite') return `sqlite:${join(dir, `db-${n}.sqlite`)}`
      if (!server) throw new Error('the PostgreSQL server did not start')
      return server.createDatabase(`t${process.pid}_${n}`)
    }
  }
}

/** Opens `url` and closes every database opened this way after the test file. */
export function useOpen(): (url: string) => Promise<ActivityDb> {
  const open: ActivityDb[] = []
  afterAll(async () => {
    for (const db of open.splice(0)) await db.close().catch(() => undefined)
  })
  return async (url) => {
    const db = await openActivityDb(url)
    open.push(db)
    return db
  }
}

export const SECRET = "It's a Secret to Everybody"

/** Headers and raw body of a webhook request as GitHub sends it, signed with `secret`. */
export function signedDelivery(
  event: string,
  payload: unknown,
  options: { guid?: string; secret?: string } = {}
): { headers: Record<string, string>; rawBody: Uint8Array; guid: string } {
  const body = Buffer.from(JSON.stringify(payload))
  const guid = options.guid ?? randomUUID()
  const signature = createHmac('sha256', options.secret ?? SECRET)
    .update(body)
    .digest('hex')
  return {
    guid,
    rawBody: new Uint8Array(body),
    headers: {
      'x-github-event': event,
      'x-github-delivery': guid,
      'x-hub-signature-256': `sha256=${signature}`,
      'content-type': 'application/json',
      'user-agent': 'GitHub-Hookshot/test'
    }
  }
}

/** Rows per table, for "nothing duplicated / nothing stored" assertions. */
export async function tableCounts(db: ActivityDb): Promise<Record<string, number>> {
  const out: Record<string, number> = {}
  for (const t of [
    'installations',
    'repositories',
    'commits',
    'repository_commits',
    'issues',
    'pull_requests',
    'contributors',
    'deliveries'
  ])
    out[t] = (await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${t}`))!.n
  return out
}
