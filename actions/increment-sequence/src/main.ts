import * as core from '@actions/core'
import {
  describeSequenceEvent,
  idempotencyKeyOf,
  inputSpecs,
  readInputs,
  repoContextFromInputs,
  runStep,
  setOutputs,
  writeJobSummary
} from '@hubstore/action-kit'
import { incrementSequence } from '@hubstore/core'
import { oneLine } from '@hubstore/core/objects'
import { Inputs, Outputs, sequenceInputSpecs as specs } from './constants.js'
import { logLine, reuseNotice, summaryParts } from './report.js'

/** The action's entry: inputs → incrementSequence → outputs and a job summary. */
export async function run(): Promise<void> {
  await runStep(async () => {
    const { ctx, repository } = repoContextFromInputs()
    const i = readInputs({
      name: [Inputs.Sequence, inputSpecs.requiredString],
      path: [Inputs.Path, specs.path],
      branch: [Inputs.Branch, inputSpecs.optionalString],
      count: [Inputs.Count, specs.count],
      initialValue: [Inputs.InitialValue, specs.initialValue],
      format: [Inputs.Format, inputSpecs.optionalString],
      series: [Inputs.Series, specs.series],
      fiscalYearStartMonth: [Inputs.FiscalYearStartMonth, specs.month],
      timeZone: [Inputs.TimeZone, inputSpecs.requiredString],
      maxLength: [Inputs.MaxLength, specs.optionalLength],
      idempotencyKey: [Inputs.IdempotencyKey, inputSpecs.optionalString],
      maxAttempts: [Inputs.MaxAttempts, specs.maxAttempts]
    })
    const idempotencyKey = idempotencyKeyOf(i.idempotencyKey, process.env)

    const r = await incrementSequence(ctx, {
      name: i.name,
      path: i.path,
      ...(i.branch ? { branch: i.branch } : {}),
      count: i.count,
      initialValue: i.initialValue,
      ...(i.format ? { format: i.format } : {}),
      series: i.series,
      fiscalYearStartMonth: i.fiscalYearStartMonth,
      timeZone: i.timeZone,
      ...(i.maxLength !== undefined ? { maxLength: i.maxLength } : {}),
      ...(idempotencyKey ? { idempotencyKey } : {}),
      retry: {
        maxAttempts: i.maxAttempts,
        onEvent: (event) => core.info(oneLine(describeSequenceEvent(event)))
      }
    })
    setOutputs({
      [Outputs.Value]: r.first,
      [Outputs.Last]: r.last,
      [Outputs.Previous]: r.previous,
      [Outputs.Formatted]: r.formatted?.first,
      [Outputs.CommitSha]: r.commitSha,
      [Outputs.Attempts]: r.attempts,
      [Outputs.Key]: r.key,
      [Outputs.Reused]: r.reused
    })
    const where = { repository, path: i.path, branch: i.branch }
    if (r.reused) core.notice(reuseNotice(r, idempotencyKey))
    core.info(oneLine(logLine(r, where))) // the formatted number and GitHub's text stay on one line
    await writeJobSummary('hubstore: increment-sequence', summaryParts(r, where))
  })
}
