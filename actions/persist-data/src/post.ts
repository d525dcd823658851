/**
 * The steps that change the data branch: the backup step, shared by `mode: backup` and the post
 * step of `mode: restore` with `post-backup: true`, the prune step, and the state that tells the two runs of the one bundle apart: main saves
 * `isPost` (`core.saveState`), and the runner gives it back to the post step as `STATE_isPost`,
 * the way actions/checkout and actions/cache do (docs/persist-data.md §11).
 */
import * as core from '@actions/core'
import { InputError, readInputs, setOutputs, writeJobSummary } from '@hubstore/action-kit'
import type { RepoContext } from '@hubstore/core'
import {
  backupDirectory,
  directoryStatus,
  pruneBackups,
  type DataRemoteOptions
} from '@hubstore/core/data'
import { Inputs, persistInputSpecs as specs, State } from './constants.js'
import * as out from './outputs.js'
import * as report from './report.js'

/** True in the post step: this bundle's main run saved `isPost`. */
export const isPostStep = (): boolean => core.getState(State.IsPost) === 'true'

/** Marks the main run (every one: the post step of a run that did not ask for it does nothing). */
export const markMainRun = (): void => core.saveState(State.IsPost, 'true')

/** Asks the post step to back the directory up (restore with `post-backup: true`). */
export const backUpAtPost = (): void => core.saveState(State.BackupAtPost, 'true')

/** True when main asked for a backup in the post step. */
export const backupAtPostAsked = (): boolean => core.getState(State.BackupAtPost) === 'true'

/**
 * Backs `dir` up (with the inputs `layout`, `lfs-quota-bytes`, `warn-at-percent`) and reports it: outputs, a log line, one `core.warning` per size or quota
 * warning and for an unverified capture, and a job summary with what changed.
 */
export async function backupStep(
  ctx: RepoContext,
  dir: string,
  remote: DataRemoteOptions,
  labels: { heading: string; path: string; where: string }
): Promise<void> {
  const q = readInputs({
    quotaBytes: [Inputs.LfsQuotaBytes, specs.lfsQuotaBytes],
    percent: [Inputs.WarnAtPercent, specs.warnAtPercent],
    layout: [Inputs.Layout, specs.layout]
  })
  const before = await directoryStatus(ctx, dir, remote)
  const r = await backupDirectory(ctx, dir, {
    ...remote,
    layout: q.layout,
    ...(q.quotaBytes !== undefined ? { quotaBytes: q.quotaBytes } : {}),
    ...(q.percent !== undefined ? { warnAtShare: q.percent / 100 } : {})
  })
  setOutputs(out.backupOutputs(r))
  core.info(report.backupLine(r, labels.path, labels.where))
  for (const w of r.warnings) core.warning(w)
  if (!r.verified) core.warning(report.UNVERIFIED)
  await writeJobSummary(labels.heading, report.backupSummary(r, before, labels.path))
}

/**
 * `mode: prune`: the retention of `keep-last` / `keep-daily` (core's `pruneBackups`), the prune
 * commit as `commit-sha` and the newest kept backup as `backup-id`, and a job summary of what was
 * kept and removed and of the LFS bytes still referenced.
 */
export async function pruneStep(
  ctx: RepoContext,
  remote: DataRemoteOptions,
  labels: { heading: string; where: string }
): Promise<void> {
  const k = readInputs({
    keepLast: [Inputs.KeepLast, specs.keep],
    keepDaily: [Inputs.KeepDaily, specs.keep]
  })
  if (!k.keepLast && !k.keepDaily)
    throw new InputError(Inputs.KeepLast, 'is empty or 0, and so is keep-daily', specs.keepFix)
  const r = await pruneBackups(ctx, {
    ...(remote.branch ? { branch: remote.branch } : {}),
    keepLast: k.keepLast ?? 0,
    keepDaily: k.keepDaily ?? 0
  })
  setOutputs(out.pruneOutputs(r))
  core.info(report.pruneLine(r, labels.where))
  await writeJobSummary(labels.heading, report.pruneSummary(r, labels.where))
}
