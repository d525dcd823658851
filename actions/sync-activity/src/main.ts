import * as core from '@actions/core'
import {
  inputSpecs,
  readInputs,
  repoContextFromInputs,
  runStep,
  setOutputs,
  writeJobSummary
} from '@hubstore/action-kit'
import { resolve } from 'node:path'
import { stepClients } from './clients.js'
import { Inputs, syncInputSpecs as specs } from './constants.js'
import { withStepDatabase } from './database.js'
import * as out from './outputs.js'
import * as report from './report.js'
import { syncJob } from './work.js'

const HEADING = 'hubstore: sync-activity'

/** The action's entry: inputs → one job (event or sweep) on the database → outputs and a summary. */
export async function run(): Promise<void> {
  await runStep(async () => {
    const { ctx, repository } = repoContextFromInputs()
    const i = readInputs({
      token: [Inputs.Token, inputSpecs.requiredString],
      mode: [Inputs.Mode, specs.mode],
      repositories: [Inputs.Repositories, specs.repositories],
      database: [Inputs.Database, specs.database],
      path: [Inputs.Path, specs.path],
      branch: [Inputs.DataBranch, inputSpecs.requiredString],
      appId: [Inputs.AppId, inputSpecs.optionalString],
      appKey: [Inputs.AppPrivateKey, inputSpecs.optionalString],
      minIntervalMs: [Inputs.MinInterval, specs.minInterval],
      detect: [Inputs.Detect, specs.detect]
    })
    if (i.database) core.setSecret(i.database)
    const clients = stepClients(i.token, i.appId, i.appKey)
    const { value: step, report: database } = await withStepDatabase(
      ctx,
      {
        database: i.database,
        // relative to the workspace, as actions/checkout's `path` is
        dir: resolve(process.env.GITHUB_WORKSPACE ?? process.cwd(), i.path),
        path: i.path,
        repository,
        branch: i.branch
      },
      (db) => syncJob(db, i, clients, core.info)
    )
    setOutputs(out.jobOutputs(step))
    core.info(report.jobLine(step))
    await writeJobSummary(HEADING, report.stepSummary(step, database))
    const why = report
      .jobErrors(step)
      .map((e) => `${e.code}: ${e.message}`)
      .join('; ')
    if (step.job?.status === 'failed') core.setFailed(`Job #${step.job.id} failed: ${why}`)
    // a budget stop is planned: the next run resumes (docs/activity-sweeps.md §3)
    if (step.job?.status === 'stopped') core.warning(`Job #${step.job.id} stopped: ${why}`)
  })
}
