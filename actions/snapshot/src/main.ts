import * as core from '@actions/core'
import {
  inputSpecs,
  readInputs,
  runStep,
  setOutputs,
  storeContextFromInputs,
  writeJobSummary
} from '@hubstore/action-kit'
import { repositoryFile, snapshotInto, workspaceFile, type ListProgress } from '@hubstore/core'
import { Inputs, Outputs, snapshotInputSpecs as specs } from './constants.js'
import { describeOutcome, summaryParts, warnings } from './report.js'

/** The action's entry: inputs → @hubstore/core → outputs and a job summary. */
export async function run(): Promise<void> {
  await runStep(async () => {
    const { ctx, repository, log } = await storeContextFromInputs(Inputs.Config)
    const { path, mode, commit, branch } = readInputs({
      path: [Inputs.Path, specs.path],
      mode: [Inputs.Mode, specs.mode],
      commit: [Inputs.Commit, inputSpecs.boolean],
      branch: [Inputs.Branch, specs.branch]
    })
    const onProgress = (p: ListProgress) => {
      if (p.pages % 10 === 0) log.info(`… ${p.issues} issues listed (${p.pages} pages)`)
    }

    // commit: false — the file lives in the workspace; a later step commits it.
    const location = commit
      ? repositoryFile(ctx, { path, branch })
      : workspaceFile(path, { root: process.env.GITHUB_WORKSPACE ?? process.cwd() })
    const result = await snapshotInto(ctx, location, { mode, repository, onProgress })

    const outcome = describeOutcome(result, commit, branch)
    log.info(
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
