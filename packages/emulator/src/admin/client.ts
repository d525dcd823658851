import type { LedgerEntry } from '../ledger.js'
import type { SeedIssue } from './seed.js'
import type { FaultInput, FaultRule, LatencyInput, LatencyRule } from '../faults.js'
import type { LfsQuotaInput, LfsUsage } from '../git-http/lfs-accounting.js'
import type { CreateAppInput, CreateInstallationInput } from '../models/apps.js'
import type { CreateRepoInput } from '../models/repos.js'
import type { DeliveryFaultInput, DeliveryFaultRule } from '../webhooks/faults.js'
import type { CreateTeamInput } from '../models/teams.js'
import type { CreateTokenInput } from '../models/users.js'
import type {
  BudgetInput,
  RateStatus,
  SecondaryLimitInput,
  SecondaryLimitRule
} from '../rate-limit.js'

/** Prefix of every admin route; these need no token, spend no rate limit, skip the ledger. */
export const ADMIN_PREFIX = '/_emulator'

/** `/repos/<owner>/<repo>` of a full name, URL-encoded. */
function repoBase(fullName: string): string {
  const [owner, repo] = fullName.split('/')
  return `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo ?? '')}`
}

/** An admin request that failed; `status` and `message` are the emulator's answer. */
export class EmulatorAdminError extends Error {
  constructor(
    readonly status: number,
    message: string
  ) {
    super(`emulator admin API answered ${status}: ${message}`)
    this.name = 'EmulatorAdminError'
  }
}

/**
 * Typed client for the admin API over HTTP (works against any running emulator). Every
 * method throws `EmulatorAdminError` when the emulator answers a non-2xx status.
 */
export class EmulatorAdminClient {
  private readonly baseUrl: string

  /** @param baseUrl the emulator's URL, e.g. `http://127.0.0.1:41234` (a trailing `/` is dropped). */
  constructor(baseUrl: string) {
    this.baseUrl = baseUrl.replace(/\/+$/, '')
  }

  /** Creates a repository (`default_branch` `main`, public, User-owned by default); 409 if it exists. */
  createRepo(
    r: CreateRepoInput & {
      /** Commit `README.md` as "Initial commit" (default `true`); `false` = empty repository. */
      auto_init?: boolean
    }
  ): Promise<unknown> {
    return this.call('POST', '/repos', r)
  }

  /**
   * Registers a token acting as `login` with `permission` on every repo, or only on `repos`
   * (full names). `type` defaults to `Bot` for logins ending in `[bot]`, else `User`;
   * `rate_limit_per_hour` defaults to 5000.
   */
  createToken(t: CreateTokenInput): Promise<unknown> {
    return this.call('POST', '/tokens', t)
  }

  /**
   * Commits a UTF-8 file at `path` of `fullName` (`owner/repo`) on `options.branch` (default:
   * the default branch) with `options.message`; answers `{path, sha, size, commit}`.
   */
  putFile(
    fullName: string,
    path: string,
    content: string,
    options: { branch?: string; message?: string } = {}
  ): Promise<unknown> {
    return this.call('POST', `${repoBase(fullName)}/files`, { path, content, ...options })
  }

  /**
   * Stale-read mode (docs/github-behaviour.md §8 item 6): contents reads naming a branch are
   * served from the branch as it was `lagMs` ms ago (emulated clock); `0` turns it off.
   */
  async setStaleReads(lagMs: number): Promise<void> {
    await this.call('POST', '/stale-reads', { lag_ms: lagMs })
  }

  /** The bare git repository of `fullName`: its directory on disk and its refs. */
  async gitRepo(
    fullName: string
  ): Promise<{ path: string; refs: Array<{ ref: string; sha: string }> }> {
    return (await this.call('GET', `${repoBase(fullName)}/git`)) as {
      path: string
      refs: Array<{ ref: string; sha: string }>
    }
  }

  /** Tells the emulator that refs of `fullName` were moved with git directly (re-read them). */
  async refsChanged(fullName: string): Promise<void> {
    await this.call('POST', `${repoBase(fullName)}/git/refs-changed`)
  }

  /** Every move of `ref` (default: the default branch) seen by the emulator, oldest first. */
  async refHistory(
    fullName: string,
    ref?: string
  ): Promise<Array<{ time: string; sha: string | null }>> {
    const query = ref === undefined ? '' : `?ref=${encodeURIComponent(ref)}`
    const body = (await this.call('GET', `${repoBase(fullName)}/git/ref-history${query}`)) as {
      entries: Array<{ time: string; sha: string | null }>
    }
    return body.entries
  }

  /**
   * The Git LFS figures of `fullName`: objects and bytes stored, bytes uploaded and downloaded
   * through the basic transfer, and its quotas (`null` = none).
   */
  async lfsUsage(fullName: string): Promise<LfsUsage> {
    return (await this.call('GET', `${repoBase(fullName)}/lfs`)) as LfsUsage
  }

  /**
   * Sets (bytes) or removes (`null`) the LFS storage and bandwidth quotas of `fullName`; past
   * them the Batch API answers 403 "This repository is over its data quota…" as GitHub does.
   */
  async setLfsQuota(fullName: string, quota: LfsQuotaInput): Promise<LfsUsage> {
    return (await this.call('POST', `${repoBase(fullName)}/lfs/quota`, quota)) as LfsUsage
  }

  /**
   * Registers a GitHub App with a fresh RSA key. Answers `{id, slug, client_id, private_key}`;
   * the private key (PEM) is only ever returned here. 409 when the slug is taken.
   */
  async createApp(
    input: CreateAppInput
  ): Promise<{ id: number; slug: string; client_id: string; private_key: string }> {
    return (await this.call('POST', '/apps', input)) as {
      id: number
      slug: string
      client_id: string
      private_key: string
    }
  }

  /**
   * Installs the App `slug` on `account` (created when missing): on `repositories` (names of
   * the account's repositories) or, when absent, on all of them. Answers the installation id.
   */
  async createInstallation(slug: string, input: CreateInstallationInput): Promise<{ id: number }> {
    const path = `/apps/${encodeURIComponent(slug)}/installations`
    return (await this.call('POST', path, input)) as { id: number }
  }

  /** Uninstalls the installation `id` (sends `installation.deleted` to the App's webhook). */
  async deleteInstallation(id: number): Promise<void> {
    await this.call('DELETE', `/installations/${id}`)
  }

  /**
   * Adds and removes repositories (names of the account's repositories) of the installation
   * `id`; sends `installation_repositories` `added` / `removed`. Answers the selection.
   */
  async changeInstallationRepositories(
    id: number,
    change: { add?: string[]; remove?: string[] }
  ): Promise<{ id: number; repository_selection: string; repository_ids: number[] }> {
    return (await this.call('POST', `/installations/${id}/repositories`, change)) as {
      id: number
      repository_selection: string
      repository_ids: number[]
    }
  }

  /**
   * Adds a webhook delivery fault: `drop` (endpoint down: recorded as failed, nothing sent),
   * `fail` (recorded as answered `status`, default 500), `delay` (`delay_ms` ms of wall time
   * first); for at most `count` deliveries (absent: all) of `event` (absent: any).
   */
  async addWebhookFault(input: DeliveryFaultInput): Promise<DeliveryFaultRule> {
    return (await this.call('POST', '/webhooks/faults', input)) as DeliveryFaultRule
  }

  /** The webhook delivery fault rules, with strikes left and fired counts. */
  async webhookFaults(): Promise<DeliveryFaultRule[]> {
    const body = (await this.call('GET', '/webhooks/faults')) as { faults: DeliveryFaultRule[] }
    return body.faults
  }

  /** Removes every webhook delivery fault. */
  async clearWebhookFaults(): Promise<void> {
    await this.call('DELETE', '/webhooks/faults')
  }

  /**
   * Waits until every queued webhook delivery (also those queued meanwhile) is done; answers
   * how many were waited for. Call it instead of sleeping.
   */
  async settleWebhooks(): Promise<number> {
    const body = (await this.call('POST', '/webhooks/settle')) as { settled: number }
    return body.settled
  }

  /** Every webhook delivery attempt of the instance, oldest first (request and response). */
  async webhookDeliveries(): Promise<Array<Record<string, unknown>>> {
    const body = (await this.call('GET', '/webhooks/deliveries')) as {
      deliveries: Array<Record<string, unknown>>
    }
    return body.deliveries
  }

  /** Creates (or replaces) the team `org/slug` with `members` (logins). */
  createTeam(t: CreateTeamInput): Promise<unknown> {
    return this.call('POST', '/teams', t)
  }

  /** Every API request recorded since start or the last `clearLedger()`/`reset()`, oldest first. */
  async ledger(): Promise<LedgerEntry[]> {
    const body = (await this.call('GET', '/ledger')) as { entries: LedgerEntry[] }
    return body.entries
  }

  /** Empties the ledger. */
  async clearLedger(): Promise<void> {
    await this.call('DELETE', '/ledger')
  }

  /** Fresh empty state: no repos, tokens, teams; ledger and rate limits cleared. */
  async reset(): Promise<void> {
    await this.call('POST', '/reset')
  }

  /** Moves the emulated clock forward by `ms` milliseconds; answers the new time (ISO). */
  async advanceClock(ms: number): Promise<string> {
    const body = (await this.call('POST', '/clock', { advance_ms: ms })) as { now: string }
    return body.now
  }

  /**
   * Overrides the primary budget of `token` (absent: every token and anonymous callers):
   * `limit` requests per window, `remaining` left now (default `limit`), window ending in
   * `reset_in_s` seconds (default 3600); an exhausted budget answers `status` (403 or 429).
   * Answers the bucket's state (`token` absent: the anonymous bucket).
   */
  async setRateLimit(input: BudgetInput): Promise<RateStatus & { resource: string }> {
    return (await this.call('POST', '/rate-limits', input)) as RateStatus & { resource: string }
  }

  /**
   * Makes the next `count` API requests (of `token`, with a method in `methods`; absent = any)
   * answer a secondary rate limit: `status` (403 or 429) with `retry-after: retry_after_s`.
   */
  async setSecondaryLimit(input: SecondaryLimitInput): Promise<SecondaryLimitRule> {
    return (await this.call('POST', '/secondary-limits', input)) as SecondaryLimitRule
  }

  /** Drops every queued secondary-limit answer. */
  async clearSecondaryLimits(): Promise<void> {
    await this.call('DELETE', '/secondary-limits')
  }

  /**
   * Adds a fault rule: matching requests (`method`, `route` template or `*`) answer `status`
   * `before` the handler runs (nothing changes) or `after` it ran (its changes stay); at most
   * `count` times, each with `probability` (seeded by `seed`). Answers the rule with its `id`.
   */
  async addFault(input: FaultInput): Promise<FaultRule> {
    return (await this.call('POST', '/faults', input)) as FaultRule
  }

  /** The fault rules (with strikes left and fired counts) and latency rules. */
  async faults(): Promise<{ faults: FaultRule[]; latency: LatencyRule[] }> {
    return (await this.call('GET', '/faults')) as { faults: FaultRule[]; latency: LatencyRule[] }
  }

  /** Removes every fault rule, or only the one with this `id` (404 when unknown). */
  async clearFaults(id?: string): Promise<void> {
    await this.call('DELETE', id === undefined ? '/faults' : `/faults/${encodeURIComponent(id)}`)
  }

  /**
   * Delays requests to `route` (absent: every route) by `ms` plus up to `jitter_ms` ms of wall
   * time; `ms: 0` removes that rule. Answers every latency rule.
   */
  async setLatency(input: LatencyInput): Promise<LatencyRule[]> {
    const body = (await this.call('POST', '/latency', input)) as { latency: LatencyRule[] }
    return body.latency
  }

  /**
   * Creates `count` issues (≤ 100,000) in `fullName` at once, authored by `login` (default the
   * owner), titled `<title_prefix> <n>`; or, given a list, exactly those issues (title, body,
   * labels — created when missing, as `issues/create` does — and state). Answers the first and
   * last issue numbers.
   */
  /**
   * `count` repositories `<owner>/<prefix>-<i>` in one request (`POST /_emulator/seed-repos`):
   * each with the same initial commit (a copy of the first's git repository), no webhook events.
   */
  async seedRepos(
    owner: string,
    count: number,
    options: { prefix?: string; auto_init?: boolean; owner_type?: 'User' | 'Organization' } = {}
  ): Promise<{ count: number; names: string[] }> {
    return (await this.call('POST', '/seed-repos', { owner, count, ...options })) as {
      count: number
      names: string[]
    }
  }

  async seedIssues(
    fullName: string,
    count: number | SeedIssue[],
    options: { login?: string; title_prefix?: string } = {}
  ): Promise<{ count: number; first: number; last: number }> {
    return (await this.call('POST', `${repoBase(fullName)}/seed-issues`, {
      ...(typeof count === 'number' ? { count } : { issues: count }),
      ...options
    })) as {
      count: number
      first: number
      last: number
    }
  }

  private async call(method: string, path: string, body?: unknown): Promise<unknown> {
    const res = await fetch(`${this.baseUrl}${ADMIN_PREFIX}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body)
    })
    const text = await res.text()
    let data: unknown
    try {
      data = text === '' ? undefined : JSON.parse(text)
    } catch {
      data = text
    }
    if (!res.ok) {
      const message = (data as { message?: string } | undefined)?.message ?? text
      throw new EmulatorAdminError(res.status, message)
    }
    return data
  }
}
