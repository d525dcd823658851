import type { HubstoreOctokit } from './client.js'
import type { StoreConfig } from '../objects/config.js'

/** The repository an operation works on, and the client it spends requests from. */
export interface RepoContext {
  /** built by `createGitHubClient` */
  octokit: HubstoreOctokit
  /** repository owner login (user or organisation); also the first authorisation rule */
  owner: string
  /** repository name */
  repo: string
  /** clock for `_meta.timestamp` (default `() => new Date()`) */
  now?: () => Date
  /**
   * the object store's configuration (gh-store's `config.yml`, `parseStoreConfig`): labels and
   * reactions every objects operation uses; gh-store's defaults when absent
   */
  storeConfig?: StoreConfig
}

/** `owner/repo`, for messages. */
export function repositoryName(ctx: Pick<RepoContext, 'owner' | 'repo'>): string {
  return `${ctx.owner}/${ctx.repo}`
}

/** The context's clock reading: `ctx.now()`, else the current time. */
export function contextNow(ctx: Pick<RepoContext, 'now'>): Date {
  return ctx.now?.() ?? new Date()
}
