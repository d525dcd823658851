import type { Clock } from '../clock.js'
import type { Ledger } from '../ledger.js'
import type { Models } from '../models/index.js'
import type { LfsAccounting } from './lfs-accounting.js'

/** What git over HTTP needs from the git object store (`GitStore`, `ctx.git`). */
export interface GitRepoStore {
  /** Directory holding `repos/<owner>/<repo>.git` (and, for LFS, `lfs/`). */
  readonly root: string
  /** Absolute path of the bare repository `owner/repo`. */
  repoPath(owner: string, repo: string): string
  /** Runs `fn` holding the repository's one ref lock. */
  withRepoLock<T>(owner: string, repo: string, fn: () => Promise<T>): Promise<T>
  /** Tells the store that something outside it (a push) moved refs. */
  refsChanged(owner: string, repo: string): void
  /** Every ref (`refs/...` → SHA) as the store knows them (re-read after `refsChanged`). */
  refs(owner: string, repo: string): Promise<Map<string, string>>
  /** Whether the bare repository exists on disk. */
  exists(owner: string, repo: string): boolean
  /** Creates the bare repository (a no-op when it exists). */
  init(
    owner: string,
    repo: string,
    options: { defaultBranch: string; autoInit: boolean }
  ): Promise<void>
}

/** The parts of the emulator context git over HTTP uses (`EmulatorContext` satisfies it). */
export interface GitHttpContext {
  models: Models
  ledger: Ledger
  clock: Clock
  git: GitRepoStore
  /** LFS bytes stored, uploaded and downloaded per repository, and quotas. */
  lfs: LfsAccounting
  /** The webhook engine: a push is held open in it until its events are emitted. */
  webhooks: { hold<T>(work: Promise<T>): Promise<T> }
}
