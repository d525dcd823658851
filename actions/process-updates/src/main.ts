import * as core from '@actions/core'
import * as github from '@actions/github'
import {
  inputSpecs,
  readInput,
  repoContextFromInputs,
  runStep,
  writeJobSummary
} from '@hubstore/action-kit'
import { processOpenObjects, processUpdates, type ProcessResult } from '@hubstore/core'
import { Inputs, Outputs, STORED_OBJECT_LABEL } from './constants.js'

/** What the event payload says about which issue to process. */
type Target = { kind: 'issue'; number: number } | { kind: 'sweep' } | { kind: 'skip'; why: string }

/**
 * Chooses the issue: the `issue-number` input, else the event payload's issue (skipped when it is
 * not labelled stored-object), else a sweep of every open stored object.
 */
export function chooseTarget(
  inputIssue: number | undefined,
  payload: { issue?: { number: number; labels?: Array<{ name?: string } | string> } }
): Target {
  if (inputIssue !== undefined) return { kind: 'issue', number: inputIssue }
  const issue = payload.issue
  if (!issue) return { kind: 'sweep' }
  const labels = (issue.labels ?? []).map((l) => (typeof l === 'string' ? l : l.name))
  if (!labels.includes(STORED_OBJECT_LABEL))
    return {
      kind: 'skip',
      why: `issue #${issue.number} is not labelled "${STORED_OBJECT_LABEL}"`
    }
  return { kind: 'issue', number: issue.number }
}

/** The action's entry: inputs → @hubstore/core → outputs and a job summary. */
export async function run(): Promise<void> {
  await runStep(async () => {
    const { ctx } = repoContextFromInputs()
    const issueNumber = readInput(Inputs.IssueNumber, inputSpecs.optionalPositiveInt)

    const target = chooseTarget(issueNumber, github.context.payload)
    let results: ProcessResult[] = []
    if (target.kind === 'skip') core.notice(`Nothing to process: ${target.why}.`)
    else if (target.kind === 'issue') results = [await processUpdates(ctx, target.number)]
    else {
      core.info(`No issue in the ${github.context.eventName} event: sweeping open stored objects.`)
      results = await processOpenObjects(ctx)
    }

    const applied = results.reduce((n, r) => n + r.applied.length, 0)
    const rejected = results.reduce((n, r) => n + r.rejected.length, 0)
    for (const r of results) {
      core.info(
        `#${r.issueNumber} (${r.objectId}): ${r.applied.length} applied, ${r.rejected.length} rejected`
      )
      for (const x of r.rejected)
        core.warning(
          `#${r.issueNumber} comment ${x.commentId} by ${x.author} rejected (${x.code}): ${x.reason}`
        )
    }
    core.setOutput(Outputs.ProcessedIssues, JSON.stringify(results.map((r) => r.issueNumber)))
    core.setOutput(Outputs.Applied, String(applied))
    core.setOutput(Outputs.Rejected, String(rejected))
    core.setOutput(Outputs.ObjectIds, JSON.stringify(results.map((r) => r.objectId)))

    await writeJobSummary('hubstore: process-updates', [
      {
        text: `${results.length} object(s) processed: ${applied} update(s) applied, ${rejected} rejected.`
      },
      {
        table: {
          header: ['Issue', 'Object', 'Applied', 'Rejected'],
          rows: results.map((r) => [
            `#${r.issueNumber}`,
            r.objectId,
            r.applied.length,
            r.rejected.length
          ])
        }
      },
      ...(rejected > 0
        ? [
            {
              table: {
                header: ['Issue', 'Comment', 'Author', 'Reason'],
                rows: results.flatMap((r) =>
                  r.rejected.map((x) => [
                    `#${r.issueNumber}`,
                    x.commentId,
                    x.author,
                    `${x.code}: ${x.reason}`
                  ])
                )
              }
            }
          ]
        : [])
    ])
  })
}
