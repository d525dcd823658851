import * as core from '@actions/core'
import {
  inputSpecs,
  md,
  readInputOrFile,
  readInputs,
  repoContextFromInputs,
  runStep,
  setOutputs,
  truncateText,
  writeJobSummary
} from '@hubstore/action-kit'
import { runStateCommand } from '@hubstore/core'
import { Inputs, Outputs, stateInputSpecs as specs } from './constants.js'

/** The action's entry: inputs → runStateCommand → outputs and a job summary. */
export async function run(): Promise<void> {
  await runStep(async () => {
    const i = readInputs({
      command: [Inputs.Command, specs.command],
      path: [Inputs.Path, specs.path],
      defaultValue: [Inputs.Default, specs.json],
      branch: [Inputs.Branch, inputSpecs.requiredString],
      createBranch: [Inputs.CreateBranch, specs.createBranch],
      message: [Inputs.Message, inputSpecs.optionalString]
    })
    const value = await readInputOrFile(
      Inputs.Value,
      Inputs.ValueFile,
      specs.json,
      'the value file'
    )
    const { ctx, repository } = repoContextFromInputs()

    const result = await runStateCommand(ctx, i.command, {
      path: i.path,
      value,
      defaultValue: i.defaultValue,
      message: i.message,
      store: { branch: i.branch, createBranch: i.createBranch }
    })
    const json = JSON.stringify(result.value ?? null)
    setOutputs({
      [Outputs.Value]: json,
      [Outputs.Exists]: result.exists,
      [Outputs.CommitSha]: result.commitSha,
      [Outputs.Changed]: result.commitSha !== null
    })
    core.info(
      `${i.command} ${i.path} on ${repository}@${i.branch}: ` +
        (result.commitSha ? `committed ${result.commitSha}` : 'no commit') +
        ` (${result.requests} request(s))`
    )
    await writeJobSummary(`hubstore: state ${i.command}`, [
      {
        table: {
          header: ['Path', 'Branch', 'Exists', 'Commit', 'Requests'],
          rows: [
            [i.path, i.branch, String(result.exists), result.commitSha ?? '—', result.requests]
          ]
        }
      },
      { text: md`Value: <code>${truncateText(json, 500)}</code>` }
    ])
  })
}
