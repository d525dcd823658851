/**
 * Which repositories of a sweep's batch changed, by the sweep's `detect` mode
 * (docs/activity-sweeps.md §2): `graphql` asks the change query (changes.ts), `rest` the
 * conditional GETs (conditional.ts), and `auto` (the default) GraphQL first, falling back to
 * REST for the batch when GraphQL cannot serve: the client's GraphQL budget is at the
 * governor's reserve while REST still has room, the query is refused (a GraphQL
 * `RATE_LIMITED` / `FORBIDDEN` / `INSUFFICIENT_SCOPES` error, HTTP 403 or 404 on `/graphql`), or
 * a repository cannot be resolved through GraphQL. Once GraphQL could not serve a client, the
 * rest of that client's batches go to REST directly; the reason is reported once.
 */
import type { HubstoreOctokit } from '../github/client.js'
import { compareWithRow, GRAPHQL_REFUSALS, queryChanges, type RepositoryKey } from './changes.js'
import { checkRepository, credentialTag, type StreamValidator } from './conditional.js'
import type { BudgetGovernor } from './governor.js'
import type { ActivityDb, RepositoryRow } from './types.js'

/** How a sweep detects changes. */
export type DetectMode = 'auto' | 'graphql' | 'rest'
/** Every {@link DetectMode}, for flag and input validation. */
export const DETECT_MODES: readonly DetectMode[] = ['auto', 'graphql', 'rest']

/** A repository a sweep checks. */
export interface SweepTarget {
  fullName: string
  installationId: number | null
  row: RepositoryRow | undefined
}

/** A repository that needs its delta fetch. */
export interface ChangedTarget {
  target: SweepTarget
  why: string[]
  fullName: string
  /** GitHub id, when known (a repository never stored and checked by REST has none yet). */
  id: number | undefined
  headSha: string | null
  /** REST validators to save once the fetch succeeded (empty on the GraphQL path). */
  fresh: StreamValidator[]
}

/** The verdict on one batch. */
export interface Detection {
  changed: ChangedTarget[]
  unchanged: Array<{ target: SweepTarget; fresh: StreamValidator[] }>
  /** Gone, or no longer visible to the client. */
  missing: SweepTarget[]
  /** REST requests sent and how many were answered 304. */
  restSent: number
  restNotModified: number
}

/** At most this many repositories are checked over REST at once. */
const REST_CONCURRENCY = 4

function keyOf(t: SweepTarget): RepositoryKey {
  return t.row?.node_id ? { nodeId: t.row.node_id } : { fullName: t.fullName }
}

function emptyDetection(): Detection {
  return { changed: [], unchanged: [], missing: [], restSent: 0, restNotModified: 0 }
}

/** Detects changes for one client (one installation, or the token) of one sweep. */
export class Detector {
  private restReason: string | null = null

  constructor(
    private readonly db: ActivityDb,
    private readonly octokit: HubstoreOctokit,
    private readonly budget: string,
    private readonly governor: BudgetGovernor,
    private readonly mode: DetectMode,
    /** Called once per client with why its batches go to REST (`auto` only). */
    private readonly onFallback: (reason: string, repositories: number) => void
  ) {}

  /**
   * The verdict on `chunk` (≤ 100 repositories).
   * @throws what queryChanges / checkRepository throw and `auto` does not fall back on
   */
  async detect(chunk: readonly SweepTarget[]): Promise<Detection> {
    if (this.mode === 'rest') return this.rest(chunk)
    if (this.mode === 'auto' && this.restReason === null && this.graphqlAtReserve())
      this.fallBack(
        `the GraphQL budget of ${this.budget} is at the governor's reserve while REST has room`,
        chunk.length
      )
    if (this.restReason !== null) return this.rest(chunk)
    let answer: Awaited<ReturnType<typeof queryChanges>>
    try {
      answer = await queryChanges(this.octokit, chunk.map(keyOf))
    } catch (error) {
      const reason = this.mode === 'auto' ? this.cannotServe(error) : null
      if (reason === null) throw error
      this.fallBack(reason, chunk.length)
      return this.rest(chunk)
    }
    const out = emptyDetection()
    const unresolved: SweepTarget[] = []
    for (const target of chunk) {
      const key = keyOf(target)
      const state = answer.found.get('nodeId' in key ? key.nodeId : key.fullName)
      if (!state) {
        unresolved.push(target)
        continue
      }
      const why = compareWithRow(target.row, state)
      if (why.length === 0) out.unchanged.push({ target, fresh: [] })
      else
        out.changed.push({
          target,
          why,
          fullName: state.fullName,
          id: state.databaseId,
          headSha: state.headSha,
          fresh: []
        })
    }
    if (unresolved.length === 0 || this.mode === 'graphql') {
      out.missing.push(...unresolved)
      return out
    }
    this.onFallback(
      `${unresolved.length} of ${chunk.length} repositories could not be resolved through GraphQL`,
      unresolved.length
    )
    const viaRest = await this.rest(unresolved)
    return {
      changed: [...out.changed, ...viaRest.changed],
      unchanged: [...out.unchanged, ...viaRest.unchanged],
      missing: viaRest.missing,
      restSent: viaRest.restSent,
      restNotModified: viaRest.restNotModified
    }
  }

  private fallBack(reason: string, repositories: number): void {
    this.restReason = reason
    this.onFallback(reason, repositories)
  }

  private graphqlAtReserve(): boolean {
    return (
      this.governor.atReserve(this.budget, 'graphql') &&
      !this.governor.atReserve(this.budget, 'core')
    )
  }

  /** Why GraphQL cannot serve this client, from the error of a change query; `null`: it can. */
  private cannotServe(error: unknown): string | null {
    const e = error as {
      code?: string
      resource?: string
      graphqlType?: string
      status?: number
      details?: { status?: number }
    }
    if (e?.code === 'BUDGET_RESERVE_REACHED' && e.resource === 'graphql')
      return this.governor.atReserve(this.budget, 'core')
        ? null
        : `the GraphQL budget of ${this.budget} is at the governor's reserve while REST has room`
    if (e?.code === 'CHANGE_QUERY_REFUSED') return `GraphQL answered ${e.graphqlType}`
    // plugin-throttling turns a GraphQL RATE_LIMITED answer into an error of its own, with the
    // body as `data`, once the client gave up waiting for the reset (docs/github-behaviour.md §5.4)
    const errors = (error as { data?: { errors?: Array<{ type?: string }> } } | null)?.data?.errors
    const refused = errors?.find((x) => GRAPHQL_REFUSALS.has(x.type ?? ''))?.type
    if (refused) return `GraphQL answered ${refused}`
    const status = e?.status ?? e?.details?.status
    if (status === 403 || status === 404) return `POST /graphql answered HTTP ${status}`
    return null
  }

  private async rest(targets: readonly SweepTarget[]): Promise<Detection> {
    const tag = await credentialTag(this.octokit)
    const checks: Array<Awaited<ReturnType<typeof checkRepository>>> = []
    let next = 0
    let stop = false
    const worker = async (): Promise<void> => {
      while (!stop && next < targets.length) {
        const i = next++
        try {
          checks[i] = await checkRepository(this.db, this.octokit, tag, targets[i]!.row)
        } catch (error) {
          stop = true // the others send nothing more (a budget stop, a failure)
          throw error
        }
      }
    }
    const settled = await Promise.allSettled(
      Array.from({ length: Math.min(REST_CONCURRENCY, targets.length) }, () => worker())
    )
    const failure = settled.find((s) => s.status === 'rejected')
    if (failure) throw failure.reason
    const out = emptyDetection()
    targets.forEach((target, i) => {
      const check = checks[i]!
      out.restSent += check.sent
      out.restNotModified += check.notModified
      if (check.missing) out.missing.push(target)
      else if (check.why.length === 0) out.unchanged.push({ target, fresh: check.fresh })
      else
        out.changed.push({
          target,
          why: check.why,
          fullName: target.row?.full_name ?? target.fullName,
          id: target.row?.id,
          headSha: check.headSha,
          fresh: check.fresh
        })
    })
    return out
  }
}
