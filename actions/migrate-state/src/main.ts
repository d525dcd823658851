import * as core from '@actions/core'
import {
  InputError,
  inputSpecs,
  readInput,
  repoContextFromInputs,
  runStep,
  writeJobSummary,
  type Cell,
  type InputSpec
} from '@hubstore/action-kit'
import { runMigration, type MigrationCommand, type MigrationReport } from '@hubstore/core'
import { MIGRATION_COMMANDS, variableSourceFromJson } from '@hubstore/core/automation-state'
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { z } from 'zod'
import { Inputs, Outputs } from './constants.js'

/** Input parsers of this action (shapes beyond action-kit's shared ones). */
export const specs = {
  command: {
    expected: `one of ${MIGRATION_COMMANDS.join(', ')}`,
    schema: z.string().trim().pipe(z.enum(MIGRATION_COMMANDS))
  } satisfies InputSpec<MigrationCommand>
}

/**
 * The `mapping` input: inline JSON (starts with `{`), or a file path relative to the workspace.
 * @throws InputError when the file cannot be read.
 */
export async function loadMapping(value: string | undefined): Promise<string | undefined> {
  if (value === undefined || value.startsWith('{')) return value
  const path = resolve(process.env.GITHUB_WORKSPACE ?? process.cwd(), value)
  try {
    return await readFile(path, 'utf8')
  } catch (error) {
    throw new InputError(
      Inputs.Mapping,
      `cannot read the mapping file ${value} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      'Check out the repository first (actions/checkout), or give the mapping inline as JSON.'
    )
  }
}

/** The summary table: one row per variable. */
export function summaryRows(report: MigrationReport): Cell[][] {
  return report.variables.map((v) => [
    v.name,
    v.bytes,
    v.path ?? '—',
    v.status,
    v.outcome ?? v.action ?? (v.mismatches ? (v.mismatches.length ? 'mismatch' : 'valid') : '—'),
    [v.problem, v.reason, ...(v.mismatches ?? []).slice(0, 3), v.warning].filter(Boolean).join('; ')
  ])
}

/** The action's entry: inputs → runMigration → outputs and a job summary. */
export async function run(): Promise<void> {
  await runStep(async () => {
    const command = readInput(Inputs.Command, specs.command)
    const dryRun = readInput(Inputs.DryRun, inputSpecs.optionalBoolean)
    const varsJson = readInput(Inputs.VarsJson, inputSpecs.optionalString)
    const branch = readInput(Inputs.Branch, inputSpecs.requiredString)
    const mapping = await loadMapping(readInput(Inputs.Mapping, inputSpecs.optionalString))
    const { ctx, repository } = repoContextFromInputs()

    const report = await runMigration(ctx, command, {
      branch,
      mapping,
      dryRun,
      source: varsJson ? variableSourceFromJson(varsJson) : undefined
    })

    const t = report.totals
    core.setOutput(Outputs.Report, JSON.stringify(report))
    core.setOutput(Outputs.Migrated, String(t.migrated))
    core.setOutput(Outputs.Mismatches, String(t.mismatches))
    core.setOutput(Outputs.Deleted, String(t.deleted))
    core.setOutput(Outputs.Restored, String(t.restored))
    core.setOutput(Outputs.CommitSha, report.commitSha ?? '')
    core.setOutput(Outputs.BackupPath, report.backupPath ?? '')

    const headline =
      `${command}${report.dryRun ? ' (dry run)' : ''} on ${repository}@${branch}: ` +
      `${t.variables} variable(s), ${t.bytes} bytes; ${t.mapped} mapped, ${t.invalid} invalid, ` +
      `${t.unmapped} unmapped; ${t.migrated} migrated, ${t.mismatches} mismatch(es), ` +
      `${t.deleted} deleted, ${t.restored} restored` +
      (report.commitSha ? `; commit ${report.commitSha}` : '') +
      (report.backupPath ? `; backup ${report.backupPath}` : '') +
      `; ${report.requests} request(s).`
    core.info(headline)
    for (const v of report.variables) {
      if (v.status === 'invalid_json' || v.status === 'invalid_shape')
        core.warning(`${v.name}: ${v.status}: ${v.problem}`)
      if (v.mismatches?.length) core.warning(`${v.name}: ${v.mismatches.join('; ')}`)
      if (v.warning) core.warning(`${v.name}: ${v.warning}`)
    }
    await writeJobSummary(`hubstore: migrate-state ${command}`, [
      { text: headline },
      {
        table: {
          header: ['Variable', 'Bytes', 'Target', 'Status', 'Result', 'Details'],
          rows: summaryRows(report)
        }
      },
      ...(report.files.length
        ? [
            {
              table: {
                header: ['File', 'From', 'Action', 'Bytes'],
                rows: report.files.map((f) => [f.path, f.sources.join(', '), f.action, f.bytes])
              }
            }
          ]
        : [])
    ])
  })
}
