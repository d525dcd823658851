import { describe, expect, it } from '@jest/globals'
import { runDemo } from '../src/demo/demo.js'

describe('hubstore demo (all four steps)', () => {
  it('demo: process-updates, snapshot, 8 concurrent sequence runs and the migration all succeed', async () => {
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
  })
})
