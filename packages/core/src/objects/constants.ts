/**
 * gh-store's wire vocabulary (docs/gh-store-format.md §1.1, §1.3, §2.1, §2.4) and the platform
 * limits hubstore enforces before writing (docs/github-behaviour.md §3.2, §3.4). Names carry their
 * units.
 */
import { HUBSTORE_VERSION } from '../version.js'

/** Labels (gh-store `LabelNames`, §1.1). */
export const LABELS = {
  /** namespace label on every managed issue */
  ghStore: 'gh-store',
  /** marks an active object; removed on delete */
  storedObject: 'stored-object',
  /** `UID:<object-id>` is the object's identity label */
  uidPrefix: 'UID:',
  /** marks a deleted object */
  archived: 'archived',
  /** marks an object merged or deduplicated away (gh-store canonicalize, §1.6) */
  deprecated: 'deprecated-object',
  /** `ALIAS-TO:<canonical-object-id>` on an alias issue */
  aliasToPrefix: 'ALIAS-TO:',
  /** `MERGED-INTO:<target-object-id>` on a deprecated issue */
  mergedIntoPrefix: 'MERGED-INTO:',
  /** `DEPRECATED-BY:<target-issue-number>` on a deprecated issue */
  deprecatedByPrefix: 'DEPRECATED-BY:'
} as const

/** Label colours gh-store uses when it creates labels (§1.1), hex without `#`. */
export const LABEL_COLORS = {
  ghStore: '6f42c1',
  deprecated: '999999',
  aliasTo: 'fbca04',
  mergedInto: 'd73a49',
  deprecatedBy: 'd73a49'
} as const

/** Reaction contents (gh-store `config.yml` `store.reactions`, §2.4; `confused` is hubstore's). */
export const REACTIONS = {
  /** the comment was applied (gh-store's processed marker) */
  processed: '+1',
  /** marks the initial-state comment */
  initialState: 'rocket',
  /** the comment was rejected and will never be applied (hubstore; gh-store leaves these bare) */
  rejected: 'confused'
} as const

/** Issue title prefix (§1.3): `Stored Object: <object-id>`. */
export const TITLE_PREFIX = 'Stored Object: '

/** `type` of the initial-state comment (§2.2). */
export const INITIAL_STATE_TYPE = 'initial_state'

/** `_meta.client_version` written by hubstore (gh-store writes its package version, §2.1). */
export const CLIENT_VERSION = `hubstore/${HUBSTORE_VERSION}`

/**
 * Where a `replace` update hubstore writes keeps its client version: its `client_version` is
 * `null`, so gh-store's processor, which ignores `update_mode` and would deep-merge the update,
 * skips it as invalid metadata instead (docs/gh-store-format.md §2.10).
 */
export const REPLACE_CLIENT_VERSION_KEY = 'hubstore_client_version'

/**
 * GitHub's limit for issue and comment bodies, in UTF-16 code units (docs/github-behaviour.md
 * §3.2).
 */
export const MAX_BODY_CHARS = 65_536

/** GitHub's limit for label names, in characters (docs/github-behaviour.md §3.4). */
export const MAX_LABEL_CHARS = 50

/**
 * Deepest object/array nesting accepted in stored data or an update. V8's `JSON.stringify` runs out
 * of stack between 3,000 and 5,000 levels; real objects stay far below this.
 */
export const MAX_NESTING_DEPTH = 100

/** Page size for every listing (GitHub's maximum, docs/github-behaviour.md §3.1). */
export const PER_PAGE = 100

/**
 * Aliased `addReaction` mutations per GraphQL document when processing marks comments. 50
 * mutations cost 250 secondary-rate-limit points (5 each, docs/github-behaviour.md §5.2), well
 * under the 2,000 points/min budget; K updates cost ⌈K / 50⌉ documents.
 */
export const REACTIONS_PER_GRAPHQL_DOCUMENT = 50
