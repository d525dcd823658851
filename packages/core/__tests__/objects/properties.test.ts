import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { buildEnvelope } from '../../src/objects/envelope.js'
import { applyUpdates, type UpdateMode } from '../../src/objects/merge.js'
import { pendingComments, planUpdates, type CommentLike } from '../../src/objects/plan.js'
import { toBody } from '../../src/objects/json.js'
import { generatedComment, jsonObject } from '../support/arbitraries.js'

const asComments = (bodies: string[]): CommentLike[] =>
  bodies.map((body, i) => ({
    id: i + 1,
    body,
    user: { login: 'octocat' },
    created_at: '2025-04-10T00:00:00Z'
  }))
const authorized = () => ({ authorized: true as const, reason: 'owner' })
const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort()

describe('processing untrusted comments (property)', () => {
  it('planUpdates: 1,000 generated comments never throw, never pollute, and every bad one gets its code', () => {
    let seen = 0
    fc.assert(
      fc.property(
        jsonObject,
        fc.array(generatedComment, { minLength: 10, maxLength: 10 }),
        (base, generated) => {
          seen += generated.length
          const { decisions } = planUpdates(
            base,
            pendingComments(asComments(generated.map((g) => g.body))),
            authorized
          )
          expect(decisions).toHaveLength(generated.length)
          decisions.forEach((decision, i) => {
            const expected = generated[i].expected
            if (expected === undefined) {
              // a valid update applies unless it would push the body over the limit
              if (decision.kind === 'rejected') expect(decision.code).toBe('TOO_LARGE')
            } else {
              expect(decision).toMatchObject({ kind: 'rejected', code: expected })
              if (decision.kind === 'rejected') expect(decision.reason.length).toBeGreaterThan(0)
            }
          })
          expect(({} as Record<string, unknown>).polluted).toBeUndefined()
          expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys)
          expect(Object.getPrototypeOf({})).toBe(Object.prototype)
        }
      ),
      { numRuns: 100 }
    )
    expect(seen).toBe(1000)
  })

  it('applyUpdates: re-applying any suffix of the applied updates leaves the state unchanged (crash-rerun safety)', () => {
    const update = fc.record({
      data: jsonObject,
      mode: fc.constantFrom<UpdateMode>('append', 'append', 'append', 'replace')
    })
    fc.assert(
      fc.property(
        jsonObject,
        fc.array(update, { maxLength: 8 }),
        fc.nat(),
        (base, updates, cut) => {
          const state = applyUpdates(base, updates)
          const suffix = updates.slice(updates.length === 0 ? 0 : cut % (updates.length + 1))
          expect(toBody(applyUpdates(state, suffix))).toBe(toBody(state))
        }
      ),
      { numRuns: 3000 }
    )
  })

  it('planUpdates: a rerun over the comments left unreacted after a crash gives the same body', () => {
    fc.assert(
      fc.property(
        jsonObject,
        fc.array(generatedComment, { maxLength: 8 }),
        fc.nat(),
        (base, generated, crashAt) => {
          const comments = asComments(
            generated.filter((g) => g.expected !== 'TOO_LARGE').map((g) => g.body)
          )
          const first = planUpdates(base, pendingComments(comments), authorized)
          // the PATCH landed, then only the first k reactions (in comment order) did
          const k = crashAt % (first.decisions.length + 1)
          const reacted = new Map(
            first.decisions
              .slice(0, k)
              .map((d) => [d.comment.id, d.kind === 'applied' ? '+1' : 'confused'])
          )
          const after = comments.map((c) => ({
            ...c,
            reactions: reacted.has(c.id) ? { [reacted.get(c.id)!]: 1 } : {}
          }))
          const rerun = planUpdates(first.data, pendingComments(after), authorized)
          expect(toBody(rerun.data)).toBe(toBody(first.data))
          expect(rerun.decisions.map((d) => [d.comment.id, d.kind])).toEqual(
            first.decisions.slice(k).map((d) => [d.comment.id, d.kind])
          )
        }
      ),
      { numRuns: 500 }
    )
  })

  it('buildEnvelope: every generated valid update round-trips through parse and plan', () => {
    fc.assert(
      fc.property(jsonObject, jsonObject, (base, data) => {
        const body = buildEnvelope({
          data,
          timestamp: new Date(0).toISOString(),
          mode: 'append',
          issueNumber: 1
        })
        const { data: result, decisions } = planUpdates(
          base,
          pendingComments(asComments([body])),
          authorized
        )
        if (decisions[0].kind === 'applied')
          expect(toBody(result)).toBe(toBody(applyUpdates(base, [{ data, mode: 'append' }])))
      }),
      { numRuns: 300 }
    )
  })
})
