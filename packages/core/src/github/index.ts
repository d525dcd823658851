/**
 * `@hubstore/core/github`: the client's version and defaults, the backoff's defaults, the checks of the values users
 * give the client (API URL, durations), and one file of a
 * repository read or written through the contents API.
 */
export { apiUrlProblem, CLIENT_DEFAULTS, RETRY_AFTER_BASE_ENV } from './client.js'
export { DURATION_FORMS, parseDurationMs } from './duration.js'
export { ECHO_MAX_CHARS, echoValue } from '../errors/echo.js'
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
