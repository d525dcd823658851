import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import {
  createSnapshot,
  parseSnapshot,
  serializeSnapshot,
  updateSnapshot,
  type ListProgress,
  type RepoContext,
  type SnapshotResult
} from '@hubstore/core'

/** The outcome this action reports, whichever way the file was written. */
export interface Outcome extends SnapshotResult {
  path: string
  commitSha: string | undefined
  outcome: 'written' | 'unchanged' | 'superseded'
}

/** commit: false — the file lives in the workspace; a later step commits it. */
export async function snapshotInWorkspace(
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
