import { runMigration, type MigrationCommand, type MigrationReport } from '@hubstore/core'
import { MIGRATION_COMMANDS, variableSourceFromJson } from '@hubstore/core/automation-state'
import type { Command } from 'commander'
import { readTextArgument, repoContextFromFlags, repoOptions, type RepoFlags } from '../options.js'

/** Flags of `hubstore migrate <command>`. */
export interface MigrateFlags extends RepoFlags {
  branch: string
  mapping?: string
  varsJson?: string
  dryRun?: boolean
}

/** `hubstore migrate analyze|migrate|validate|cleanup|rollback`: variables → state branch. */
export function registerMigrate(program: Command): void {
  const migrate = program
    .command('migrate')
    .description(
      'Move automation state from repository variables to JSON files on a state branch, without a way to lose data.'
    )
    .addHelpText(
      'after',
      `
Order: analyze → migrate (dry run) → migrate --no-dry-run → validate → cleanup (dry run) →
cleanup --no-dry-run; rollback (dry run) → rollback --no-dry-run recreates deleted variables from
the latest backup on the branch. Every command that writes is a dry run unless --no-dry-run.
The token comes from $GITHUB_TOKEN or --token (variables need a PAT or App token with the Variables
permission; --vars-json reads them from a file instead), the API from --api-url or $GITHUB_API_URL.`
    )
  const what: Record<MigrationCommand, string> = {
    analyze:
      'Report what exists, sizes, invalid JSON, and where each variable would go (writes nothing).',
    migrate:
      'Write every valid variable into its file in one commit (dry run unless --no-dry-run).',
    validate: 'Compare every variable with its file (writes nothing; exit 1 on a mismatch).',
    cleanup:
      'Back up every variable on the branch, then delete those whose file validates (dry run unless --no-dry-run).',
    rollback:
      'Recreate the variables of the latest backup that no longer exist (dry run unless --no-dry-run).'
  }
  for (const command of MIGRATION_COMMANDS) {
    const sub = repoOptions(migrate.command(command).description(what[command]))
      .option('-b, --branch <name>', 'the state branch', 'automation-state')
      .option('--mapping <file-or-json>', 'mapping of variable name patterns to paths')
      .option(
        '--vars-json <file>',
        'read variables from this JSON file ({"NAME": "value"}) or - (stdin)'
      )
    if (WRITING.has(command))
      sub
        .option('--dry-run', 'write nothing, report what would happen (the default)')
        .option('--no-dry-run', 'write')
    sub.action(async (opts: MigrateFlags) => {
      const report = await runMigrateCli(command, opts)
      if (report.totals.mismatches > 0 && command === 'validate') process.exitCode = 1
    })
  }
}

/** The migration commands that can write, and so take --dry-run / --no-dry-run. */
const WRITING: ReadonlySet<MigrationCommand> = new Set(['migrate', 'cleanup', 'rollback'])

/** The action of `hubstore migrate <command>` (exported for tests). */
export async function runMigrateCli(
  command: MigrationCommand,
  opts: MigrateFlags,
  out: (s: string) => void = (s) => process.stdout.write(s)
): Promise<MigrationReport> {
  let mapping: string | undefined
  if (opts.mapping !== undefined)
    mapping = opts.mapping.trim().startsWith('{')
      ? opts.mapping
      : await readTextArgument('--mapping', opts.mapping)
  const source =
    opts.varsJson === undefined
      ? undefined
      : variableSourceFromJson(await readTextArgument('--vars-json', opts.varsJson))
  const ctx = repoContextFromFlags(opts)
  const report = await runMigration(ctx, command, {
    branch: opts.branch,
    mapping,
    dryRun: opts.dryRun,
    source
  })
  out(opts.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report))
  return report
}

/** The totals a command's headline names, after the counts every command shares. */
const HEADLINE_TOTALS: Record<MigrationCommand, ReadonlyArray<keyof MigrationReport['totals']>> = {
  analyze: [],
  migrate: ['migrated'],
  validate: ['mismatches'],
  cleanup: ['mismatches', 'deleted'],
  rollback: ['restored']
}

const TOTAL_WORDS: Partial<Record<keyof MigrationReport['totals'], string>> = {
  migrated: 'migrated',
  mismatches: 'mismatch(es)',
  deleted: 'deleted',
  restored: 'restored'
}

/**
 * A report as text: one headline (the counts this command produces, so `analyze` never says
 * "migrated"), one line per variable with each reason once, one per file.
 */
export function formatReport(report: MigrationReport): string {
  const t = report.totals
  const own = HEADLINE_TOTALS[report.command].map((k) => `${t[k]} ${TOTAL_WORDS[k]}`)
  const lines = [
    `${report.command}${report.dryRun ? ' (dry run)' : ''} ${report.repository}@${report.branch}: ` +
      `${t.variables} variable(s), ${t.bytes} bytes; ${t.mapped} mapped, ${t.invalid} invalid, ` +
      `${t.unmapped} unmapped${own.length ? `; ${own.join(', ')}` : ''}; ${report.requests} request(s)`
  ]
  if (report.commitSha) lines.push(`commit ${report.commitSha}`)
  if (report.backupPath) lines.push(`backup ${report.backupPath}`)
  const width = Math.max(8, ...report.variables.map((v) => v.name.length))
  for (const v of report.variables) {
    const result =
      v.outcome ??
      v.action ??
      (v.mismatches ? (v.mismatches.length ? 'MISMATCH' : 'valid') : v.status)
    const detail = [
      ...new Set([v.problem, v.reason, ...(v.mismatches ?? []).slice(0, 3), v.warning])
    ]
      .filter(Boolean)
      .join('; ')
    lines.push(
      `  ${v.name.padEnd(width)}  ${String(v.bytes).padStart(6)} B  ${result.padEnd(13)} ${v.path ?? '—'}${detail ? `  (${detail})` : ''}`
    )
  }
  return `${lines.join('\n')}\n`
}
