/**
 * What the GitHub Apps model keeps in the state (`StateData.apps`): Apps with their public keys,
 * their installations and the installation access tokens minted for them. Plain JSON; this file
 * imports nothing so `state.ts` can name these types without a cycle.
 */

/** A GitHub App registered through `POST /_emulator/apps`. */
export interface AppRecord {
  id: number
  slug: string
  name: string
  client_id: string
  /** Login of the owning account. */
  owner: string
  /** The public half of the App's RSA key (SPKI PEM); the private half is returned once. */
  public_key_pem: string
  webhook_url: string | null
  webhook_secret: string | null
  /** GitHub permission names → `read` | `write` | `admin`. */
  permissions: Record<string, string>
  events: string[]
  created_at: string
  updated_at: string
}

/** One installation of an App on an account. */
export interface InstallationRecord {
  id: number
  app_id: number
  /** Login of the account the App is installed on. */
  account: string
  /** `all`: every repository of the account, also the ones created later. */
  repository_selection: 'all' | 'selected'
  /** Repository ids when `repository_selection` is `selected`. */
  repository_ids: number[]
  created_at: string
  updated_at: string
}

/** An installation access token (`ghs_…`). */
export interface InstallationTokenRecord {
  token: string
  installation_id: number
  /** Emulator-clock ISO time after which the token answers 401 `Bad credentials`. */
  expires_at: string
  permissions: Record<string, string>
  /** Repository ids the token was narrowed to; `null` = every repository of the installation. */
  repository_ids: number[] | null
}

/** The Apps part of the state. */
export interface AppsData {
  /** Keyed by lower-cased slug. */
  apps: Record<string, AppRecord>
  /** Keyed by installation id. */
  installations: Record<string, InstallationRecord>
  /** Keyed by the token string. */
  tokens: Record<string, InstallationTokenRecord>
}
