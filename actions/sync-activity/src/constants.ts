import { durationInput, inputSpecs, listInput, oneOf, relativeFilePath } from '@hubstore/action-kit'
import { DETECT_MODES } from '@hubstore/core/activity'

/** Input names of the sync-activity action (action.yml `inputs`). */
export enum Inputs {
  Token = 'token',
  /** the data repository: where the data branch with the SQLite database lives */
  Repository = 'repository',
  Mode = 'mode',
  Repositories = 'repositories',
  Database = 'database',
  Path = 'path',
  DataBranch = 'data-branch',
  AppId = 'app-id',
  AppPrivateKey = 'app-private-key',
  MinInterval = 'min-interval',
  Detect = 'detect'
}

/** Output names of the sync-activity action (action.yml `outputs`). */
export enum Outputs {
  JobId = 'job-id',
  Status = 'status',
  Counts = 'counts',
  RestRequests = 'rest-requests',
  GraphqlPoints = 'graphql-points'
}

/** What a step does: ingest the workflow's own event, or sweep. */
export const MODES = ['event', 'sweep'] as const
export type Mode = (typeof MODES)[number]

/** Input specs particular to this action (the shared ones live in @hubstore/action-kit). */
export const syncInputSpecs = {
  mode: oneOf(MODES),
  repositories: listInput('repositories written owner/name, separated by commas or newlines'),
  /** empty: SQLite kept on the data branch; else a postgres:// URL (checked in database.ts) */
  database: inputSpecs.optionalString,
  path: relativeFilePath('a directory relative to the workspace, e.g. hubstore-activity'),
  /** empty: the sweep's 10 minutes */
  minInterval: durationInput,
  detect: oneOf(DETECT_MODES)
}
