import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Emulator } from '@hubstore/emulator'
import { createObject, processUpdates, updateObject } from '../../src/index.js'
import { fromPlainJson, type JsonMap } from '../../src/json/index.js'
import { buildEnvelope } from '../../src/objects/envelope.js'
import { comment, freshRepo, reactionsOf, readIssue, startWorld } from '../support/emulator.js'

let emulator: Emulator
beforeAll(async () => {
  emulator = await startWorld()
})
afterAll(async () => emulator.close())

describe('processUpdates: authorisation and malformed comments', () => {
  it('processUpdates: applies the owner, a write collaborator and a CODEOWNERS user; rejects an outsider with confused', async () => {
    const { as } = await freshRepo(emulator, { codeowners: '# owners\n* @carol\n' })
    const owner = as('octocat')
    const created = await createObject(owner, 'profile', { name: 'x', by: [] })
    const n = created.meta.issueNumber
    const byOwner = await updateObject(owner, 'profile', { owner: true })
    const byWriter = await updateObject(as('wendy'), 'profile', { writer: true })
    const byCodeowner = await updateObject(as('carol'), 'profile', { codeowner: true })
    const byOutsider = await updateObject(as('mallory'), 'profile', { name: 'pwned' })

    const result = await processUpdates(as('wendy'), n)
    expect(result.applied.map((a) => [a.commentId, a.author])).toEqual([
      [byOwner.commentId, 'octocat'],
      [byWriter.commentId, 'wendy'],
      [byCodeowner.commentId, 'carol']
    ])
    expect(result.rejected).toEqual([
      {
        commentId: byOutsider.commentId,
        author: 'mallory',
        code: 'UNAUTHORIZED',
        reason:
          'mallory is not the repository owner, has no write permission and is not in CODEOWNERS'
      }
    ])
    const expected = { name: 'x', by: [], owner: true, writer: true, codeowner: true }
    expect(JSON.parse((await readIssue(owner, n)).body ?? '')).toEqual(expected)
    expect(await reactionsOf(owner, byOwner.commentId)).toEqual(['+1 by wendy'])
    expect(await reactionsOf(owner, byCodeowner.commentId)).toEqual(['+1 by wendy'])
    expect(await reactionsOf(owner, byOutsider.commentId)).toEqual(['confused by wendy'])

    // The rejected comment is never applied, not even by a later run.
    await updateObject(owner, 'profile', { later: 1 })
    const again = await processUpdates(owner, n)
    expect(again.rejected).toEqual([])
    expect(again.data).toEqual({ ...expected, later: 1 })
  })

  it('processUpdates: a member of a CODEOWNERS team is authorised on an organisation repo, a CODEOWNERS user of another repo is not', async () => {
    const { as } = await freshRepo(emulator, { org: true, codeowners: '/docs/ @acme/data\n' })
    const admin = as('adam')
    const created = await createObject(admin, 'roster', { people: 0 })
    const byMember = await updateObject(as('tina'), 'roster', { people: 1 })
    const byAdmin = await updateObject(admin, 'roster', { admin: true })
    const byCodeownerElsewhere = await updateObject(as('carol'), 'roster', { carol: true })

    const result = await processUpdates(admin, created.meta.issueNumber)
    expect(result.applied.map((a) => a.author)).toEqual(['tina', 'adam'])
    expect(result.rejected.map((r) => [r.commentId, r.code])).toEqual([
      [byCodeownerElsewhere.commentId, 'UNAUTHORIZED']
    ])
    expect(result.data).toEqual({ people: 1, admin: true })
    expect(await reactionsOf(admin, byMember.commentId)).toEqual(['+1 by adam'])
    expect(await reactionsOf(admin, byAdmin.commentId)).toEqual(['+1 by adam'])
    expect(await reactionsOf(admin, byCodeownerElsewhere.commentId)).toEqual(['confused by adam'])
  })

  it('processUpdates: malformed comments are rejected with their code and confused, and never block the valid ones', async () => {
    const { as } = await freshRepo(emulator)
    const ctx = as('octocat')
    const created = await createObject(ctx, 'inv', { stock: 1 })
    const n = created.meta.issueNumber
    const ids = {
      text: await comment(ctx, n, 'Looks good to me!'),
      truncated: await comment(ctx, n, '{"_data": '),
      list: await comment(
        ctx,
        n,
        '{"_data": [1, 2], "_meta": {"client_version": "0.11.2", "timestamp": "2025-04-09T18:55:50+00:00", "update_mode": "append"}}'
      ),
      noMeta: await comment(ctx, n, '{"_data": {"stock": 100}}'),
      huge: await comment(ctx, n, '{"stock": 1e309}'),
      proto: await comment(ctx, n, '{"__proto__": {"polluted": true}, "stock": 666}'),
      legacy: await comment(ctx, n, '{"stock": 5}'),
      envelope: await comment(
        ctx,
        n,
        '{"_data": {"color": "blue"}, "_meta": {"client_version": "0.11.2", "timestamp": "2025-04-09T18:55:50.123456+00:00", "update_mode": "append", "issue_number": 1}}'
      )
    }
    const result = await processUpdates(ctx, n)
    expect(result.rejected.map((r) => [r.commentId, r.code])).toEqual([
      [ids.text, 'NOT_JSON'],
      [ids.truncated, 'NOT_JSON'],
      [ids.list, 'DATA_NOT_OBJECT'],
      [ids.noMeta, 'INVALID_ENVELOPE'],
      [ids.huge, 'NUMBER_OUT_OF_RANGE']
    ])
    // `__proto__` is data (gh-store stores it): applied, kept as a key, no prototype touched
    expect(result.applied.map((a) => a.commentId)).toEqual([ids.proto, ids.legacy, ids.envelope])
    expect((await readIssue(ctx, n)).body).toBe(
      '{\n  "stock": 5,\n  "__proto__": {\n    "polluted": true\n  },\n  "color": "blue"\n}'
    )
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    for (const id of [ids.text, ids.truncated, ids.list, ids.noMeta, ids.huge])
      expect(await reactionsOf(ctx, id)).toEqual(['confused by octocat'])
    for (const id of [ids.proto, ids.legacy, ids.envelope])
      expect(await reactionsOf(ctx, id)).toEqual(['+1 by octocat'])
  })

  it('processUpdates: an update that would push the body over 65,536 characters is rejected (TOO_LARGE), the rest apply', async () => {
    const { as } = await freshRepo(emulator)
    const ctx = as('octocat')
    const created = await createObject(ctx, 'blob', { a: 'x'.repeat(40_000) })
    const n = created.meta.issueNumber
    // updateObject refuses this one up front (issue 10 item 7); another client (gh-store) can
    // still queue it, and processing must reject it
    await expect(updateObject(ctx, 'blob', { b: 'y'.repeat(30_000) })).rejects.toMatchObject({
      code: 'OBJECT_TOO_LARGE'
    })
    const tooMuch = {
      commentId: await comment(
        ctx,
        n,
        buildEnvelope({
          data: fromPlainJson({ b: 'y'.repeat(30_000) }, 100) as JsonMap,
          timestamp: '2025-01-01T00:00:00Z',
          mode: 'append',
          issueNumber: n
        })
      )
    }
    const fine = await updateObject(ctx, 'blob', { c: 1 })
    const result = await processUpdates(ctx, n)
    expect(result.rejected.map((r) => [r.commentId, r.code])).toEqual([
      [tooMuch.commentId, 'TOO_LARGE']
    ])
    expect(result.rejected[0].reason).toMatch(
      /would make the body 70\d{3} characters \(limit 65536\)/
    )
    expect(result.applied.map((a) => a.commentId)).toEqual([fine.commentId])
    expect(await reactionsOf(ctx, tooMuch.commentId)).toEqual(['confused by octocat'])
    expect(Object.keys(JSON.parse((await readIssue(ctx, n)).body ?? ''))).toEqual(['a', 'c'])
  })
})
