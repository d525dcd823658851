import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import * as core from '@actions/core'
import {
  inputSpecs,
  readInput,
  repoContextFromInputs,
  runStep,
  writeJobSummary
} from '@hubstore/action-kit'
import {
  createSnapshot,
  syncSnapshotFile,
  updateSnapshot,
  type ListProgress,
  type RepoContext,
  type SnapshotResult
} from '@hubstore/core'
import { parseSnapshot, serializeSnapshot } from '@hubstore/core/snapshot'
import { Inputs, Outputs, snapshotInputSpecs } from './constants.js'

/** The outcome this action reports, whichever way the file was written. */
interface Outcome extends SnapshotResult {
  path: string
  commitSha: string | undefined
  outcome: 'written' | 'unchanged' | 'superseded'
}

/** The action's entry: inputs → @hubstore/core → outputs and a job summary. */
export async function run(): Promise<void> {
  await runStep(async () => {
    const { ctx, repository } = repoContextFromInputs()
    const path = readInput(Inputs.Path, snapshotInputSpecs.path)
    const mode = readInput(Inputs.Mode, snapshotInputSpecs.mode)
    const commit = readInput(Inputs.Commit, inputSpecs.boolean)
    const branch = readInput(Inputs.Branch, snapshotInputSpecs.branch)
    const onProgress = (p: ListProgress) => {
      if (p.pages % 10 === 0) core.info(`… ${p.issues} issues listed (${p.pages} pages)`)
    }

    const result: Outcome = commit
      ? await syncSnapshotFile(ctx, { path, mode, branch, repository, onProgress })
      : await snapshotInWorkspace(ctx, { path, mode, repository, onProgress })

    core.info(
      `${result.mode} snapshot of ${repository}: ${result.objects} object(s), ` +
        `${result.changedIds.length} changed, ${result.removedIds.length} removed, ` +
        `${result.requests} request(s); ${describeOutcome(result, commit, branch)}`
    )
    for (const s of result.skipped)
      core.warning(`#${s.issueNumber} skipped (${s.reason}): ${s.message}`)
    for (const d of result.duplicates)
      core.warning(
        `object id "${d.objectId}" is on issues ${d.issueNumbers.map((n) => `#${n}`).join(', ')}; ` +
          `the snapshot keeps #${d.issueNumbers[0]}`
      )
    core.setOutput(Outputs.Path, path)
    core.setOutput(Outputs.Objects, String(result.objects))
    core.setOutput(Outputs.Changed, String(result.outcome === 'written'))
    core.setOutput(Outputs.CommitSha, result.commitSha ?? '')

    const list = (ids: string[]) =>
      ids.length === 0
        ? '—'
        : ids
            .slice(0, 50)
            .map((id) => `\`${id}\``)
            .join(', ') + (ids.length > 50 ? ` and ${ids.length - 50} more` : '')
    await writeJobSummary('hubstore: snapshot', [
      { text: `${describeOutcome(result, commit, branch)}.` },
      {
        table: {
          header: [
            'Mode',
            'Objects',
            'Changed',
            'Removed',
            'Pending',
            'Skipped',
            'Duplicates',
            'Requests'
          ],
          rows: [
            [
              result.mode,
              result.objects,
              result.changedIds.length,
              result.removedIds.length,
              result.pendingIds.length,
              result.skipped.length,
              result.duplicates.length,
              result.requests
            ]
          ]
        }
      },
      { text: `Changed: ${list(result.changedIds)}` },
      { text: `Removed: ${list(result.removedIds)}` },
      ...(result.pendingIds.length > 0
        ? [{ text: `Updates queued, entry kept as it was: ${list(result.pendingIds)}` }]
        : [])
    ])
  })
}

function describeOutcome(result: Outcome, commit: boolean, branch: string | undefined): string {
  const where = commit ? `${result.path} on ${branch ?? 'the default branch'}` : result.path
  if (result.outcome === 'unchanged') return `nothing changed; ${where} left as it was`
  if (result.outcome === 'superseded')
    return `a newer snapshot landed meanwhile; ${where} left to it`
  return commit
    ? `committed ${where}${result.commitSha ? ` (${result.commitSha.slice(0, 7)})` : ''}`
    : `wrote ${where} in the workspace`
}

/** commit: false — the file lives in the workspace; a later step commits it. */
async function snapshotInWorkspace(
  ctx: RepoContext,
  options: {
    path: string
    mode: 'full' | 'incremental'
    repository: string
    onProgress: (p: ListProgress) => void
  }
): Promise<Outcome> {
  const file = resolve(process.env.GITHUB_WORKSPACE ?? process.cwd(), options.path)
  let text: string | undefined
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  const previous = text === undefined ? undefined : parseSnapshot(text, options.path)
  const result =
    options.mode === 'incremental' && previous
      ? await updateSnapshot(ctx, previous, options)
      : await createSnapshot(ctx, { ...options, previous })
  if (result.changed) {
    await mkdir(dirname(file), { recursive: true })
    await writeFile(file, serializeSnapshot(result.snapshot))
  }
  return {
    ...result,
    path: options.path,
    commitSha: undefined,
    outcome: result.changed ? 'written' : 'unchanged'
  }
}
