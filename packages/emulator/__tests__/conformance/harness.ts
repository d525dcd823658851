import { strict as assert } from 'node:assert'
import type { Emulator, Exchange } from '../../src/index.js'
import { API_ROUTES } from '../../src/routes/index.js'
import { client, failure, newRepo, startTestEmulator, TOKENS, type TestClient } from '../support.js'
import { checkGraphql, GRAPHQL_ROUTE } from './graphql.js'
import { describe, openApi, type Failure } from './openapi.js'

/**
 * The conformance harness: one emulator whose every API exchange is recorded (through
 * `EmulatorOptions.onExchange`) and checked against GitHub's OpenAPI description, or, for
 * `POST /graphql`, against `@octokit/graphql-schema`. Scenarios are plain functions using
 * `node:assert`, so one scenario list serves both the per-group test files and the
 * coverage run.
 */

/** One conformance scenario: requests through the real Octokit; title `<operation>: <behaviour>`. */
export interface Scenario {
  title: string
  run(h: Harness): Promise<void>
}

/** The scenarios of one resource group (one test file). */
export interface ScenarioGroup {
  name: string
  scenarios: Scenario[]
}

/** One exchange with its verdict. */
export interface CheckedExchange {
  exchange: Exchange
  operationId: string
  failures: Failure[]
  /** Set when a deliberately invalid request was (correctly) answered with a 4xx. */
  rejectedInvalidRequest?: string
  /** Findings that do not fail the exchange (missing documented response headers). */
  warnings: Failure[]
  /** How it was validated: the REST description or the GraphQL schema. */
  validator: 'openapi' | 'graphql'
}

/** `<METHOD> <template>` of every served API route, in table order. */
export function servedRoutes(): string[] {
  return API_ROUTES.map(({ route }) => `${route.method} ${route.template}`)
}

/** Checks one exchange with the validator its route needs. */
export async function checkExchange(exchange: Exchange): Promise<CheckedExchange> {
  if (`${exchange.method} ${exchange.route}` === GRAPHQL_ROUTE) {
    const failures = await checkGraphql(exchange)
    return { exchange, operationId: 'graphql', failures, warnings: [], validator: 'graphql' }
  }
  return { exchange, ...openApi().check(exchange), validator: 'openapi' }
}

export class Harness {
  /** Every exchange since the harness started, in order. */
  readonly exchanges: Exchange[]
  /** The Octokit clients of `TOKENS` (see `__tests__/support.ts`). */
  readonly owner: TestClient
  readonly writer: TestClient
  readonly reader: TestClient
  readonly anonymous: TestClient

  private constructor(
    readonly emulator: Emulator,
    exchanges: Exchange[]
  ) {
    this.exchanges = exchanges
    this.owner = client(emulator, TOKENS.owner)
    this.writer = client(emulator, TOKENS.writer)
    this.reader = client(emulator, TOKENS.reader)
    this.anonymous = client(emulator)
  }

  /** Starts a test emulator (frozen clock, `TOKENS` registered) that records exchanges. */
  static async start(): Promise<Harness> {
    const exchanges: Exchange[] = []
    const emulator = await startTestEmulator({ onExchange: (e) => exchanges.push(e) })
    return new Harness(emulator, exchanges)
  }

  close(): Promise<void> {
    return this.emulator.close()
  }

  /** Creates `octo/<unique name>` through the admin API. */
  newRepo(prefix: string, options: { private?: boolean } = {}) {
    return newRepo(this.emulator, `conf-${prefix}`, options)
  }

  /** An Octokit client for any token. */
  client(token?: string): TestClient {
    return client(this.emulator, token)
  }

  /**
   * A plain `fetch` for the few requests Octokit cannot send (it drops a trailing slash);
   * returns the status and the parsed JSON body.
   */
  async fetch(
    method: string,
    path: string,
    token?: string,
    body?: unknown
  ): Promise<{ status: number; data: unknown }> {
    const res = await fetch(`${this.emulator.url}${path}`, {
      method,
      headers: {
        accept: 'application/vnd.github+json',
        ...(token ? { authorization: `token ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' })
      },
      body: body === undefined ? undefined : JSON.stringify(body)
    })
    const text = await res.text()
    return { status: res.status, data: text === '' ? undefined : (JSON.parse(text) as unknown) }
  }

  /** Awaits a request that must fail with `status` (and `message`, when given). */
  async fails(promise: Promise<unknown>, status: number, message?: string): Promise<void> {
    const error = await failure(promise)
    assert.equal(error.status, status, `expected ${status}, got ${error.status}`)
    if (message !== undefined) assert.equal(error.response.data.message, message)
  }

  /** Runs one scenario and checks the exchanges it produced. */
  async run(scenario: Scenario): Promise<ScenarioResult> {
    const start = this.exchanges.length
    let error: unknown = null
    try {
      await scenario.run(this)
    } catch (e) {
      error = e
    }
    const checked: CheckedExchange[] = []
    for (const exchange of this.exchanges.slice(start)) checked.push(await checkExchange(exchange))
    return { title: scenario.title, error, checked }
  }
}

/** What one scenario produced. */
export interface ScenarioResult {
  title: string
  /** What the scenario itself threw (a failed `assert`, an unexpected HTTP error), or `null`. */
  error: unknown
  checked: CheckedExchange[]
}

/** Failures of a scenario as lines (`[]` when it passed). */
export function problems(result: ScenarioResult): string[] {
  const lines = result.checked.flatMap((c) => c.failures.map(describe))
  if (result.error !== null)
    lines.unshift(
      `scenario threw: ${result.error instanceof Error ? (result.error.stack ?? result.error.message) : String(result.error)}`
    )
  if (result.checked.length === 0) lines.push('scenario made no API request')
  return lines
}

/** Runs every scenario of `groups` on one harness; returns the results in order. */
export async function runGroups(groups: ScenarioGroup[]): Promise<ScenarioResult[]> {
  const h = await Harness.start()
  try {
    const results: ScenarioResult[] = []
    for (const group of groups)
      for (const scenario of group.scenarios) results.push(await h.run(scenario))
    return results
  } finally {
    await h.close()
  }
}
