import { jsonInput, oneOf, relativeFilePath } from '@hubstore/action-kit'
import { STATE_COMMANDS } from '@hubstore/core/branch-store'

/** Input names of the state action (action.yml `inputs`). */
export enum Inputs {
  Command = 'command',
  Path = 'path',
  Value = 'value',
  ValueFile = 'value-file',
  Default = 'default',
  Branch = 'branch',
  CreateBranch = 'create-branch',
  Message = 'message',
  Token = 'token',
  Repository = 'repository',
  /** read by @hubstore/action-kit's clientFromInputs */
  RequestTimeout = 'request-timeout',
  MaxRateLimitWait = 'max-rate-limit-wait'
}

/** Output names of the state action (action.yml `outputs`). */
export enum Outputs {
  Value = 'value',
  Exists = 'exists',
  CommitSha = 'commit-sha',
  Changed = 'changed'
}

/** Input specs particular to this action (the shared ones live in @hubstore/action-kit). */
export const stateInputSpecs = {
  command: oneOf(STATE_COMMANDS),
  /** Any JSON text; `''` = not given. */
  json: jsonInput('a JSON value (e.g. {"count": 1}, [1, 2], "text", 3, true), or empty'),
  createBranch: oneOf(['orphan', 'default-branch']),
  path: relativeFilePath('a relative file path such as counters/build.json')
}
