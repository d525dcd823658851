import { describe, expect, it } from '@jest/globals'
import { runDemo } from '../src/demo/demo.js'

describe('hubstore demo (all six steps)', () => {
  it('demo: process-updates, snapshot, 8 concurrent sequence runs, the migration, the data round trip and the activity sync all succeed', async () => {
    const lines: string[] = []
    const result = await runDemo((l) => lines.push(l))
    expect(result.run.exitCode).toBe(0)
    expect(result.finalObject).toEqual({
      apples: 5,
      pears: { count: 4, ripe: false },
      tags: ['fruit', 'fresh']
    })
    expect(result.issueState).toBe('closed')
    expect(
      result.reactions.map((r) => [
        r.author,
        r.reactions.includes('+1') ? 'applied' : r.reactions.includes('confused') ? 'rejected' : '-'
      ])
    ).toEqual([
      ['octocat', 'applied'],
      ['hubber', 'applied'],
      ['jane', 'applied'],
      ['mallory', 'rejected'],
      ['hubber', 'rejected'],
      ['octocat', 'applied']
    ])
    // 5 queued comments: at most one request each (its reaction) plus 8.
    expect(result.actionRequests.length).toBeLessThanOrEqual(5 + 8)
    expect(lines.join('\n')).toContain('UNAUTHORIZED')

    // 2. snapshot: full, then incremental; both committed
    expect(result.snapshot.full.run.exitCode).toBe(0)
    expect(result.snapshot.incremental.run.exitCode).toBe(0)
    expect([...result.snapshot.full.snapshot.objects.keys()].sort()).toEqual([
      'inventory',
      'settings'
    ])
    expect(result.snapshot.incremental.snapshot.objects.get('settings')).toBeUndefined()
    // 3. increment-sequence: 8 concurrent runs, 8 distinct consecutive numbers
    expect(result.sequence.runs.map((r) => r.exitCode)).toEqual(Array(8).fill(0))
    expect([...result.sequence.numbers].sort((a, b) => a - b)).toEqual([
      302, 303, 304, 305, 306, 307, 308, 309
    ])
    // 4. migrate-state: dry run writes nothing, migrate one commit, validate no mismatch
    expect(result.migration.steps.map((s) => [s.command, s.dryRun, s.exitCode])).toEqual([
      ['analyze', false, 0],
      ['migrate', true, 0],
      ['migrate', false, 0],
      ['validate', false, 0]
    ])
    // 5. persist-data: the second backup moves a fraction of a whole-file copy; the restore is exact
    const data = result.data
    expect([data.identical, data.sameAsBefore, data.restore.restored]).toEqual([true, true, true])
    expect(data.first.files).toBe(7)
    expect(data.wholeFileUploadBytes).toBeGreaterThan(900 * 1024) // chatbot.db + data_level0.bin
    // chunks are 16 KiB of SQLite pages and ~64 KiB of FastCDC elsewhere, so a few changed pages and one
    // rewritten 4 KiB span cost a handful of chunks, not the ~940 KiB of the two files
    expect(data.second.uploadedBytes).toBeLessThan(data.wholeFileUploadBytes / 2)
    const storageGrowth = data.lfs.afterSecond.stored_bytes - data.lfs.afterFirst.stored_bytes
    expect(storageGrowth).toBe(data.second.uploadedBytes)
    const step5 = lines.slice(
      lines.findIndex((l) => l.startsWith('━━ 5. persist-data')),
      lines.findIndex((l) => l.startsWith('━━ 6. activity sync')) - 1
    )
    expect(
      step5.map((l) =>
        l.replace(/\d{8}T\d{6}Z-[0-9a-f]{6}/g, 'ID').replace(/[\d.]+ (B|KiB|MiB)\b/g, 'N $1')
      )
    ).toEqual([
      "━━ 5. persist-data: a chatbot's data directory on a data branch, deduplicated",
      '▶ octocat/chatbot-data, data branch hubstore-data; data/ holds 7 files, N MiB: chatbot.db (SQLite, WAL), chroma_db/chroma.sqlite3 and 5 binary segment files',
      '◀ backup 1 ID: 7 files, N MiB; uploaded N KiB in 1 pack(s) (SQLite read through its backup API)',
      '▶ Changed: 20 new messages in chatbot.db, N KiB of chroma_db/c0ffee/data_level0.bin rewritten in place',
      '◀ backup 2 ID: uploaded N KiB (LFS storage +N KiB); a whole-file copy would upload N KiB and its git clone download N MiB first',
      '▶ Wiped data/ (a free host restarting)',
      '◀ restored ID: 7 files, N MiB (N KiB downloaded); byte-identical to the backup: yes; other files as before the wipe and chatbot.db the same 2020 messages: yes'
    ])
    // 6. activity sync: every request that arrived was signed and stored; the dropped push is
    // missing after the inbox pass and found by the sweep, which spends GraphQL points only
    // on the change query and REST only on the changed repository
    const activity = result.activity
    expect(activity.received.map((r) => [r.event, r.outcome.status])).toEqual([
      ['ping', 202],
      ['installation', 202],
      ['push', 202],
      ['push', 202]
    ])
    expect([activity.missedBeforeSweep, activity.foundBySweep]).toEqual([true, true])
    expect(activity.sweepJob).toMatchObject({ type: 'periodic', status: 'succeeded' })
    expect(activity.sweepJob.graphql_points).toBeGreaterThan(0)
    expect(activity.jobs.map((j) => [j.type, j.status])).toEqual([
      ['periodic', 'succeeded'],
      ['webhook', 'succeeded'],
      ['webhook', 'succeeded']
    ])
    expect(activity.health).toMatchObject({
      total_repositories: 3,
      synced_recently: 3,
      deliveries: { pending: 0, failed: 0, processed: 4 }
    })
    const step6 = lines.slice(lines.findIndex((l) => l.startsWith('━━ 6. activity sync')))
    expect(step6.join('\n')).toContain("acme/api's")
    expect(step6.at(-1)).toMatch(/^◀ health: 3\/3 repositories synced within 10 min/)
  })
})
