/**
 * Where a snapshot file lives, injected into `snapshotInto`: a file in the repository, read and
 * committed through the contents API with compare-and-swap (`github/cas.ts`), or a file on disk
 * (a workspace file that a later step commits). Both read the previous snapshot first and write
 * the new one only when something changed.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { compareAndSwap, resolveRetryOptions, type RetryOptions } from '../github/cas.js'
import {
  createBranchFromDefault,
  readRepoFile,
  writeRepoFile,
  type RepoFile
} from '../github/contents.js'
import { repositoryName, type RepoContext } from '../github/context.js'
import { repositoryPath } from '../github/path.js'
import { GitHubRequestError, SnapshotConflictError } from '../errors.js'
import { githubMessageOf, statusOf } from '../github/request.js'
import type { Snapshot } from './format.js'

/** How a location's write ended. */
export interface LocationWrite {
  /** `written`: the file now holds our snapshot; `superseded`: a newer snapshot landed meanwhile */
  outcome: 'written' | 'superseded'
  /** the commit that wrote the file (repository files; `undefined` when another writer's identical file stands) */
  commitSha?: string
  /** write attempts made */
  attempts: number
}

/** A snapshot file: read once, then written at most once. */
export interface SnapshotLocation {
  /** the path reported in results, e.g. `data/store-snapshot.json` */
  readonly path: string
  /** names the file in parse errors: the path, with `@branch` for a repository file on a branch */
  readonly source: string
  /** The file's text, `undefined` when there is none; remembers what the write must guard on. */
  read(): Promise<string | undefined>
  /** Writes `text`, the serialised `snapshot`, guarded by what {@link read} saw. */
  write(text: string, snapshot: Snapshot): Promise<LocationWrite>
}

/** Options of {@link repositoryFile}. */
export interface RepositoryFileOptions {
  /** the file in the repository, e.g. `data/store-snapshot.json` */
  path: string
  /** branch to read and commit to; default the repository's default branch. Created from the default branch when missing. */
  branch?: string
  /** commit message; default `chore: Update data store snapshot` (gh-store's workflow message) */
  message?: string
  /** compare-and-swap budget and backoff; default 5 attempts, full-jitter waits below min(3,000, 250 × 2^(n−1)) ms */
  retry?: RetryOptions
}

/** Defaults of {@link RepositoryFileOptions}. */
export const REPOSITORY_FILE_DEFAULTS = {
  message: 'chore: Update data store snapshot',
  retry: { maxAttempts: 5, baseMs: 250, maxMs: 3000 }
} satisfies Omit<RepositoryFileOptions, 'path' | 'branch'>

/**
 * A snapshot file in the repository. `read` is one raw contents GET (any size); `write` is a
 * contents `PUT` guarded by the blob SHA read. On a conflict or an ambiguous answer the file is
 * re-read: our text there means written; another writer's `snapshot_time` later than ours means
 * its file stands (`superseded`); otherwise ours, complete as of its later cut-off, is written
 * over it. A missing branch is created from the default branch (3 requests).
 *
 * @throws InvalidPathError (at once) for an unsafe `path`; (write) SnapshotConflictError when the
 *   budget runs out and the last attempt lost to another writer; GitHubRequestError when the last
 *   attempt failed otherwise (every answer a 5xx or lost: that status and GitHub's message), when
 *   the branch cannot be created (a 422 for a name git refuses, docs/github-behaviour.md §2.1), or for 401/403/422.
 */
export function repositoryFile(ctx: RepoContext, options: RepositoryFileOptions): SnapshotLocation {
  const { branch } = options
  const path = repositoryPath('path', options.path)
  const message = options.message ?? REPOSITORY_FILE_DEFAULTS.message
  const retry = resolveRetryOptions(options.retry, REPOSITORY_FILE_DEFAULTS.retry)
  let first: { file?: RepoFile } = {}
  let branchMissing = false
  /** the last attempt's failure when it was not another writer's change */
  let last: { error: unknown } | undefined
  let conflicts = 0
  return {
    path,
    source: `${path}${branch ? `@${branch}` : ''}`,
    async read() {
      const read = await readRepoFile(ctx, path, branch)
      branchMissing = !read.found && read.branchMissing
      first = read.found ? { file: read.file } : {}
      return first.file?.text
    },
    async write(text, snapshot) {
      const ours = Date.parse(snapshot.snapshot_time)
      const outcome = await compareAndSwap<{ file?: RepoFile }, string, LocationWrite>(
        {
          initial: first,
          read: async () => {
            const read = await readRepoFile(ctx, path, branch)
            return read.found ? { file: read.file } : {}
          },
          plan: () => ({ write: text }),
          write: async ({ file }, text, attempt) => {
            last = undefined
            if (branchMissing && branch) {
              await createBranchFromDefault(ctx, branch)
              branchMissing = false
            }
            const written = await writeRepoFile(ctx, {
              path,
              text,
              sha: file?.sha,
              branch,
              message
            })
            switch (written.kind) {
              case 'written':
                return {
                  kind: 'written',
                  value: { outcome: 'written', commitSha: written.commitSha, attempts: attempt }
                }
              case 'branch-missing':
                branchMissing = true
                last = { error: written.error }
                return { kind: 'conflict', problem: `404 branch ${branch} not found`, then: 'now' }
              case 'conflict':
                conflicts++
                return written
              case 'unknown':
                last = { error: written.error }
                return { kind: 'ambiguous', problem: written.problem, error: written.error }
            }
          },
          settle: async ({ state, attempt }) => {
            if (branchMissing) return { retry: { fresh: state } }
            // Conflict or unknown outcome: look at what is there now.
            const again = await readRepoFile(ctx, path, branch)
            const file = again.found ? again.file : undefined
            if (file?.text === text) return { finish: { outcome: 'written', attempts: attempt } }
            const theirs = file ? safeSnapshotTime(file.text) : undefined
            if (theirs !== undefined && theirs > ours)
              return { finish: { outcome: 'superseded', attempts: attempt } }
            return { retry: { fresh: file ? { file } : {} } }
          }
        },
        retry
      )
      if (outcome.kind === 'finished') return outcome.value
      // The last attempt failed without another writer (a 5xx or lost answer, a branch still
      // missing): that failure is the cause, not contention.
      if (last) throw writeFailure(ctx, path, branch, outcome.attempts, outcome.problem, last.error)
      throw new SnapshotConflictError(
        repositoryName(ctx),
        path,
        outcome.attempts,
        outcome.problem,
        conflicts
      )
    }
  }
}

/**
 * A snapshot file on disk: `path` resolved against `root` (default the working directory),
 * written with its directories created. No guard: one writer owns a workspace. With `root` (a
 * checkout, e.g. `GITHUB_WORKSPACE`) `path` must stay inside it and out of `.git`: it is checked
 * as a repository path (docs/github-behaviour.md §1.3). Without `root` it is a path on the
 * caller's own machine (the CLI's `--output`) and is taken as given.
 *
 * @throws InvalidPathError (at once, with `root`) for an unsafe `path` (`..`, `.git`, leading `/`…).
 */
export function workspaceFile(path: string, options: { root?: string } = {}): SnapshotLocation {
  if (options.root !== undefined) repositoryPath('path', path)
  const file = resolve(options.root ?? process.cwd(), path)
  return {
    path,
    source: path,
    async read() {
      try {
        return await readFile(file, 'utf8')
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
        throw error
      }
    },
    async write(text) {
      await mkdir(dirname(file), { recursive: true })
      await writeFile(file, text)
      return { outcome: 'written', attempts: 1 }
    }
  }
}

/** The error of a write budget spent on failures that were not another writer's change. */
function writeFailure(
  ctx: RepoContext,
  path: string,
  branch: string | undefined,
  attempts: number,
  problem: string,
  error: unknown
): GitHubRequestError {
  const status = statusOf(error) ?? 500
  const detail = githubMessageOf(error) ?? (statusOf(error) === undefined ? problem : undefined)
  return new GitHubRequestError(
    `write ${path}${branch ? ` on branch ${branch}` : ''} in ${repositoryName(ctx)} ` +
      `(${attempts} attempt(s); nothing of this snapshot was written)`,
    status,
    `PUT /repos/${repositoryName(ctx)}/contents/${path}`,
    detail,
    { cause: error }
  )
}

function safeSnapshotTime(text: string): number | undefined {
  try {
    const value = Date.parse((JSON.parse(text) as { snapshot_time?: string }).snapshot_time ?? '')
    return Number.isNaN(value) ? undefined : value
  } catch {
    return undefined
  }
}
