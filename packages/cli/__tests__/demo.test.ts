import { describe, expect, it } from '@jest/globals'
import { runDemo } from '../src/demo.js'

describe('hubstore demo', () => {
  it('demo: applies the three authorised updates, rejects the outsider and the malformed comment', async () => {
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
  })
})
