/**
 * What the webhook engine keeps: repository webhooks (in the state, `StateData.hooks`) and
 * delivery attempts (in memory, per instance). Plain JSON; imports nothing, so `state.ts` can
 * name these types without a cycle.
 */

/** A repository webhook (`POST /repos/{owner}/{repo}/hooks`). */
export interface RepoHookRecord {
  id: number
  /** Lower-cased `owner/repo` of the repository. */
  repo_key: string
  /** The repository id (survives a rename). */
  repository_id: number
  active: boolean
  /** Event names, or `['*']` for every event. */
  events: string[]
  config: HookConfig
  created_at: string
  updated_at: string
}

/** A webhook's `config`; `secret` is kept but never answered (GitHub answers `********`). */
export interface HookConfig {
  url: string
  content_type: 'json' | 'form'
  insecure_ssl: '0' | '1'
  secret?: string
}

/** Who a delivery is for: an App's webhook or a repository webhook. */
export interface DeliveryTarget {
  type: 'App' | 'Repository'
  /** The App id or the repository webhook id (`X-GitHub-Hook-ID`). */
  hookId: number
  /** `X-GitHub-Hook-Installation-Target-Type` / `-ID`: `integration` + App id, `repository` + repository id. */
  targetType: 'integration' | 'repository'
  targetId: number
  url: string
  secret: string | null
  contentType: 'json' | 'form'
}

/** One delivery attempt, as `GET …/hook/deliveries/{delivery_id}` answers it. */
export interface DeliveryRecord {
  id: number
  guid: string
  /** When the attempt was made (emulator clock, ISO with milliseconds). */
  delivered_at: string
  redelivery: boolean
  /** Seconds the receiver took to answer (wall time). */
  duration: number
  /** `OK`, or why it failed (`Invalid HTTP Response: 503`, `failed to connect to host`, `timed out`). */
  status: string
  /** The receiver's HTTP status; `0` when there was no answer. */
  status_code: number
  event: string
  action: string | null
  installation_id: number | null
  repository_id: number | null
  url: string
  target: DeliveryTarget
  request: { headers: Record<string, string>; payload: Record<string, unknown> }
  response: { headers: Record<string, string>; payload: string | null }
  /** `false` until the attempt finished. */
  done: boolean
}
