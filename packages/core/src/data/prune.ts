/**
 * Retention of the data branch (docs/persist-data.md §10): decide which backups to keep — the
 * newest `keepLast`, plus the newest backup of each of the last `keepDaily` UTC days that have
 * one, as restic's `forget --keep-last / --keep-daily` — and remove the manifests of the others
 * (and the pointers of packs no kept manifest uses) in ONE compare-and-swap commit on top of the
 * current head: history stays linear and is never force-pushed, so an old commit still restores.
 * GitHub never deletes LFS objects short of deleting the repository (§3), so the report says how
 * many LFS bytes the kept backups still reference and how many are now referenced by none.
 */
import { z } from 'zod'
import type { BranchHead, FileAddition } from '../branch-store/git.js'
import { DataBackupConflictError } from '../errors/data.js'
import { InvalidOptionsError } from '../errors/github.js'
import { compareAndSwap, resolveRetryOptions, type RetryOptions } from '../github/cas.js'
import { repositoryName, type RepoContext } from '../github/context.js'
import { isAmbiguous } from '../github/request.js'
import { DataBranch, DATA_BRANCH, type IndexState } from './branch.js'
import {
  DATA_FORMAT,
  INDEX_PATH,
  manifestPath,
  PRUNED_PATH,
  type BackupIndex,
  type BackupSummary,
  type Manifest
} from './manifest.js'
import { lfsStoredBytes } from './sizes.js'
import { NodeReader } from './tree.js'

/** Which backups a prune keeps (at least one of the two must be > 0). */
export interface RetentionPolicy {
  /** keep the newest N backups (default 0) */
  keepLast?: number
  /** keep the newest backup of each of the last D UTC days that have a backup (default 0) */
  keepDaily?: number
}

/** Options of {@link pruneBackups}. */
export interface PruneOptions extends RetentionPolicy {
  /** data branch (default `hubstore-data`) */
  branch?: string
  /** decide and report, but commit nothing */
  dryRun?: boolean
  /** clock of the prune record's `prunedAt` (default `() => new Date()`) */
  now?: () => Date
  /** budget of the commit's compare-and-swap loop (default 5 attempts) */
  retry?: RetryOptions
}

/** Why a backup is kept: among the newest N, or the newest of its UTC day. */
export type KeepReason = 'last' | 'daily'

/** What a prune decided and did. */
export interface PruneResult {
  dryRun: boolean
  /** the prune's commit; `null` for a dry run or when nothing was removed */
  commitSha: string | null
  /** backups kept, newest first, each with why */
  kept: Array<BackupSummary & { reasons: KeepReason[] }>
  /** backups removed (to be removed, in a dry run), newest first */
  removed: BackupSummary[]
  /** Git LFS storage of the data branch, bytes (docs/persist-data.md §10) */
  lfs: {
    /** distinct LFS objects (packs) the kept backups use */
    referencedObjects: number
    /** their bytes */
    referencedBytes: number
    /** bytes every backup ever committed uploaded: what GitHub stores and bills */
    storedBytes: number
    /** `storedBytes − referencedBytes`: stored, billed, and used by no kept backup */
    unreferencedBytes: number
  }
}

const prunedSchema = z.strictObject({
  format: z.literal(DATA_FORMAT),
  backups: z.array(
    z.strictObject({ id: z.string(), finishedAt: z.string(), prunedAt: z.iso.datetime() })
  )
})
/** `backups/pruned.json`: every backup pruned from the branch, oldest prune first. */
export type PrunedList = z.infer<typeof prunedSchema>

/** The prune list at `commitSha` (`[]` when the branch was never pruned). 1 request. */
export async function readPrunedList(
  branch: DataBranch,
  commitSha: string
): Promise<PrunedList['backups']> {
  const text = await branch.git.readRaw(PRUNED_PATH, commitSha)
  if (text === undefined) return []
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch {
    return [] // a damaged list only costs the "was pruned" hint
  }
  const parsed = prunedSchema.safeParse(raw)
  return parsed.success ? parsed.data.backups : []
}

const whole = (v: unknown): v is number =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= 0

/**
 * Which backups `policy` keeps, newest first with the reasons, and which it removes. A backup's
 * time is its `finishedAt`; its day is that time's UTC date. Like restic's `--keep-daily`, the
 * days counted are the last D days that HAVE a backup (a week without backups does not use up
 * the days), and the newest backup is always kept. No request.
 *
 * @throws InvalidOptionsError when `keepLast` / `keepDaily` is not a whole number ≥ 0, or both
 *   are 0 (a prune must keep something).
 */
export function selectBackups(
  backups: readonly BackupSummary[],
  policy: RetentionPolicy
): { kept: PruneResult['kept']; removed: BackupSummary[] } {
  const keepLast = policy.keepLast ?? 0
  const keepDaily = policy.keepDaily ?? 0
  if (!whole(keepLast)) throw new InvalidOptionsError('keepLast', 'a whole number ≥ 0', keepLast)
  if (!whole(keepDaily)) throw new InvalidOptionsError('keepDaily', 'a whole number ≥ 0', keepDaily)
  if (keepLast === 0 && keepDaily === 0)
    throw new InvalidOptionsError(
      'keepLast',
      'keepLast or keepDaily ≥ 1 (a prune that keeps nothing would remove every backup)',
      0
    )
  const newestFirst = backups
    .map((b, i) => ({ b, i, t: Date.parse(b.finishedAt) }))
    .sort((x, y) => y.t - x.t || y.i - x.i)
  const kept: PruneResult['kept'] = []
  const removed: BackupSummary[] = []
  const days = new Set<string>()
  for (const [rank, { b, t }] of newestFirst.entries()) {
    const reasons: KeepReason[] = []
    if (rank < keepLast) reasons.push('last')
    const day = new Date(t).toISOString().slice(0, 10)
    if (!days.has(day) && days.size < keepDaily) {
      days.add(day)
      reasons.push('daily')
    }
    if (reasons.length > 0) kept.push({ ...b, reasons })
    else removed.push(b)
  }
  return { kept, removed }
}

/** One planned prune commit and the report it gives. */
interface PrunePlan {
  additions: FileAddition[]
  deletions: string[]
  report: Omit<PruneResult, 'commitSha' | 'dryRun'>
}

const EMPTY_LFS = { referencedObjects: 0, referencedBytes: 0, storedBytes: 0, unreferencedBytes: 0 }
const json = (value: unknown) => Buffer.from(`${JSON.stringify(value, null, 1)}\n`, 'utf8')

/** Plans the prune at `state`'s head; `null` report fields when nothing is to be removed. */
async function planPrune(
  branch: DataBranch,
  state: IndexState,
  options: PruneOptions,
  manifests: Map<string, Manifest>,
  nodeTexts: Map<string, Promise<string>>
): Promise<PrunePlan> {
  const { head, index } = state
  if (!head || !index || index.backups.length === 0)
    return { additions: [], deletions: [], report: { kept: [], removed: [], lfs: EMPTY_LFS } }
  const { kept, removed } = selectBackups(index.backups, options)
  const referenced = new Map<string, number>()
  // the kept trees' nodes (format 2), each distinct node read once (docs/persist-data.md §8.2)
  const nodes = new Set<string>()
  const reader = new NodeReader(branch, head.commitSha, nodeTexts)
  for (const b of kept) {
    // manifests never change once committed: one read per backup per prune
    const m = manifests.get(b.id) ?? (await branch.readManifest(b.id, head.commitSha))
    manifests.set(b.id, m)
    if (m.format === DATA_FORMAT) for (const p of m.packs) referenced.set(p.oid, p.size)
    else
      await reader.walkTrees(
        m.files.flatMap((f) => (f.root ? [f.root] : [])),
        (leaf) => {
          for (const p of leaf.packs) referenced.set(p.oid, p.size)
        },
        nodes
      )
  }
  const referencedBytes = [...referenced.values()].reduce((n, s) => n + s, 0)
  const storedBytes = lfsStoredBytes(index)
  const lfs = {
    referencedObjects: referenced.size,
    referencedBytes,
    storedBytes,
    unreferencedBytes: Math.max(0, storedBytes - referencedBytes)
  }
  if (removed.length === 0) return { additions: [], deletions: [], report: { kept, removed, lfs } }

  const tree = await branch.git.readTree(head.treeSha)
  const gone = new Set(removed.map((b) => manifestPath(b.id)))
  const node = /^nodes\/[0-9a-f]{2}\/([0-9a-f]{64})\.json$/
  const deletions = [...tree.keys()].filter(
    (path) =>
      gone.has(path) ||
      (path.startsWith('packs/') && !referenced.has(path.slice('packs/'.length))) ||
      (node.test(path) && !nodes.has((node.exec(path) as RegExpExecArray)[1]))
  )
  const prunedAt = (options.now ?? (() => new Date()))().toISOString()
  const list = await readPrunedList(branch, head.commitSha)
  const ids = new Set(removed.map((b) => b.id))
  const newIndex: BackupIndex = {
    format: DATA_FORMAT,
    backups: index.backups.filter((b) => !ids.has(b.id)),
    pruned: {
      backups: (index.pruned?.backups ?? 0) + removed.length,
      uploadedBytes:
        (index.pruned?.uploadedBytes ?? 0) + removed.reduce((n, b) => n + b.uploadedBytes, 0)
    }
  }
  const prunedList: PrunedList = {
    format: DATA_FORMAT,
    backups: [
      ...list,
      ...[...removed].reverse().map((b) => ({ id: b.id, finishedAt: b.finishedAt, prunedAt }))
    ]
  }
  return {
    additions: [
      { path: INDEX_PATH, content: json(newIndex) },
      { path: PRUNED_PATH, content: json(prunedList) }
    ],
    deletions,
    report: { kept, removed, lfs }
  }
}

function message(plan: PrunePlan, options: PruneOptions): string {
  const { kept, removed } = plan.report
  return (
    `hubstore data prune: ${removed.length} backup(s) removed, ${kept.length} kept\n\n` +
    `keep-last ${options.keepLast ?? 0}, keep-daily ${options.keepDaily ?? 0}\n` +
    `removed: ${removed.map((b) => b.id).join(', ')}`
  )
}

/**
 * Prunes the backups of `ctx`'s data branch to `options`' retention policy (see
 * {@link selectBackups}): one commit on top of the head removes the manifests of the backups
 * not kept, the pointers of packs and the chunk-tree nodes no kept backup uses, rewrites `backups/index.json` (kept
 * backups, pruned totals) and appends them to `backups/pruned.json`. The history stays linear
 * (the commit's parent is the head read; the ref moves only by fast-forward), so every earlier
 * commit stays an ancestor and still restores by its SHA or a tag. No LFS object is deleted:
 * GitHub cannot (docs/persist-data.md §3). Requests: 2 (index) + 1 per kept backup (manifest) +
 * (format 2) the kept trees' distinct nodes, a GraphQL query per level of each kept backup's
 * trees (100 nodes a query) + 1 (tree) + 1 (prune list) + 3 per commit attempt; a dry run or nothing to remove stops
 * before the tree.
 *
 * @throws InvalidOptionsError for a bad policy ({@link selectBackups}).
 * @throws DataBackupConflictError (operation `prune`) when every commit attempt found the
 *   branch moved.
 * @throws InvalidDataManifestError when the index or a kept manifest is not valid.
 * @throws GitHubRequestError for a failed GitHub request.
 */
export async function pruneBackups(ctx: RepoContext, options: PruneOptions): Promise<PruneResult> {
  selectBackups([], options) // check the policy before any request
  const branch = new DataBranch(ctx, options.branch ?? DATA_BRANCH)
  const manifests = new Map<string, Manifest>()
  const nodeTexts = new Map<string, Promise<string>>()
  const initial = await branch.readIndex()
  if (options.dryRun) {
    const plan = await planPrune(branch, initial, options, manifests, nodeTexts)
    return { dryRun: true, commitSha: null, ...plan.report }
  }
  const landed = (state: IndexState, plan: PrunePlan) =>
    state.head !== null &&
    !plan.report.removed.some((r) => state.index?.backups.some((b) => b.id === r.id))
  const outcome = await compareAndSwap<IndexState, PrunePlan, PruneResult>(
    {
      initial,
      read: () => branch.readIndex(),
      plan: async (state) => {
        const plan = await planPrune(branch, state, options, manifests, nodeTexts)
        if (plan.report.removed.length === 0)
          return { finish: { dryRun: false, commitSha: null, ...plan.report } }
        return { write: plan }
      },
      write: async (state, plan) => {
        try {
          const head = state.head as BranchHead
          const r = await branch.git.commit(
            head,
            plan.additions,
            plan.deletions,
            message(plan, options)
          )
          if (r.kind === 'committed')
            return {
              kind: 'written',
              value: { dryRun: false, commitSha: r.commitSha, ...plan.report }
            }
          return { kind: 'conflict', problem: r.problem }
        } catch (error) {
          if (isAmbiguous(error))
            return { kind: 'ambiguous', problem: (error as Error).message, error }
          throw error
        }
      },
      settle: async ({ plan }) => {
        const fresh = await branch.readIndex()
        if (landed(fresh, plan))
          return {
            finish: {
              dryRun: false,
              commitSha: (fresh.head as BranchHead).commitSha,
              ...plan.report
            },
            how: 'index no longer lists the removed backups'
          }
        return { retry: { fresh } }
      }
    },
    resolveRetryOptions(options.retry, { maxAttempts: 5 })
  )
  if (outcome.kind === 'exhausted')
    throw new DataBackupConflictError(
      repositoryName(ctx),
      branch.branch,
      outcome.attempts,
      outcome.problem,
      'prune'
    )
  return outcome.value
}
