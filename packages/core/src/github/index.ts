/**
 * `@hubstore/core/github`: the client's and the backoff's defaults, the version the client's
 * `User-Agent` carries, and one file of a repository read or written through the contents API.
 */
export { CLIENT_DEFAULTS } from './client.js'
export { HUBSTORE_VERSION } from '../version.js'
export { BACKOFF_DEFAULTS, type BackoffOptions } from './backoff.js'
export {
  compareAndSwap,
  RETRY_DEFAULTS,
  type CasOutcome,
  type CasSpec,
  type CasPlan,
  type CasSettlement,
  type CasWriteOutcome
} from './cas.js'
export { readRepoFile, writeRepoFile, type RepoFile } from './contents.js'
export { repositoryPath, unsafePathReason, type RepositoryPathOptions } from './path.js'
