import * as core from '@actions/core'
import {
  inputSpecs,
  issueEventSchema,
  readEvent,
  readInput,
  runStep,
  setOutputs,
  storeContextFromInputs,
  writeJobSummary
} from '@hubstore/action-kit'
import { processOpenObjects, processUpdates, type ProcessResult } from '@hubstore/core'
import { loggedLeaseWaits, oneLine, sweepProgressLine } from '@hubstore/core/objects'
import { Inputs, Outputs } from './constants.js'
import { failedResult, failureLine, summaryParts, totals } from './report.js'
import { chooseTarget } from './target.js'

/** The action's entry: inputs → @hubstore/core → outputs and a job summary. */
export async function run(): Promise<void> {
  await runStep(async () => {
    const { ctx, log } = await storeContextFromInputs(Inputs.Config)
    const issueNumber = readInput(Inputs.IssueNumber, inputSpecs.optionalPositiveInt)
    const failOnError = readInput(Inputs.FailOnError, inputSpecs.boolean)

    const event = readEvent(issueEventSchema)
    const target = chooseTarget(issueNumber, event.payload, ctx.storeConfig?.baseLabel)
    const options = { lease: loggedLeaseWaits((line) => log.info(oneLine(line))) }
    let results: ProcessResult[] = []
    if (target.kind === 'skip') core.notice(`Nothing to process: ${target.why}.`)
    else if (target.kind === 'issue') {
      // A failure is reported as a sweep reports one (below), so fail-on-error applies here too.
      const r = await processUpdates(ctx, target.number, options).catch((error: unknown) =>
        failedResult(target.number, error)
      )
      results = [r]
      if (!r.error)
        log.info(
          oneLine(
            `#${r.issueNumber} ${r.objectId}: ${r.applied.length} applied, ${r.rejected.length} rejected`
          )
        )
    } else {
      log.info(`No issue in the ${event.name} event: sweeping open stored objects.`)
      // One line per object as it finishes, and a first line as soon as the objects are listed.
      results = await processOpenObjects(ctx, {
        ...options,
        onProgress: (p) => log.info(sweepProgressLine(p))
      })
    }

    for (const r of results) {
      for (const x of r.rejected)
        core.warning(
          oneLine(
            `#${r.issueNumber} comment ${x.commentId} by ${x.author} rejected (${x.code}): ${x.reason}`
          )
        )
      if (r.error) core.error(failureLine(r))
    }
    const { applied, rejected, failed } = totals(results)
    setOutputs({
      [Outputs.ProcessedIssues]: JSON.stringify(results.map((r) => r.issueNumber)),
      [Outputs.Applied]: applied,
      [Outputs.Rejected]: rejected,
      [Outputs.ObjectIds]: JSON.stringify(results.map((r) => r.objectId)),
      [Outputs.Failed]: failed.length,
      [Outputs.FailedIssues]: JSON.stringify(failed.map((r) => r.issueNumber))
    })
    await writeJobSummary('hubstore: process-updates', summaryParts(results))
    if (failed.length > 0 && failOnError)
      core.setFailed(
        `${failed.length} of ${results.length} object(s) failed (issues ${failed.map((r) => `#${r.issueNumber}`).join(', ')}); ` +
          `the others were processed. Fix them as each error says and rerun; set fail-on-error: false to let the step pass.`
      )
  })
}
