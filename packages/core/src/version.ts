/**
 * hubstore's version, kept equal to `packages/core/package.json` (a test checks it). Used in the
 * client's user agent and as `_meta.client_version` of the comments hubstore writes.
 */
export const HUBSTORE_VERSION = '0.1.0'
