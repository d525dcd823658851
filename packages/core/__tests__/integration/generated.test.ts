import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Emulator } from '@hubstore/emulator'
import fc from 'fast-check'
import { createObject, processUpdates } from '../../src/index.js'
import { toBody } from '../../src/objects/json.js'
import { pendingComments, planUpdates, type CommentLike } from '../../src/objects/plan.js'
import { statusOf } from '../../src/github/request.js'
import { generatedComment } from '../support/arbitraries.js'
import { comment, freshRepo, reactionsOf, readIssue, startWorld } from '../support/emulator.js'

let emulator: Emulator
beforeAll(async () => {
  emulator = await startWorld()
})
afterAll(async () => emulator.close())

describe('processUpdates: generated comments end to end', () => {
  it('processUpdates: 30 generated comments — bad ones confused with their code, good ones applied, Object.prototype untouched', async () => {
    const { as } = await freshRepo(emulator)
    const ctx = as('octocat')
    const created = await createObject(ctx, 'fuzz', { start: true })
    const n = created.meta.issueNumber
    const expectedCode = new Map<number, string | undefined>()
    for (const g of fc.sample(generatedComment, { numRuns: 30, seed: 20250410 })) {
      try {
        expectedCode.set(await comment(ctx, n, g.body), g.expected)
      } catch (error) {
        // GitHub (and the emulator) refuse comments over 65,536 characters or blank: 422.
        expect(statusOf(error)).toBe(422)
        expect(g.body.length > 65_536 || g.body.trim() === '').toBe(true)
      }
    }
    expect(expectedCode.size).toBeGreaterThanOrEqual(20)

    // What the stored comments must produce, computed offline from what GitHub stored.
    const stored = (await ctx.octokit.paginate(ctx.octokit.rest.issues.listComments, {
      owner: ctx.owner,
      repo: ctx.repo,
      issue_number: n,
      per_page: 100
    })) as CommentLike[]
    const plan = planUpdates(new Map([['start', true]]), pendingComments(stored), () => ({
      authorized: true,
      reason: ''
    }))

    const result = await processUpdates(ctx, n)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(result.json).toEqual(toBody(plan.data))
    expect((await readIssue(ctx, n)).body).toEqual(toBody(plan.data))
    expect(result.applied.length + result.rejected.length).toBe(expectedCode.size)
    for (const r of result.rejected) {
      const expected = expectedCode.get(r.commentId)
      expect([expected, 'TOO_LARGE']).toContain(r.code)
      expect(await reactionsOf(ctx, r.commentId)).toEqual(['confused by octocat'])
    }
    for (const a of result.applied) {
      expect(expectedCode.get(a.commentId)).toBeUndefined()
      expect(await reactionsOf(ctx, a.commentId)).toEqual(['+1 by octocat'])
    }
    expect((await readIssue(ctx, n)).state).toBe('closed')
  })
})
