import { describe, expect, it } from '@jest/globals'
import { runMigrationDemo } from '../src/demo/migrate.js'

describe('hubstore demo: migration', () => {
  it('demo: analyze → dry run (no write) → migrate (one commit) → validate (no mismatch)', async () => {
    const lines: string[] = []
    const result = await runMigrationDemo((l) => lines.push(l))
    expect(result.steps.map((s) => [s.command, s.dryRun, s.exitCode])).toEqual([
      ['analyze', false, 0],
      ['migrate', true, 0],
      ['migrate', false, 0],
      ['validate', false, 0]
    ])
    const [analyze, dry, migrate, validate] = result.steps
    expect(analyze.report.totals).toMatchObject({ variables: 13, mapped: 13, invalid: 0 })
    expect(dry.restWrites).toBe(0)
    expect(dry.branchHead).toBeNull()
    expect(migrate.report.commitSha).toBe(migrate.branchHead)
    expect(migrate.restWrites).toBe(3)
    expect(validate.report.totals).toMatchObject({ mismatches: 0, migrated: 13 })
    // 2 accounts × 3 albums × (posts, failed, metadata)
    expect(result.files).toHaveLength(18)
    expect(result.files).toContain('secondary-account/album-72157003/metadata.json')
    expect(lines.join('\n')).toContain('0 write requests, branch still absent')
  }, 120_000)
})
