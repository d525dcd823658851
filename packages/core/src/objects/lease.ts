/**
 * A lease that makes the processing of one object mutually exclusive (docs/architecture.md
 * §2.3.1). The issue body has no compare-and-swap on GitHub (docs/github-behaviour.md §3.2), so
 * two processors that overlap could write a stale fold over a newer one; a git ref does have one
 * (§2.1, §2.5):
 *
 * - the lease of issue `n` is the ref `refs/hubstore/leases/issues/<n>` (outside `refs/heads`,
 *   so it is no branch), pointing at a commit on git's empty tree whose message records the
 *   holder and the expiry (`Hubstore-Lease-*` trailers);
 * - taking a lease nobody ever took is `POST /git/refs` (atomic: 422 `Reference already exists`
 *   for the loser);
 * - taking over a released or expired lease, renewing and releasing are fast-forward
 *   `PATCH /git/refs` (`force: false`) to a child commit: a compare-and-swap on the ref, since
 *   a sibling of the winner's commit is not a fast forward (422);
 * - a crashed holder's lease expires after `durationMs` (default 2 min), measured on the
 *   holder's clock and compared on the reader's (clocks must agree to well under the duration).
 *
 * Every write here goes through the one compare-and-swap loop (`compareAndSwap`, `cas.ts`): a
 * lease held by a live run is a conflict that waits with the loop's jittered backoff, reported
 * through `onEvent`, until the wait budget runs out.
 */
import { randomUUID } from 'node:crypto'
import { ObjectProcessingConflictError } from '../errors.js'
import {
  compareAndSwap,
  resolveRetryOptions,
  type CasWriteOutcome,
  type RetryOptions
} from '../github/cas.js'
import type { RepoContext } from '../github/context.js'
import { githubMessageOf, isAmbiguous, statusOf, toGitHubRequestError } from '../github/request.js'

/** Options of an object's lease ({@link ProcessOptions}`.lease`); every field is optional. */
export interface LeaseOptions {
  /** How long a lease lasts without renewal, milliseconds (default 120,000). */
  durationMs?: number
  /** This processor's id, recorded in the lease (default `hubstore-<random UUID>`). */
  holder?: string
  /** Clock of the expiry, milliseconds since the epoch (default `Date.now`). */
  now?: () => number
  /**
   * Waiting for a lease another live run holds: attempts, time budget, backoff and `onEvent`
   * (conflicts name the holder and its expiry). Defaults in {@link LEASE_DEFAULTS}.
   */
  wait?: RetryOptions
}

/** Defaults of {@link LeaseOptions}. */
export const LEASE_DEFAULTS = {
  /** 2 minutes */
  durationMs: 120_000,
  /** waiting for a held lease: up to 40 attempts within 3 minutes, waits of up to 5 s */
  wait: { maxAttempts: 40, maxElapsedMs: 180_000, baseMs: 250, maxMs: 5_000 }
} as const

/** git's empty tree, which every repository can name (docs/github-behaviour.md §2.5). */
export const EMPTY_TREE_SHA = '4b825dc642cb6eb9a060e54bf8d69288fbee4904'

/** The lease ref of issue `n`, without `refs/` (as `git/ref/{ref}` takes it). */
export function leaseRef(issueNumber: number): string {
  return `hubstore/leases/issues/${issueNumber}`
}

/** A lease as read: nobody ever took it, or its commit and what the message says. */
export type LeaseState =
  | { kind: 'absent' }
  | {
      kind: 'present'
      /** the commit the ref points at */
      sha: string
      /** `held` (until `expiresAtMs`), `released`, or `unreadable` (not a hubstore lease message) */
      status: 'held' | 'released' | 'unreadable'
      holder?: string
      expiresAtMs?: number
    }

const TRAILER = {
  holder: 'Hubstore-Lease-Holder',
  state: 'Hubstore-Lease-State',
  expires: 'Hubstore-Lease-Expires-Ms'
} as const

/** The commit message of a lease commit (trailers parsed back by {@link parseLeaseMessage}). */
export function leaseMessage(
  issueNumber: number,
  holder: string,
  status: 'held' | 'released',
  expiresAtMs: number
): string {
  const headline =
    status === 'held'
      ? `hubstore lease on issue #${issueNumber}: held by ${holder} until ${new Date(expiresAtMs).toISOString()}`
      : `hubstore lease on issue #${issueNumber}: released by ${holder}`
  return (
    `${headline}\n\n${TRAILER.holder}: ${holder}\n${TRAILER.state}: ${status}\n` +
    `${TRAILER.expires}: ${expiresAtMs}\n`
  )
}

/** Reads the trailers of a lease commit; anything else is `unreadable` (treated as free). */
export function parseLeaseMessage(
  message: string
): Pick<Extract<LeaseState, { kind: 'present' }>, 'status' | 'holder' | 'expiresAtMs'> {
  const field = (name: string) => new RegExp(`^${name}: (.+)$`, 'm').exec(message)?.[1]?.trim()
  const holder = field(TRAILER.holder)
  const state = field(TRAILER.state)
  const expiresAtMs = Number(field(TRAILER.expires))
  if (!holder || (state !== 'held' && state !== 'released') || !Number.isSafeInteger(expiresAtMs))
    return { status: 'unreadable' }
  return { status: state, holder, expiresAtMs }
}

/** A lease this run holds. */
export interface HeldLease {
  issueNumber: number
  holder: string
  /** the lease commit the ref points at now */
  sha: string
  expiresAtMs: number
}

const WRITE = { retries: 0 }

/** How one move of the lease ref ended. */
type RefMove = { kind: 'written' } | Exclude<CasWriteOutcome<never>, { kind: 'written' }>
/** Attempts of a renewal or release whose answers keep getting lost (each settled by a read). */
const ADVANCE_ATTEMPTS = 3

/**
 * The leases of one processing run or sweep: one holder id, one clock, and whether GraphQL
 * works (after one failure the lease is read over REST for the rest of the run).
 */
export class ObjectLeases {
  readonly holder: string
  readonly durationMs: number
  private readonly now: () => number
  private readonly wait: RetryOptions
  private graphql = true

  constructor(
    private readonly ctx: RepoContext,
    options: LeaseOptions = {}
  ) {
    this.holder = options.holder ?? `hubstore-${randomUUID()}`
    this.durationMs = options.durationMs ?? LEASE_DEFAULTS.durationMs
    this.now = options.now ?? (() => Date.now())
    this.wait = { ...LEASE_DEFAULTS.wait, now: this.now, ...options.wait }
    resolveRetryOptions(this.wait)
  }

  /**
   * Takes the lease of issue `n`: creates it, or takes over a released or expired one; waits
   * (jittered backoff, `wait`) while another live run holds it.
   *
   * Cost: 1 read (GraphQL; 2 REST when GraphQL is unavailable) + 1 commit + 1 ref write when
   * uncontended; each lost race or wait adds a read (and a commit + ref write when it tries
   * again).
   *
   * @throws ObjectProcessingConflictError `lease-held` (naming the holder and its expiry) when
   *   the wait budget runs out; GitHubRequestError.
   */
  async acquire(issueNumber: number): Promise<HeldLease> {
    type Plan =
      { kind: 'take'; parent: string | null } | { kind: 'wait'; holder?: string; until?: number }
    let last: { holder?: string; until?: number } = {}
    let mine: string | undefined
    const outcome = await compareAndSwap<LeaseState, Plan, HeldLease>(
      {
        read: () => this.read(issueNumber),
        plan: (state) => {
          if (state.kind === 'absent') return { write: { kind: 'take', parent: null } }
          const live =
            state.status === 'held' &&
            state.holder !== this.holder &&
            this.now() < state.expiresAtMs!
          return live
            ? { write: { kind: 'wait', holder: state.holder, until: state.expiresAtMs } }
            : { write: { kind: 'take', parent: state.sha } }
        },
        write: async (_state, plan): Promise<CasWriteOutcome<HeldLease>> => {
          if (plan.kind === 'wait') {
            last = { holder: plan.holder, until: plan.until }
            return {
              kind: 'conflict',
              problem: `issue #${issueNumber} is held by ${plan.holder} until ${new Date(plan.until!).toISOString()}`
            }
          }
          const expiresAtMs = this.now() + this.durationMs
          const message = leaseMessage(issueNumber, this.holder, 'held', expiresAtMs)
          mine = await this.commit(issueNumber, message, plan.parent)
          const moved = await this.moveRef(issueNumber, mine, plan.parent)
          if (moved.kind !== 'written') return moved
          return {
            kind: 'written',
            value: { issueNumber, holder: this.holder, sha: mine, expiresAtMs }
          }
        },
        settle: async ({ outcome, plan }) => {
          if (plan.kind === 'wait') return { retry: {} }
          const fresh = await this.read(issueNumber)
          if (outcome.kind === 'ambiguous' && fresh.kind === 'present' && fresh.sha === mine)
            return {
              finish: {
                issueNumber,
                holder: this.holder,
                sha: mine,
                expiresAtMs: fresh.expiresAtMs!
              },
              how: 'the lease ref points at our commit'
            }
          return { retry: { fresh } }
        }
      },
      resolveRetryOptions(this.wait)
    )
    if (outcome.kind === 'finished') return outcome.value
    throw new ObjectProcessingConflictError(
      issueNumber,
      'lease-held',
      last.holder,
      last.until === undefined ? undefined : new Date(last.until).toISOString(),
      `waited ${outcome.attempts} attempt(s) over ${outcome.elapsedMs} ms (last: ${outcome.problem})`
    )
  }

  /**
   * Renews `lease` when less than half of its duration is left (0 requests otherwise; 2 — a
   * commit and a fast-forward — when due).
   *
   * @throws ObjectProcessingConflictError `lease-lost` when another run took it over.
   */
  async renewIfDue(lease: HeldLease): Promise<void> {
    if (this.now() < lease.expiresAtMs - this.durationMs / 2) return
    const expiresAtMs = this.now() + this.durationMs
    await this.advance(lease, 'held', expiresAtMs)
    lease.expiresAtMs = expiresAtMs
  }

  /**
   * Releases `lease`: a fast-forward to a `released` child commit, which also proves the lease
   * was still ours up to this moment (nobody took it over: their commit would not be our
   * ancestor). Cost: 2 requests (a commit, a fast-forward).
   *
   * @throws ObjectProcessingConflictError `lease-lost` when another run took it over.
   */
  async release(lease: HeldLease): Promise<void> {
    await this.advance(lease, 'released', this.now())
  }

  /** One fast-forward of our own lease to a child commit, settled by reading back when lost. */
  private async advance(
    lease: HeldLease,
    status: 'held' | 'released',
    expiresAtMs: number
  ): Promise<void> {
    let next: string | undefined
    let other = { kind: 'absent' } as LeaseState
    const outcome = await compareAndSwap<string, string, 'moved' | 'lost'>(
      {
        initial: lease.sha,
        read: () => Promise.resolve(lease.sha),
        plan: (sha) => ({ write: sha }),
        write: async (sha) => {
          const message = leaseMessage(lease.issueNumber, this.holder, status, expiresAtMs)
          next = await this.commit(lease.issueNumber, message, sha)
          const moved = await this.moveRef(lease.issueNumber, next, sha)
          return moved.kind === 'written' ? { kind: 'written', value: 'moved' } : moved
        },
        settle: async () => {
          other = await this.read(lease.issueNumber)
          if (other.kind === 'present' && other.sha === next)
            return { finish: 'moved', how: 'the lease ref points at our commit' }
          if (other.kind === 'present' && other.sha === lease.sha) return { retry: {} }
          return { finish: 'lost', how: 'another run moved the lease' }
        }
      },
      resolveRetryOptions({ ...this.wait, maxAttempts: ADVANCE_ATTEMPTS, maxElapsedMs: Infinity })
    )
    if (outcome.kind === 'finished' && outcome.value === 'moved') {
      lease.sha = next!
      return
    }
    const taken = other.kind === 'present' ? other : undefined
    throw new ObjectProcessingConflictError(
      lease.issueNumber,
      'lease-lost',
      taken?.holder,
      taken?.expiresAtMs === undefined ? undefined : new Date(taken.expiresAtMs).toISOString(),
      outcome.kind === 'finished'
        ? `the lease ref moved from our commit ${lease.sha.slice(0, 7)} to ${taken ? taken.sha.slice(0, 7) : 'nothing'}`
        : `${outcome.attempts} attempt(s) to ${status === 'held' ? 'renew' : 'release'} it failed (last: ${outcome.problem})`
    )
  }

  /**
   * Reads the lease: GraphQL `object(expression: "refs/hubstore/leases/issues/<n>")` with the
   * commit message (1 request), or, where GraphQL is unavailable, `GET git/ref` + `GET
   * git/commits` (2).
   */
  async read(issueNumber: number): Promise<LeaseState> {
    const { octokit, owner, repo } = this.ctx
    const ref = leaseRef(issueNumber)
    if (this.graphql) {
      try {
        const data = await octokit.graphql<{
          repository: { object: { oid: string; message?: string } | null } | null
        }>(
          `query ReadLease($owner: String!, $repo: String!, $ref: String!) {
  repository(owner: $owner, name: $repo) { object(expression: $ref) { oid ... on Commit { message } } }
}`,
          { owner, repo, ref: `refs/${ref}` }
        )
        const object = data.repository?.object
        if (!object) return { kind: 'absent' }
        return { kind: 'present', sha: object.oid, ...parseLeaseMessage(object.message ?? '') }
      } catch (error) {
        // A GraphQL endpoint that is missing or refuses the document: read over REST from now on.
        if (
          statusOf(error) === undefined &&
          (error as { name?: string })?.name !== 'GraphqlResponseError'
        )
          throw error
        this.graphql = false
      }
    }
    let sha: string
    try {
      sha = (await octokit.rest.git.getRef({ owner, repo, ref })).data.object.sha
    } catch (error) {
      if (statusOf(error) === 404) return { kind: 'absent' }
      throw toGitHubRequestError(`read the lease of issue #${issueNumber}`, error)
    }
    try {
      const { data } = await octokit.rest.git.getCommit({ owner, repo, commit_sha: sha })
      return { kind: 'present', sha, ...parseLeaseMessage(data.message) }
    } catch (error) {
      throw toGitHubRequestError(`read the lease of issue #${issueNumber}`, error)
    }
  }

  /** Creates a lease commit on the empty tree (1 request). */
  private async commit(
    issueNumber: number,
    message: string,
    parent: string | null
  ): Promise<string> {
    const { octokit, owner, repo } = this.ctx
    try {
      const { data } = await octokit.rest.git.createCommit({
        owner,
        repo,
        message,
        tree: EMPTY_TREE_SHA,
        parents: parent ? [parent] : [],
        request: WRITE
      })
      return data.sha
    } catch (error) {
      throw toGitHubRequestError(`write a lease commit for issue #${issueNumber}`, error)
    }
  }

  /**
   * Points the lease ref at `sha`: `POST git/refs` when there is no ref yet (`parent` null),
   * else a fast-forward `PATCH` (1 request). A lost race is a conflict to re-read at once; a 5xx
   * or network failure is ambiguous.
   */
  private async moveRef(issueNumber: number, sha: string, parent: string | null): Promise<RefMove> {
    const { octokit, owner, repo } = this.ctx
    const ref = leaseRef(issueNumber)
    try {
      if (parent === null)
        await octokit.rest.git.createRef({ owner, repo, ref: `refs/${ref}`, sha, request: WRITE })
      else await octokit.rest.git.updateRef({ owner, repo, ref, sha, force: false, request: WRITE })
      return { kind: 'written' }
    } catch (error) {
      const status = statusOf(error)
      const problem = `${status ?? '?'} ${githubMessageOf(error) ?? ''}`.trim()
      // 422 `Reference already exists`, `Update is not a fast forward`, `Reference does not exist`
      if (status === 422 || status === 409) return { kind: 'conflict', problem, then: 'now' }
      if (isAmbiguous(error)) return { kind: 'ambiguous', problem, error }
      throw toGitHubRequestError(`move the lease of issue #${issueNumber}`, error)
    }
  }
}

/**
 * Lease options that log each wait for a lease another run holds, one line per conflict
 * (`issue #5 is held by <holder> until <ISO time>; attempt 2`), for the action and the CLI.
 */
export function loggedLeaseWaits(log: (line: string) => void): LeaseOptions {
  return {
    wait: {
      onEvent: (event) => {
        if (event.type === 'conflict')
          log(`Waiting for the lease: ${event.problem}; attempt ${event.attempt}.`)
      }
    }
  }
}
