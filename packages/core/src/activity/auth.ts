/**
 * The clients the activity loops use (`activityClients`): one token (`GITHUB_TOKEN`, a PAT) for
 * a list of repositories, or a GitHub App, whose installations each get a client whose
 * installation token is minted on first use, cached and minted again before it expires. Every
 * client is built by `createGitHubClient` (src/github/client.ts), so retries, throttling,
 * `retry-after` and request counting are the one mechanism every hubstore operation uses.
 */
import { createGitHubClient, type ClientOptions, type HubstoreOctokit } from '../github/client.js'
import { ActivityAuthError } from '../errors/activity-sync.js'

/** A token for a fixed list of repositories. */
export interface TokenCredentials {
  token: string
  baseUrl?: string
}

/** A GitHub App's credentials; its installations are found through `GET /app/installations`. */
export interface AppCredentialsInput {
  appId: number | string
  /** PEM (`-----BEGIN RSA PRIVATE KEY-----` PKCS#1, or PKCS#8) */
  privateKey: string
  baseUrl?: string
  /**
   * Milliseconds before an installation token's `expires_at` at which it is no longer used and
   * a new one is minted; default 10 minutes (so a token lives 50 minutes here, the seed's
   * cache time; docs/activity-sweeps.md §4).
   */
  refreshBeforeMs?: number
  /** Clock, epoch ms (default `Date.now`); tests pass the emulator's. */
  now?: () => number
}

/** Options of {@link activityClients}: either credentials, plus client options for each client. */
export type ActivityClientsOptions = (TokenCredentials | AppCredentialsInput) & {
  /** Passed to every `createGitHubClient` (timeouts, throttling, log); `token`/`app` are set here. */
  client?: Omit<ClientOptions, 'token' | 'app' | 'baseUrl'>
}

/** What {@link activityClients} returns. */
export interface ActivityClients {
  /** `token` (one PAT / `GITHUB_TOKEN`) or `app`. */
  readonly mode: 'token' | 'app'
  /**
   * The client for an installation (App mode), or the token's client (`null`, token mode; any
   * id answers the same client there). One client per installation, built once and kept.
   * @throws ActivityAuthError (`ACTIVITY_AUTH_INVALID`) for `null` in App mode
   */
  clientFor(installationId: number | null): Promise<HubstoreOctokit>
  /** App mode: the client authenticated as the App (JWT), for `/app/…` routes. */
  readonly appClient?: HubstoreOctokit
  /** The budget key of a client's rate limit: `token`, `installation:<id>`, `app`. */
  budgetKey(installationId: number | null): string
  /** Installation tokens minted so far (App mode), for reports and tests. */
  readonly tokensMinted: () => number
}

/** 10 minutes, in ms: how long before `expires_at` an installation token is replaced. */
export const TOKEN_REFRESH_BEFORE_MS = 600_000

/**
 * Builds the clients the sweep, the redelivery loop and the CLI use.
 *
 * - Token: `clientFor(_)` answers one client built with the token.
 * - App: `appClient` signs a JWT (≤ 10 minutes, `@octokit/auth-app`) for `/app/…` routes;
 *   `clientFor(id)` answers that installation's client, whose token (valid 1 hour) is minted by
 *   `POST /app/installations/{id}/access_tokens` on first use and reused until
 *   `refreshBeforeMs` before its `expires_at` by `now` (GitHub docs, "Generating an installation
 *   access token for a GitHub App"; docs/github-behaviour.md §7, docs/activity-sweeps.md §4).
 *
 * @throws ActivityAuthError (`ACTIVITY_AUTH_INVALID`) when the token is empty, the App id is
 *   not a positive integer or the key is not a PEM private key
 */
export function activityClients(options: ActivityClientsOptions): ActivityClients {
  const extra = options.client ?? {}
  if ('token' in options) {
    if (!options.token)
      throw new ActivityAuthError(
        'No token was given',
        'Set GITHUB_TOKEN (a PAT or the workflow token), or give App credentials (GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY)'
      )
    const client = createGitHubClient({
      ...extra,
      token: options.token,
      ...(options.baseUrl ? { baseUrl: options.baseUrl } : {})
    })
    return {
      mode: 'token',
      clientFor: async () => client,
      budgetKey: () => 'token',
      tokensMinted: () => 0
    }
  }
  const appId = Number(options.appId)
  if (!Number.isInteger(appId) || appId <= 0)
    throw new ActivityAuthError(
      `The App id ${JSON.stringify(String(options.appId))} is not a positive integer`,
      'Set GITHUB_APP_ID to the App id shown on the App’s settings page'
    )
  if (!/-----BEGIN (RSA )?PRIVATE KEY-----/.test(options.privateKey))
    throw new ActivityAuthError(
      'The App private key is not a PEM private key',
      'Set GITHUB_APP_PRIVATE_KEY to the contents of the .pem file GitHub generated (with its BEGIN/END lines)'
    )
  const now = options.now ?? Date.now
  const refreshBeforeMs = options.refreshBeforeMs ?? TOKEN_REFRESH_BEFORE_MS
  let minted = 0
  const cache = tokenCache(now, refreshBeforeMs, () => (minted += 1))
  const base = {
    ...extra,
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {})
  }
  const appClient = createGitHubClient({ ...base, app: { appId, privateKey: options.privateKey } })
  const clients = new Map<number, HubstoreOctokit>()
  return {
    mode: 'app',
    appClient,
    clientFor: async (installationId) => {
      if (installationId === null)
        throw new ActivityAuthError(
          'A repository with no installation cannot be read with App credentials',
          'Install the App on the repository’s account, or sync it with a token (GITHUB_TOKEN)'
        )
      let client = clients.get(installationId)
      if (!client) {
        client = createGitHubClient({
          ...base,
          app: { appId, privateKey: options.privateKey, installationId, cache }
        })
        clients.set(installationId, client)
      }
      return client
    },
    budgetKey: (installationId) =>
      installationId === null ? 'app' : `installation:${installationId}`,
    tokensMinted: () => minted
  }
}

/**
 * auth-app's token cache, by our clock: a token is answered until `refreshBeforeMs` before its
 * `expires_at` (the third `|` field of auth-app's value), then forgotten so auth-app mints a
 * new one; `onSet` counts the mints. State belongs to one `activityClients` (no module cache).
 */
function tokenCache(now: () => number, refreshBeforeMs: number, onSet: () => void) {
  const values = new Map<string, string>()
  return {
    get(key: string): string | undefined {
      const value = values.get(key)
      if (value === undefined) return undefined
      const expiresAt = Date.parse(value.split('|')[2] ?? '')
      if (!Number.isFinite(expiresAt) || now() >= expiresAt - refreshBeforeMs) {
        values.delete(key)
        return undefined
      }
      return value
    },
    set(key: string, value: string): void {
      onSet()
      values.set(key, value)
    }
  }
}
