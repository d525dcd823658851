import * as core from '@actions/core'
import {
  InputError,
  inputSpecs,
  readInputs,
  repoContextFromInputs,
  runStep,
  setOutputs,
  writeJobSummary
} from '@hubstore/action-kit'
import {
  directoryStatus,
  listBackups,
  restoreDirectory,
  type DataProgress
} from '@hubstore/core/data'
import { resolve } from 'node:path'
import { Inputs, persistInputSpecs as specs } from './constants.js'
import * as out from './outputs.js'
import * as post from './post.js'
import * as report from './report.js'

const HEADING = 'hubstore: persist-data'

/** The action's entry, main and post step: inputs → one data operation → outputs, a summary. */
export async function run(): Promise<void> {
  const isPost = post.isPostStep()
  if (isPost && !post.backupAtPostAsked()) return
  if (!isPost) post.markMainRun()
  await runStep(async () => {
    const { ctx, repository } = repoContextFromInputs()
    const i = readInputs({
      mode: [Inputs.Mode, specs.mode],
      path: [Inputs.Path, inputSpecs.requiredString],
      branch: [Inputs.Branch, inputSpecs.requiredString],
      ifMissing: [Inputs.IfMissing, inputSpecs.boolean],
      point: [Inputs.RestorePoint, inputSpecs.requiredString],
      postBackup: [Inputs.PostBackup, inputSpecs.boolean]
    })
    if (i.postBackup && i.mode !== 'restore')
      throw new InputError(Inputs.PostBackup, `is true with mode ${i.mode}`, specs.postBackupFix)
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
    const where = `${repository}@${i.branch}`
    if (isPost || i.mode === 'backup')
      return post.backupStep(ctx, dir, remote, { heading: HEADING, path: i.path, where })
    if (i.mode === 'prune') return post.pruneStep(ctx, remote, { heading: HEADING, where })
    if (i.mode === 'restore') {
      const r = await restoreDirectory(ctx, dir, {
        ...remote,
        point: i.point,
        ifMissing: i.ifMissing
      })
      setOutputs(out.restoreOutputs(r))
      core.info(report.restoreLine(r, i.path))
      if (i.postBackup) post.backUpAtPost()
      return writeJobSummary(HEADING, report.restoreSummary(r, i.path, i.postBackup))
    }
    if (i.mode === 'status') {
      const s = await directoryStatus(ctx, dir, remote)
      setOutputs(out.statusOutputs(s))
      return writeJobSummary(HEADING, report.statusSummary(s, i.path))
    }
    const h = await listBackups(ctx, remote)
    setOutputs(out.historyOutputs(h.commitSha, h.backups[0]))
    await writeJobSummary(HEADING, report.historySummary(h.backups, where))
  })
}
