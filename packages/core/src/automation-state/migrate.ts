/**
 * `migrate-state`: moves automation state from repository variables to JSON files on a branch
 * without a way to lose data.
 *
 * - `analyze`: what exists, sizes, invalid JSON, where each variable would go. Reads only.
 * - `migrate`: every valid variable into its file, all in ONE commit (dry run: no write at all).
 *   A file that already exists is merged, never overwritten: post records and failed positions
 *   are united by position (the file's record wins), metadata is derived again from the result,
 *   and a differing `json`/`config` document is left alone and reported as a conflict.
 * - `validate`: every variable against its file (basic fields of every post, every failed
 *   position, every non-derived metadata field, JSON equality otherwise).
 * - `cleanup`: commits a backup of EVERY variable to `backups/variables-<timestamp>.json`,
 *   validated in the same compare-and-swap as the backup commit, then deletes only variables
 *   whose file validates and whose value has not changed since it was listed.
 * - `rollback`: recreates the variables of the latest backup that no longer exist, byte-identical.
 *
 * Cost with the default GraphQL transport: ⌈V/30⌉ variable pages, then — branch absent — 1 query
 * + 3 writes (orphan tree, commit, ref), or — branch present — ⌈files/100⌉ queries + 1
 * `createCommitOnBranch`. Dry runs write nothing. `cleanup` adds its backup commit, then 1 read +
 * 1 delete per deleted variable.
 */
import { contextNow, repositoryName, type RepoContext } from '../github/context.js'
import { BranchStore } from '../branch-store/branch-store.js'
import { DEFAULT_STATE_BRANCH } from '../branch-store/constants.js'
import { RepositoryVariables } from './variables.js'
import { analyze } from './migration/analyze.js'
import { cleanup } from './migration/cleanup.js'
import { migrate } from './migration/migrate.js'
import { planMigration, type MigrationPlan, type MigrationRun } from './migration/plan.js'
import {
  newReport,
  summarise,
  type MigrationCommand,
  type MigrationOptions,
  type MigrationReport
} from './migration/report.js'
import { rollback } from './migration/rollback.js'
import { validate } from './migration/validate.js'

/** The commands that write (a commit or variables): each is a dry run unless told otherwise. */
const WRITING_COMMANDS: ReadonlySet<MigrationCommand> = new Set(['migrate', 'cleanup', 'rollback'])

/** The commands that start from the listed variables (all but `rollback`). */
const PLANNED_COMMANDS: Record<
  Exclude<MigrationCommand, 'rollback'>,
  (run: MigrationRun, plan: MigrationPlan) => Promise<void>
> = { analyze, migrate, validate, cleanup }

/**
 * Runs one migration command. See the module comment for what each does.
 *
 * @throws InvalidMappingError (bad mapping), VariablesAccessError (the token cannot read
 *   variables: pass `source: variableSourceFromJson(vars)`), InvalidStateDocumentError (an
 *   existing file `migrate` must merge into is not valid JSON of its kind), BackupNotFoundError
 *   (`rollback` without a backup), StateConflictError, GitHubRequestError.
 */
export async function runMigration(
  ctx: RepoContext,
  command: MigrationCommand,
  options: MigrationOptions = {}
): Promise<MigrationReport> {
  const start = ctx.octokit.hubstore.requests
  const now = options.now ? options.now() : contextNow(ctx)
  const dryRun = options.dryRun ?? WRITING_COMMANDS.has(command)
  const branch = options.branch ?? DEFAULT_STATE_BRANCH
  const store = new BranchStore(ctx, { ...options.store, branch })
  const api = options.variables ?? new RepositoryVariables(ctx)
  const source = options.source ?? api
  const report = newReport(command, repositoryName(ctx), branch, dryRun, source.kind, now)
  const run: MigrationRun = {
    ctx,
    now,
    stamp: now.toISOString(),
    dryRun,
    store,
    api,
    source,
    report
  }
  if (command === 'rollback') await rollback(run)
  else await PLANNED_COMMANDS[command](run, await planMigration(run, options.mapping))
  summarise(report)
  report.requests = ctx.octokit.hubstore.requests - start
  return report
}
