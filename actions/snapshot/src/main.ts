import * as core from '@actions/core'
import {
  inputSpecs,
  readInputs,
  repoContextFromInputs,
  runStep,
  setOutputs,
  writeJobSummary
} from '@hubstore/action-kit'
import { syncSnapshotFile, type ListProgress } from '@hubstore/core'
import { Inputs, Outputs, snapshotInputSpecs as specs } from './constants.js'
import { describeOutcome, summaryParts, warnings } from './report.js'
import { snapshotInWorkspace, type Outcome } from './workspace.js'

/** The action's entry: inputs → @hubstore/core → outputs and a job summary. */
export async function run(): Promise<void> {
  await runStep(async () => {
    const { ctx, repository } = repoContextFromInputs()
    const { path, mode, commit, branch } = readInputs({
      path: [Inputs.Path, specs.path],
      mode: [Inputs.Mode, specs.mode],
      commit: [Inputs.Commit, inputSpecs.boolean],
      branch: [Inputs.Branch, specs.branch]
    })
    const onProgress = (p: ListProgress) => {
      if (p.pages % 10 === 0) core.info(`… ${p.issues} issues listed (${p.pages} pages)`)
    }

    const result: Outcome = commit
      ? await syncSnapshotFile(ctx, { path, mode, branch, repository, onProgress })
      : await snapshotInWorkspace(ctx, { path, mode, repository, onProgress })

    const outcome = describeOutcome(result, commit, branch)
    core.info(
      `${result.mode} snapshot of ${repository}: ${result.objects} object(s), ` +
        `${result.changedIds.length} changed, ${result.removedIds.length} removed, ` +
        `${result.requests} request(s); ${outcome}`
    )
    for (const w of warnings(result)) core.warning(w)
    setOutputs({
      [Outputs.Path]: path,
      [Outputs.Objects]: result.objects,
      [Outputs.Changed]: result.outcome === 'written',
      [Outputs.CommitSha]: result.commitSha
    })
    await writeJobSummary('hubstore: snapshot', summaryParts(result, outcome))
  })
}
