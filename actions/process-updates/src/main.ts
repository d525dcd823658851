import * as core from '@actions/core'
import * as github from '@actions/github'
import {
  inputSpecs,
  readInput,
  repoContextFromInputs,
  runStep,
  setOutputs,
  writeJobSummary
} from '@hubstore/action-kit'
import { processOpenObjects, processUpdates, type ProcessResult } from '@hubstore/core'
import { loggedLeaseWaits } from '@hubstore/core/objects'
import { Inputs, Outputs } from './constants.js'
import { summaryParts, totals } from './report.js'
import { chooseTarget } from './target.js'

/** The action's entry: inputs → @hubstore/core → outputs and a job summary. */
export async function run(): Promise<void> {
  await runStep(async () => {
    const { ctx } = repoContextFromInputs()
    const issueNumber = readInput(Inputs.IssueNumber, inputSpecs.optionalPositiveInt)

    const target = chooseTarget(issueNumber, github.context.payload)
    const options = { lease: loggedLeaseWaits((line) => core.info(line)) }
    let results: ProcessResult[] = []
    if (target.kind === 'skip') core.notice(`Nothing to process: ${target.why}.`)
    else if (target.kind === 'issue') results = [await processUpdates(ctx, target.number, options)]
    else {
      core.info(`No issue in the ${github.context.eventName} event: sweeping open stored objects.`)
      results = await processOpenObjects(ctx, options)
    }

    for (const r of results) {
      core.info(
        `#${r.issueNumber} (${r.objectId}): ${r.applied.length} applied, ${r.rejected.length} rejected`
      )
      for (const x of r.rejected)
        core.warning(
          `#${r.issueNumber} comment ${x.commentId} by ${x.author} rejected (${x.code}): ${x.reason}`
        )
    }
    const { applied, rejected } = totals(results)
    setOutputs({
      [Outputs.ProcessedIssues]: JSON.stringify(results.map((r) => r.issueNumber)),
      [Outputs.Applied]: applied,
      [Outputs.Rejected]: rejected,
      [Outputs.ObjectIds]: JSON.stringify(results.map((r) => r.objectId))
    })
    await writeJobSummary('hubstore: process-updates', summaryParts(results))
  })
}
