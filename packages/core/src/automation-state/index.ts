/**
 * `@hubstore/core/automation-state`: the pieces under the automation-state verbs at the root
 * (`createStateStorage`, `runMigration`) — the record helpers `recordPost` and `recordFailure`
 * (here since the root reached its 60 names), the three storage
 * backends, their settings, the document schemas, the repository variables API and the
 * migration's command names. See packages/core/README.md, "State on a branch".
 */
export { AutoStateAdapter } from './storage/auto-adapter.js'
export { AUTOMATION_STATE_SCHEMAS } from './storage/factory.js'
export { recordFailure, recordPost } from './storage/record.js'
export { GitStateAdapter } from './storage/git-adapter.js'
export { VariablesStateAdapter } from './storage/variables-adapter.js'
export {
  STATE_STORAGE_DEFAULTS,
  STATE_STORAGE_ENV,
  stateStorageConfigFromEnv,
  STORAGE_BACKENDS
} from './storage/settings.js'
export {
  RepositoryVariables,
  variableSourceFromJson,
  type LegacyVariable,
  type VariableSource
} from './variables.js'
export { MIGRATION_COMMANDS, type VariablesBackup } from './migration/report.js'
