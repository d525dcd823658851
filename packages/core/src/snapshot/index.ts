/**
 * `@hubstore/core/snapshot`: the snapshot file format (gh-store's `snapshot.json`) and snapshots
 * taken in memory, without a location (the root's `snapshotInto` writes one to a location), and
 * `syncSnapshotFile`, the repository-file shorthand of `snapshotInto`.
 */
export { parseSnapshot, serializeSnapshot, snapshotObjects } from './format.js'
export { createSnapshot, updateSnapshot } from './snapshot.js'
export { syncSnapshotFile, type SyncSnapshotOptions } from './snapshot.js'
