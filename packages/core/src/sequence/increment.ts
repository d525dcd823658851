/**
 * One increment as a compare-and-swap loop (`github/cas.ts`): read the file (or use the cached
 * one), plan the block and the claim that doubles as its idempotency record, `PUT` it guarded by
 * the blob SHA read, and settle an ambiguous answer by reading back: the block is returned only
 * when the file, or a commit trailer, proves it is this caller's (docs/github-behaviour.md §9).
 */
import { randomUUID } from 'node:crypto'
import { compareAndSwap, type CasSettlement } from '../github/cas.js'
import {
  IdempotencyKeyConflictError,
  InvalidOptionsError,
  SequenceContentionError,
  SequenceFormatTooLongError,
  SequenceOutcomeUnknownError
} from '../errors.js'
import { writeSnapshot, type Snapshot } from './contents.js'
import {
  claimsOf,
  sequencesOf,
  serialiseSequenceFile,
  withIncrement,
  type Claim,
  type SequenceDocument
} from './file.js'
import { periodOf, type Period } from './format.js'
import type { SequenceFile } from './handle.js'
import { incrementMessage } from './message.js'
import type { ResolvedIncrement, StoreSettings } from './options.js'
import type { IncrementResult, SettledHow } from './types.js'

/** The write an attempt plans: the claim and the file that records it. */
interface PlannedBlock {
  previous: number
  claim: Claim
  next: SequenceDocument
}

/**
 * Reserves `o.count` numbers of `o.key` in one commit.
 *
 * @throws SequenceFormatTooLongError, IdempotencyKeyConflictError, InvalidSequenceFileError,
 *   SequenceContentionError, SequenceOutcomeUnknownError, GitHubRequestError.
 */
export async function runIncrement(
  file: SequenceFile,
  settings: StoreSettings,
  o: ResolvedIncrement
): Promise<IncrementResult> {
  const requestsBefore = file.requests()
  const nonce = randomUUID()
  const claimKey = o.idempotencyKey ?? nonce
  const result = (claim: Claim, attempts: number, commitSha: string | null, reused: boolean) =>
    incrementResult(o, claim, {
      attempts,
      commitSha,
      reused,
      requests: file.requests() - requestsBefore
    })

  const outcome = await compareAndSwap<Snapshot, PlannedBlock, IncrementResult>(
    {
      initial: file.cache,
      read: () => file.read(),
      plan: async (snap, attempt) => {
        const held = heldClaim(snap, claimKey, nonce, o)
        if (held) {
          const commitSha = await file.claimCommitOrNull(held.nonce)
          return { finish: result(held, attempt, commitSha, held.nonce !== nonce) }
        }
        const previous = sequencesOf(snap.doc)[o.key] ?? o.initialValue
        const now = settings.now()
        const claim: Claim = {
          sequence: o.key,
          first: previous + 1,
          last: previous + o.count,
          nonce,
          at: now.toISOString()
        }
        if (!Number.isSafeInteger(claim.last))
          throw new InvalidOptionsError('count', 'small enough to stay below 2^53', o.count)
        checkLength(o, claim.last)
        const next = withIncrement(
          snap.doc,
          { key: o.key, value: claim.last, claimKey, claim, now: settings.now() },
          settings.claimsKept
        )
        return { write: { previous, claim, next } }
      },
      write: async (snap, { previous, claim, next }, attempt) => {
        const written = await writeSnapshot(file.loc, {
          text: serialiseSequenceFile(next),
          sha: snap.sha,
          message: incrementMessage(o.key, previous, claim.last, nonce, o.idempotencyKey),
          timeoutMs: settings.requestTimeoutMs
        })
        file.cache = written.kind === 'written' ? { sha: written.blobSha, doc: next } : undefined
        if (written.kind !== 'written') return written
        return { kind: 'written', value: result(claim, attempt, written.commitSha, false) }
      },
      settle: async ({ state, plan, outcome, attempt }) => {
        if (outcome.kind === 'conflict') return { retry: {} }
        const settled = await settleBlock(file, o, state, plan.claim, claimKey, outcome.error)
        if ('finish' in settled)
          return { finish: result(plan.claim, attempt, settled.finish, false), how: settled.how }
        return {
          retry: { ...settled.retry, problem: `${outcome.problem} (not committed)` }
        }
      }
    },
    o.retry
  )
  if (outcome.kind === 'finished') return outcome.value
  throw new SequenceContentionError(
    o.name,
    file.description,
    outcome.attempts,
    outcome.elapsedMs,
    outcome.problem
  )
}

/**
 * After an ambiguous write: is the block ours? Ours (finish with its commit SHA) when the
 * re-read file holds our claim, or a commit carries our trailer. Not ours when the file has not
 * moved, when another claim covers our first number, or when the history has no commit of ours.
 */
async function settleBlock(
  file: SequenceFile,
  o: ResolvedIncrement,
  base: Snapshot,
  claim: Claim,
  claimKey: string,
  cause: unknown
): Promise<CasSettlement<Snapshot, string | null> & { how?: SettledHow }> {
  const unknown = (error: unknown) =>
    new SequenceOutcomeUnknownError(
      o.name,
      file.description,
      claim.nonce,
      claim.first,
      claim.last,
      o.idempotencyKey,
      { cause: error ?? cause }
    )
  let fresh: Snapshot
  try {
    fresh = await file.read()
  } catch (error) {
    throw unknown(error)
  }
  const claims = claimsOf(fresh.doc)
  if (claims[claimKey]?.nonce === claim.nonce)
    return { finish: await file.claimCommitOrNull(claim.nonce), how: 'claim' }
  if (fresh.sha === base.sha) return { retry: { fresh, how: 'unchanged' } }
  const covered = Object.values(claims).some(
    (c) => c.sequence === o.key && c.first <= claim.first && claim.first <= c.last
  )
  if (covered) return { retry: { fresh, how: 'other-claim' } }
  let commitSha: string | null
  try {
    commitSha = await file.findClaimCommit(claim.nonce)
  } catch (error) {
    throw unknown(error)
  }
  return commitSha !== null
    ? { finish: commitSha, how: 'history' }
    : { retry: { fresh, how: 'history' } }
}

/** The claim this call already holds: our nonce, or a claim under the caller's idempotency key. */
function heldClaim(
  snap: Snapshot,
  claimKey: string,
  nonce: string,
  o: ResolvedIncrement
): Claim | undefined {
  const claim = claimsOf(snap.doc)[claimKey]
  if (!claim || (claim.nonce !== nonce && o.idempotencyKey === undefined)) return undefined
  const sameName = claim.sequence === o.name || claim.sequence.startsWith(`${o.name}/`)
  if (!sameName || claim.last - claim.first + 1 !== o.count)
    throw new IdempotencyKeyConflictError(claimKey, claim, { sequence: o.key, count: o.count })
  return claim
}

function incrementResult(
  o: ResolvedIncrement,
  claim: Claim,
  extra: { attempts: number; commitSha: string | null; reused: boolean; requests: number }
): IncrementResult {
  // A block claimed by an earlier call is formatted in the period it was claimed in.
  const period = extra.reused && claim.at ? periodOfClaim(o, claim.at) : o.period
  const render = o.render
  return {
    name: o.name,
    key: claim.sequence,
    first: claim.first,
    last: claim.last,
    previous: claim.first - 1,
    ...(render
      ? {
          formatted: {
            first: render({ value: claim.first, name: o.name, period }),
            last: render({ value: claim.last, name: o.name, period })
          }
        }
      : {}),
    commitSha: extra.commitSha,
    attempts: extra.attempts,
    reused: extra.reused,
    nonce: claim.nonce,
    requests: extra.requests
  }
}

function periodOfClaim(o: ResolvedIncrement, at: string): Period {
  const date = new Date(at)
  return Number.isNaN(date.getTime()) ? o.period : periodOf(date, o.startMonth, o.timeZone)
}

function checkLength(o: ResolvedIncrement, last: number): void {
  if (o.maxLength === undefined) return
  const longest = o.render ? o.render({ value: last, name: o.name, period: o.period }) : `${last}`
  if (longest.length > o.maxLength)
    throw new SequenceFormatTooLongError(o.key, longest, o.maxLength)
}
