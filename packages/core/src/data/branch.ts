/**
 * The data branch (docs/persist-data.md §7): reads of the backup index and of manifests at one
 * commit, and the one compare-and-swap commit of a backup, through the shared loop
 * (`github/cas.ts`) and the branch store's git primitives (`branch-store/git.ts`).
 */
import { BranchGit, type BranchHead, type FileAddition } from '../branch-store/git.js'
import { DataBackupConflictError, InvalidDataManifestError } from '../errors/data.js'
import { compareAndSwap, resolveRetryOptions, type RetryOptions } from '../github/cas.js'
import { repositoryName, type RepoContext } from '../github/context.js'
import { isAmbiguous } from '../github/request.js'
import { lfsPointer } from './lfs.js'
import type { TreeChangesOf } from './lfs-files.js'
import {
  DATA_FORMAT,
  INDEX_PATH,
  manifestPath,
  packPath,
  parseIndex,
  parseManifest,
  summaryOf,
  type BackupIndex,
  type Manifest,
  type PackRef
} from './manifest.js'

/** Default data branch. */
export const DATA_BRANCH = 'hubstore-data'

/** `.gitattributes` of the data branch: packs are LFS objects (§5). */
export const DATA_GITATTRIBUTES = 'packs/** filter=lfs diff=lfs merge=lfs -text\n'

/** The branch head and its backup index (`null`: no branch, or no backup on it yet). */
export interface IndexState {
  head: BranchHead | null
  index: BackupIndex | null
}

/** The data branch of one repository. */
export class DataBranch {
  readonly git: BranchGit
  constructor(
    readonly ctx: RepoContext,
    readonly branch: string = DATA_BRANCH
  ) {
    this.git = new BranchGit(ctx, branch, 'rest', 'git-data')
  }

  get where(): string {
    return `branch ${this.branch} of ${repositoryName(this.ctx)}`
  }

  /** The head and the index at it. 2 requests (1 when the branch does not exist). */
  async readIndex(): Promise<IndexState> {
    const snapshot = await this.git.readSnapshot([INDEX_PATH])
    const text = snapshot.files.get(INDEX_PATH)
    if (!snapshot.head || text === undefined) return { head: snapshot.head, index: null }
    return {
      head: snapshot.head,
      index: parseIndex(`${INDEX_PATH}@${snapshot.head.commitSha}`, text)
    }
  }

  /** The index at a commit (`null` when it has none). 1 request. */
  async readIndexAt(commitSha: string): Promise<BackupIndex | null> {
    const text = await this.git.readRaw(INDEX_PATH, commitSha)
    return text === undefined ? null : parseIndex(`${INDEX_PATH}@${commitSha}`, text)
  }

  /**
   * The manifest of backup `id` at `commitSha`, checked (`parseManifest`). 1 request.
   *
   * @throws InvalidDataManifestError when it is absent, not valid, or another backup's.
   */
  async readManifest(id: string, commitSha: string): Promise<Manifest> {
    const path = manifestPath(id)
    const source = `${path}@${commitSha}`
    const text = await this.git.readRaw(path, commitSha)
    if (text === undefined) throw new InvalidDataManifestError(source, '', 'is missing')
    const manifest = parseManifest(source, text)
    if (manifest.id !== id) throw new InvalidDataManifestError(source, 'id', `is not ${id}`)
    return manifest
  }

  /**
   * Commits `manifest`, the index with its summary appended, and pointers for `newPacks`, as
   * ONE commit guarded by the head read (`initial`, then re-read after a conflict); creates the
   * branch as an orphan when it does not exist. An ambiguous answer is settled by reading the
   * index back. Cost: 3 requests per attempt (tree, commit, ref) + blobs over 256 KiB.
   * `files` (the `lfs-files` layout, §9): the `.gitattributes` to write instead of the packs'
   * one, and the file changes, computed again against each attempt's head; `nodes`: the new
   * chunk-tree nodes (path → bytes, §8.2), in the same commit.
   *
   * @throws DataBackupConflictError when every attempt found the branch moved.
   */
  async commitBackup(
    initial: IndexState,
    manifest: Manifest,
    newPacks: PackRef[],
    retry?: RetryOptions,
    files: { gitattributes?: string; changes?: TreeChangesOf; nodes?: Map<string, Buffer> } = {}
  ): Promise<{ commitSha: string; attempts: number }> {
    const options = resolveRetryOptions(retry, { maxAttempts: 5 })
    const message = `hubstore data backup ${manifest.id}\n\n${manifest.files.length} file(s), ${manifest.bytes.total} bytes, ${manifest.bytes.uploaded} bytes uploaded${manifest.capture.verified ? '' : ' (unverified)'}`
    const manifestFile: FileAddition = {
      path: manifestPath(manifest.id),
      content: Buffer.from(`${JSON.stringify(manifest, null, 1)}\n`, 'utf8')
    }
    const fixed: FileAddition[] = [
      manifestFile,
      { path: '.gitattributes', content: Buffer.from(files.gitattributes ?? DATA_GITATTRIBUTES) },
      ...newPacks.map((p) => ({ path: packPath(p.oid), content: Buffer.from(lfsPointer(p)) })),
      ...[...(files.nodes ?? [])].map(([path, content]) => ({ path, content }))
    ]
    const landed = (state: IndexState) =>
      state.head !== null && state.index?.backups.some((b) => b.id === manifest.id) === true
    type Write = { additions: FileAddition[]; deletions: string[] }
    const outcome = await compareAndSwap<IndexState, Write, string>(
      {
        initial,
        read: () => this.readIndex(),
        plan: async (state) => {
          if (landed(state)) return { finish: (state.head as BranchHead).commitSha }
          const index: BackupIndex = {
            format: DATA_FORMAT,
            backups: [...(state.index?.backups ?? []), summaryOf(manifest)],
            ...(state.index?.pruned ? { pruned: state.index.pruned } : {})
          }
          const indexFile = {
            path: INDEX_PATH,
            content: Buffer.from(`${JSON.stringify(index, null, 1)}\n`, 'utf8')
          }
          const changed = (await files.changes?.(state.head)) ?? { additions: [], deletions: [] }
          return {
            write: {
              additions: [...fixed, indexFile, ...changed.additions],
              deletions: changed.deletions
            }
          }
        },
        write: async (state, { additions, deletions }) => {
          try {
            const result = state.head
              ? await this.git.commit(state.head, additions, deletions, message)
              : await this.git.createOrphan(additions, message)
            if (result.kind === 'committed') return { kind: 'written', value: result.commitSha }
            return {
              kind: 'conflict',
              problem: result.problem,
              then: state.head ? 'backoff' : 'now'
            }
          } catch (error) {
            if (isAmbiguous(error))
              return { kind: 'ambiguous', problem: (error as Error).message, error }
            throw error
          }
        },
        settle: async () => {
          const fresh = await this.readIndex()
          if (landed(fresh))
            return { finish: (fresh.head as BranchHead).commitSha, how: 'index lists the backup' }
          return { retry: { fresh } }
        }
      },
      options
    )
    if (outcome.kind === 'exhausted')
      throw new DataBackupConflictError(
        repositoryName(this.ctx),
        this.branch,
        outcome.attempts,
        outcome.problem
      )
    return { commitSha: outcome.value, attempts: outcome.attempts }
  }
}
