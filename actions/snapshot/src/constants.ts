import { oneOf, relativeFilePath, type InputSpec } from '@hubstore/action-kit'
import { z } from 'zod'

/** Input names of the snapshot action (action.yml `inputs`). */
export enum Inputs {
  Token = 'token',
  Repository = 'repository',
  Path = 'path',
  Mode = 'mode',
  Commit = 'commit',
  Branch = 'branch',
  /** read by @hubstore/action-kit's clientFromInputs */
  RequestTimeout = 'request-timeout',
  MaxRateLimitWait = 'max-rate-limit-wait',
  Config = 'config'
}

/** Output names of the snapshot action (action.yml `outputs`). */
export enum Outputs {
  Path = 'path',
  Objects = 'objects',
  Changed = 'changed',
  CommitSha = 'commit-sha'
}

/** Input specs particular to this action (the shared ones live in @hubstore/action-kit). */
export const snapshotInputSpecs = {
  /** A relative path inside the repository: no leading `/`, no `..` segment. */
  path: relativeFilePath('a relative file path such as data/store-snapshot.json'),
  mode: oneOf(['full', 'incremental']),
  /** Empty (default branch) or a branch name. */
  branch: {
    expected: 'a branch name, or empty for the default branch',
    schema: z
      .string()
      .trim()
      .refine(
        (b) => b === '' || (/^[^\s~^:?*[\\]+$/.test(b) && !b.includes('..') && !b.startsWith('/')),
        'not a branch name'
      )
      .transform((b) => (b === '' ? undefined : b))
  } satisfies InputSpec<string | undefined>
}
