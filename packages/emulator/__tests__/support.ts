import { afterAll, beforeAll } from '@jest/globals'
import { Octokit } from '@octokit/core'
import { paginateRest } from '@octokit/plugin-paginate-rest'
import { restEndpointMethods } from '@octokit/plugin-rest-endpoint-methods'
import { startEmulator, type Emulator, type EmulatorOptions } from '../src/index.js'

/** The frozen start of emulated time in tests; tests move it with `admin.advanceClock`. */
export const T0 = new Date('2025-01-01T00:00:00Z')

/** The Octokit shape hubstore uses: REST methods + paginate, pointed at the emulator. */
export const TestOctokit = Octokit.plugin(restEndpointMethods, paginateRest)
export type TestClient = InstanceType<typeof TestOctokit>

/** Repository owner used by every test repo. */
export const OWNER = 'octo'

/** Tokens every test emulator knows (see `startTestEmulator`). */
export const TOKENS = {
  owner: 'tok-owner', // octo, admin
  writer: 'tok-writer', // writer, write
  reader: 'tok-reader', // reader, read
  outsider: 'tok-outsider', // outsider, read
  botRead: 'tok-bot-read', // github-actions[bot], read
  botWrite: 'tok-bot-write' // hubstore-app[bot], write
} as const

/** Starts an emulator with a frozen clock at `T0` and the `TOKENS` registered. */
export async function startTestEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const emulator = await startEmulator({ now: () => T0, ...options })
  await registerTokens(emulator)
  return emulator
}

/** Registers `TOKENS` (again, e.g. after a reset). */
export async function registerTokens(emulator: Emulator): Promise<void> {
  const { admin } = emulator
  await admin.createToken({ token: TOKENS.owner, login: OWNER, permission: 'admin' })
  await admin.createToken({ token: TOKENS.writer, login: 'writer', permission: 'write' })
  await admin.createToken({ token: TOKENS.reader, login: 'reader', permission: 'read' })
  await admin.createToken({ token: TOKENS.outsider, login: 'outsider', permission: 'read' })
  await admin.createToken({
    token: TOKENS.botRead,
    login: 'github-actions[bot]',
    type: 'Bot',
    permission: 'read'
  })
  await admin.createToken({
    token: TOKENS.botWrite,
    login: 'hubstore-app[bot]',
    type: 'Bot',
    permission: 'write'
  })
}

/** An Octokit client for `token` (anonymous without one). */
export function client(emulator: Emulator, token?: string): TestClient {
  return new TestOctokit({ baseUrl: emulator.url, ...(token ? { auth: token } : {}) })
}

/**
 * The set-up most test files share: starts a test emulator (`startTestEmulator(options)`) in
 * `beforeAll` and closes it in `afterAll`. Returns a stand-in to keep at module level: every
 * property read is forwarded to the emulator once it has started (reading earlier throws).
 */
export function useTestEmulator(options: EmulatorOptions = {}): Emulator {
  let started: Emulator | undefined
  beforeAll(async () => {
    started = await startTestEmulator(options)
  })
  afterAll(async () => {
    await started?.close()
  })
  return forwardTo('useTestEmulator()', () => started)
}

/**
 * An Octokit client for `token` (anonymous without one) on an emulator from `useTestEmulator`,
 * built on first use, so it can be declared at module level next to it.
 */
export function lazyClient(emulator: Emulator, token?: string): TestClient {
  let built: TestClient | undefined
  return forwardTo('lazyClient()', () => (built ??= client(emulator, token)))
}

/** An object whose property reads go to `target()`, which exists only once tests run. */
function forwardTo<T extends object>(what: string, target: () => T | undefined): T {
  const resolve = () => {
    const t = target()
    if (!t) throw new Error(`${what} is used before beforeAll started the emulator`)
    return t
  }
  return new Proxy({} as T, {
    get: (_, key) => Reflect.get(resolve(), key),
    has: (_, key) => Reflect.has(resolve(), key),
    ownKeys: () => Reflect.ownKeys(resolve()),
    getOwnPropertyDescriptor: (_, key) => {
      const d = Reflect.getOwnPropertyDescriptor(resolve(), key)
      return d && { ...d, configurable: true }
    }
  })
}

let counter = 0
/** A repository name no other test uses. */
export function uniqueRepo(prefix: string): string {
  counter += 1
  return `${prefix}-${counter}-${process.pid}`
}

/** Creates `octo/<unique name>` and returns `{owner, repo}`. */
export async function newRepo(
  emulator: Emulator,
  prefix: string,
  options: { private?: boolean } = {}
): Promise<{ owner: string; repo: string }> {
  const repo = uniqueRepo(prefix)
  await emulator.admin.createRepo({ full_name: `${OWNER}/${repo}`, ...options })
  return { owner: OWNER, repo }
}

/** What Octokit's `RequestError` carries that tests look at. */
export interface GitHubFailure {
  status: number
  response: {
    data: { message: string; errors?: unknown[]; [k: string]: unknown }
    headers: Record<string, string>
  }
}

/** Awaits a request that must fail and returns Octokit's error. */
export async function failure(promise: Promise<unknown>): Promise<GitHubFailure> {
  try {
    await promise
  } catch (error) {
    return error as GitHubFailure
  }
  throw new Error('expected the request to fail')
}

/** GitHub's timestamp form: ISO 8601, whole seconds, `Z`. */
export const GITHUB_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/
