import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Emulator } from '@hubstore/emulator'
import {
  createObject,
  processUpdates,
  updateObject,
  type MarkingMode,
  type RepoContext
} from '../../src/index.js'
import { LEASE_DEFAULTS } from '../../src/objects/lease.js'
import {
  client,
  comment,
  freshRepo,
  reactionsOf,
  readIssue,
  startWorld
} from '../support/emulator.js'

let emulator: Emulator
beforeAll(async () => {
  emulator = await startWorld()
})
afterAll(async () => emulator.close())

class CrashError extends Error {
  override readonly name = 'CrashError'
}

/** A client that "dies" right after its `afterWrites`-th write (non-GET) got its response. */
function dyingContext(ctx: RepoContext, afterWrites: number): RepoContext {
  const octokit = client(emulator, 'octocat')
  let writes = 0
  octokit.hook.after('request', (_response, options) => {
    if (options.method !== 'GET' && ++writes === afterWrites)
      throw new CrashError(`died after write ${writes}: ${options.method} ${options.url}`)
  })
  return { ...ctx, octokit }
}

const FILLER = 'x'.repeat(40_000)

/** An object with six queued comments: four updates (one replace), text, an outsider, and one too large. */
async function scenario() {
  const { as } = await freshRepo(emulator)
  const ctx = as('octocat')
  const created = await createObject(ctx, 'crashy', {
    filler: FILLER,
    count: 0,
    tags: ['a'],
    nested: { x: 1 }
  })
  const n = created.meta.issueNumber
  const applied = [
    (await updateObject(ctx, 'crashy', { count: 1, nested: { y: 2 } })).commentId,
    (await updateObject(ctx, 'crashy', { tags: ['b'] })).commentId
  ]
  const rejected = [
    await comment(ctx, n, 'please also add pears'),
    (await updateObject(as('mallory'), 'crashy', { count: -1 })).commentId,
    (await updateObject(ctx, 'crashy', { huge: 'y'.repeat(30_000) })).commentId
  ]
  applied.push(
    (await updateObject(ctx, 'crashy', { count: 10, fresh: true }, { mode: 'replace' })).commentId,
    (await updateObject(ctx, 'crashy', { nested: { z: 3 } })).commentId
  )
  // The replace drops the filler, so after the PATCH the huge update WOULD fit: its rejection
  // must already be durable (confused) or a rerun would apply it.
  const expected = { count: 10, fresh: true, nested: { z: 3 } }
  return { ctx, n, applied, rejected, expected }
}

/**
 * The writes of one run, by marking mode. REST: confused on the size rejection, the PATCH, then 6
 * reactions in comment order. GraphQL: one document with the size rejection, the PATCH, one
 * document with the 6 reactions. A GraphQL document interrupted after j of its mutations leaves
 * exactly the state REST leaves after write 2 + j (GitHub runs a document's mutations in order),
 * so the REST positions also cover every partially applied document.
 */
const REACTION = 'POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions'
const PATCH = 'PATCH /repos/{owner}/{repo}/issues/{issue_number}'
const COMMIT = 'POST /repos/{owner}/{repo}/git/commits'
/** The lease's requests that are not GETs: its GraphQL read, taking it, releasing it. */
const LEASE_TAKE = ['POST /graphql', COMMIT, 'POST /repos/{owner}/{repo}/git/refs']
const LEASE_AGAIN = ['POST /graphql', COMMIT, 'PATCH /repos/{owner}/{repo}/git/refs/{ref}']
const LEASE_RELEASE = [COMMIT, 'PATCH /repos/{owner}/{repo}/git/refs/{ref}']
const WRITES: Record<MarkingMode, string[]> = {
  rest: [...LEASE_TAKE, REACTION, PATCH, ...Array<string>(6).fill(REACTION), ...LEASE_RELEASE],
  graphql: [...LEASE_TAKE, 'POST /graphql', PATCH, 'POST /graphql', ...LEASE_RELEASE]
}
/** A rerun after a crash: the dead run's lease has expired by its clock. */
const LATER = { now: () => Date.now() + LEASE_DEFAULTS.durationMs + 1 }

describe.each<MarkingMode>(['graphql', 'rest'])(
  'processUpdates: crash safety (marking %s)',
  (marking) => {
    it(`processUpdates: an uninterrupted run makes exactly the writes the crash positions cover (${marking})`, async () => {
      const { ctx, n, expected } = await scenario()
      await emulator.admin.clearLedger()
      const result = await processUpdates(ctx, n, { marking })
      expect(result.data).toEqual(expected)
      expect(result.marking).toBe(marking)
      const writes = (await emulator.admin.ledger()).filter((e) => e.method !== 'GET')
      expect(writes.map((e) => `${e.method} ${e.route}`)).toEqual(WRITES[marking])
    })

    // The lease's own positions are the same in both modes: the REST run leaves them to GraphQL's.
    const positions = Array.from({ length: WRITES[marking].length }, (_, i) => i + 1).filter(
      (p) =>
        marking === 'graphql' ||
        (p > LEASE_TAKE.length && p <= WRITES[marking].length - LEASE_RELEASE.length)
    )
    it.each(positions)(
      `processUpdates: dying right after write %i (${marking}), a rerun converges — same body, one +1 per applied comment, confused on rejected, closed`,
      async (position) => {
        const { ctx, n, applied, rejected, expected } = await scenario()
        await expect(
          processUpdates(dyingContext(ctx, position), n, { marking })
        ).rejects.toBeInstanceOf(CrashError)

        const rerun = await processUpdates({ ...ctx, octokit: client(emulator, 'octocat') }, n, {
          marking,
          lease: LATER
        })
        expect(rerun.data).toEqual(expected)
        const issue = await readIssue(ctx, n)
        expect(issue.state).toBe('closed')
        expect(JSON.parse(issue.body ?? '')).toEqual(expected)
        for (const id of applied) expect(await reactionsOf(ctx, id)).toEqual(['+1 by octocat'])
        for (const id of rejected)
          expect(await reactionsOf(ctx, id)).toEqual(['confused by octocat'])

        // and a third run finds nothing left to do: it writes only its lease
        await emulator.admin.clearLedger()
        const third = await processUpdates(ctx, n, { marking, lease: LATER })
        expect([third.applied, third.rejected, third.marking]).toEqual([[], [], 'none'])
        // Its writes are only its lease; the other non-GET is the GraphQL query of who reacted
        // (a read: nothing was marked).
        const nonGet = (await emulator.admin.ledger()).filter((e) => e.method !== 'GET')
        expect(nonGet.map((e) => `${e.method} ${e.route}`)).toEqual([
          ...LEASE_AGAIN,
          'POST /graphql',
          ...LEASE_RELEASE
        ])
      }
    )
  }
)
