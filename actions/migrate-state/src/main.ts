import * as core from '@actions/core'
import {
  inputSpecs,
  readInputOrFile,
  readInputs,
  readWorkspaceFile,
  repoContextFromInputs,
  runStep,
  setOutputs,
  writeJobSummary
} from '@hubstore/action-kit'
import { runMigration } from '@hubstore/core'
import { variableSourceFromJson } from '@hubstore/core/automation-state'
import { Inputs, migrateInputSpecs, Outputs } from './constants.js'
import { headline, summaryParts, warnings } from './report.js'

/**
 * The `mapping` input: inline JSON (starts with `{`), or a file path relative to the workspace.
 * @throws InputError when the file cannot be read.
 */
export async function loadMapping(value: string | undefined): Promise<string | undefined> {
  if (value === undefined || value.startsWith('{')) return value
  return readWorkspaceFile(
    Inputs.Mapping,
    value,
    'the mapping file',
    'Check out the repository first (actions/checkout), or give the mapping inline as JSON.'
  )
}

/** The action's entry: inputs → runMigration → outputs and a job summary. */
export async function run(): Promise<void> {
  await runStep(async () => {
    const i = readInputs({
      command: [Inputs.Command, migrateInputSpecs.command],
      dryRun: [Inputs.DryRun, inputSpecs.optionalBoolean],
      branch: [Inputs.Branch, inputSpecs.requiredString],
      mapping: [Inputs.Mapping, inputSpecs.optionalString]
    })
    const mapping = await loadMapping(i.mapping)
    const vars = await readInputOrFile(
      Inputs.VarsJson,
      Inputs.VarsFile,
      inputSpecs.optionalString,
      'the variables file'
    )
    const { ctx, repository } = repoContextFromInputs()

    const report = await runMigration(ctx, i.command, {
      branch: i.branch,
      mapping,
      dryRun: i.dryRun,
      source: vars ? variableSourceFromJson(vars) : undefined
    })

    const t = report.totals
    setOutputs({
      [Outputs.Report]: JSON.stringify(report),
      [Outputs.Migrated]: t.migrated,
      [Outputs.Mismatches]: t.mismatches,
      [Outputs.Deleted]: t.deleted,
      [Outputs.Restored]: t.restored,
      [Outputs.CommitSha]: report.commitSha,
      [Outputs.BackupPath]: report.backupPath
    })
    const line = headline(report, repository, i.branch)
    core.info(line)
    for (const w of warnings(report)) core.warning(w)
    await writeJobSummary(`hubstore: migrate-state ${i.command}`, summaryParts(report, line))
  })
}
