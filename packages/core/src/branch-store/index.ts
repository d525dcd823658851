/**
 * `@hubstore/core/branch-store`: JSON documents at paths on a branch, every write a
 * compare-and-swap commit on the branch head; `get` / `set` / `merge` / `delete` of one document
 * (the `state` action and `hubstore state`). See packages/core/README.md, "State on a branch".
 */
export {
  BRANCH_STORE_DEFAULTS,
  BranchStore,
  type BranchStoreOptions,
  type ChangeFunction,
  type ChangeSet,
  type CommitResult,
  type CreateBranchMode,
  type Documents,
  type StateDocument
} from './branch-store.js'
export type { BackoffOptions as StateBackoffOptions } from '../github/backoff.js'
export { DEFAULT_STATE_BRANCH } from './constants.js'
export {
  runStateCommand,
  STATE_COMMANDS,
  type StateCommand,
  type StateCommandOptions,
  type StateCommandResult
} from './command.js'
export type { BranchHead, CommitVia, ReadVia } from './git.js'
export { applyMergePatch } from './merge-patch.js'
