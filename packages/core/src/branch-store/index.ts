/**
 * `@hubstore/core/branch-store`: the branch store's defaults and the names of the state
 * commands. `BranchStore` and `runStateCommand` are at the root. See packages/core/README.md,
 * "State on a branch".
 */
export { BRANCH_STORE_DEFAULTS } from './branch-store.js'
export { DEFAULT_STATE_BRANCH } from './constants.js'
export { STATE_COMMANDS } from './command.js'
export type { BranchHead, CommitVia, ReadVia } from './git.js'
