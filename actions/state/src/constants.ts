/** Input names of the state action (action.yml `inputs`). */
export enum Inputs {
  Command = 'command',
  Path = 'path',
  Value = 'value',
  Default = 'default',
  Branch = 'branch',
  CreateBranch = 'create-branch',
  Message = 'message',
  Token = 'token',
  Repository = 'repository'
}

/** Output names of the state action (action.yml `outputs`). */
export enum Outputs {
  Value = 'value',
  Exists = 'exists',
  CommitSha = 'commit-sha',
  Changed = 'changed'
}
