/**
 * Limits the emulator enforces, as GitHub does, with the unit in every name. Each value cites
 * the paragraph of `docs/github-behaviour.md` it comes from.
 */

/** Issue body, in UTF-16 code units (JS string length). §3.2: 422 `body is too long (maximum is 65536 characters)`. */
export const ISSUE_BODY_MAX_CHARS = 65_536
/** Issue comment body, same unit and rule as the issue body (§3.2). */
export const COMMENT_BODY_MAX_CHARS = 65_536
/** Label name (§3.4: `name is too long (maximum is 50 characters)`). */
export const LABEL_NAME_MAX_CHARS = 50
/** Label description (§3.4: `description (≤ 100 chars)`). */
export const LABEL_DESCRIPTION_MAX_CHARS = 100
/** Items per page when `per_page` is absent (§3.1, §8 item 12). */
export const PER_PAGE_DEFAULT = 30
/** Largest honoured `per_page`; bigger values are clamped (§3.1, §8 item 12). */
export const PER_PAGE_MAX = 100
/** Primary REST budget of a token, requests per hour (§5.1, PAT / user token row). */
export const RATE_LIMIT_DEFAULT_PER_HOUR = 5000
/** Primary REST budget without a token, requests per hour (§5.1, unauthenticated row). */
export const RATE_LIMIT_UNAUTHENTICATED_PER_HOUR = 60
/** Length of a primary rate-limit window, seconds (§5.1 "req/h"; reset is epoch seconds, §5.3). */
export const RATE_LIMIT_WINDOW_SECONDS = 3600
/** Base64 line length of `content` in a contents GET answer, characters (§1.1). */
export const CONTENT_BASE64_LINE_CHARS = 60
/** Actions variable value, in UTF-8 bytes: §4 "48 KB per variable", read as 48 × 1024 bytes. */
export const VARIABLE_VALUE_MAX_BYTES = 49_152
/** Actions variables per repository (§4: 500 per repository). */
export const VARIABLES_PER_REPO_MAX = 500
/** Variables per page when `per_page` is absent (§4, §8 item 12: default 10). */
export const VARIABLES_PER_PAGE_DEFAULT = 10
/** Largest honoured `per_page` for variables; bigger values are clamped (§4: max 30). */
export const VARIABLES_PER_PAGE_MAX = 30

/**
 * Largest request body read, in bytes (§11.3): a 100 MB blob (§2.1), base64-encoded inside its
 * JSON, fits; a bigger body is answered 413 after at most this many bytes, never buffered whole.
 */
export const REQUEST_BODY_MAX_BYTES = 150_000_000

/** All of the above as one read-only object. */
export const LIMITS = {
  ISSUE_BODY_MAX_CHARS,
  COMMENT_BODY_MAX_CHARS,
  LABEL_NAME_MAX_CHARS,
  LABEL_DESCRIPTION_MAX_CHARS,
  PER_PAGE_DEFAULT,
  PER_PAGE_MAX,
  RATE_LIMIT_DEFAULT_PER_HOUR,
  RATE_LIMIT_UNAUTHENTICATED_PER_HOUR,
  RATE_LIMIT_WINDOW_SECONDS,
  CONTENT_BASE64_LINE_CHARS,
  VARIABLE_VALUE_MAX_BYTES,
  VARIABLES_PER_REPO_MAX,
  VARIABLES_PER_PAGE_DEFAULT,
  VARIABLES_PER_PAGE_MAX,
  REQUEST_BODY_MAX_BYTES
} as const
