import * as core from '@actions/core'
import {
  inputSpecs,
  readInputs,
  repoContextFromInputs,
  runStep,
  setOutputs,
  writeJobSummary
} from '@hubstore/action-kit'
import {
  backupDirectory,
  directoryStatus,
  listBackups,
  restoreDirectory,
  type DataProgress
} from '@hubstore/core/data'
import { resolve } from 'node:path'
import { Inputs, persistInputSpecs as specs } from './constants.js'
import * as out from './outputs.js'
import * as report from './report.js'

const HEADING = 'hubstore: persist-data'

/** The action's entry: inputs → restore, backup, status or history → outputs and a summary. */
export async function run(): Promise<void> {
  await runStep(async () => {
    const { ctx, repository } = repoContextFromInputs()
    const i = readInputs({
      mode: [Inputs.Mode, specs.mode],
      path: [Inputs.Path, inputSpecs.requiredString],
      branch: [Inputs.Branch, inputSpecs.requiredString],
      layout: [Inputs.Layout, specs.layout],
      ifMissing: [Inputs.IfMissing, inputSpecs.boolean],
      point: [Inputs.RestorePoint, inputSpecs.requiredString]
    })
    // relative to the workspace, as actions/checkout's `path` is
    const dir = resolve(process.env.GITHUB_WORKSPACE ?? process.cwd(), i.path)
    const remote = {
      branch: i.branch,
      ...(process.env.GITHUB_SERVER_URL ? { serverUrl: process.env.GITHUB_SERVER_URL } : {}),
      onProgress: (p: DataProgress) => {
        const line = report.progressLine(p)
        if (line) core.info(line)
      }
    }
    if (i.mode === 'restore') {
      const r = await restoreDirectory(ctx, dir, {
        ...remote,
        point: i.point,
        ifMissing: i.ifMissing
      })
      setOutputs(out.restoreOutputs(r))
      core.info(report.restoreLine(r, i.path))
      return writeJobSummary(HEADING, report.restoreSummary(r, i.path))
    }
    if (i.mode === 'backup') {
      const before = await directoryStatus(ctx, dir, remote)
      const r = await backupDirectory(ctx, dir, { ...remote, layout: i.layout })
      setOutputs(out.backupOutputs(r))
      core.info(report.backupLine(r, i.path, `${repository}@${i.branch}`))
      if (!r.verified) core.warning(report.UNVERIFIED)
      return writeJobSummary(HEADING, report.backupSummary(r, before, i.path))
    }
    if (i.mode === 'status') {
      const s = await directoryStatus(ctx, dir, remote)
      setOutputs(out.statusOutputs(s))
      return writeJobSummary(HEADING, report.statusSummary(s, i.path))
    }
    const h = await listBackups(ctx, remote)
    setOutputs(out.historyOutputs(h.commitSha, h.backups[0]))
    await writeJobSummary(HEADING, report.historySummary(h.backups, `${repository}@${i.branch}`))
  })
}
