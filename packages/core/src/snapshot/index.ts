/** `@hubstore/core/snapshot`: the snapshot file format (gh-store's `snapshot.json`). */
export { parseSnapshot, serializeSnapshot } from './format.js'
