/**
 * @hubstore/core — a GitHub repository as a data store. No `@actions/*` import anywhere: actions
 * and the CLI are thin adapters over these functions.
 */
export {
  CLIENT_DEFAULTS,
  createGitHubClient,
  type ClientOptions,
  type HubstoreOctokit,
  type RateLimitHandler,
  type RequestCounter
} from './github/client.js'
export type { RepoContext } from './github/context.js'
export {
  DuplicateObjectIdError,
  GitHubRequestError,
  HubstoreError,
  InvalidObjectBodyError,
  InvalidObjectDataError,
  InvalidObjectIdError,
  InvalidOptionsError,
  isHubstoreError,
  LabelsNotAppliedError,
  NotAStoredObjectError,
  ObjectAlreadyExistsError,
  ObjectNotFoundError,
  ObjectTooLargeError,
  type AnyHubstoreError,
  type HubstoreErrorCode
} from './github/errors.js'
export {
  Authorizer,
  CODEOWNERS_PATHS,
  githubAuthorizationSource,
  grantsWrite,
  parseCodeowners,
  type AuthorizationDecision,
  type AuthorizationSource,
  type Codeowners
} from './objects/authorization.js'
export {
  CLIENT_VERSION,
  INITIAL_STATE_TYPE,
  LABELS,
  MAX_BODY_CHARS,
  MAX_LABEL_CHARS,
  MAX_NESTING_DEPTH,
  REACTIONS,
  TITLE_PREFIX
} from './objects/constants.js'
export {
  buildEnvelope,
  parseComment,
  type EnvelopeInput,
  type ParsedComment,
  type RejectionCode,
  type UpdateMeta
} from './objects/envelope.js'
export { validateObjectId, type StoredObject } from './objects/issues.js'
export type { JsonObject } from './objects/json.js'
export {
  applyUpdate,
  applyUpdates,
  deepMerge,
  type MergeResult,
  type UpdateMode
} from './objects/merge.js'
export { processOpenObjects, processUpdates, type ProcessResult } from './objects/process.js'
export { createObject, getObject, updateObject, type UpdateQueued } from './objects/store.js'
export { HUBSTORE_VERSION } from './version.js'
