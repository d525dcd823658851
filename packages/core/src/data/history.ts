/**
 * The list of backups on the data branch (docs/persist-data.md §7), newest first, from the
 * backup index: one read of the index, no manifest and no pack.
 */
import type { RepoContext } from '../github/context.js'
import { DataBranch, DATA_BRANCH } from './branch.js'
import type { BackupSummary } from './manifest.js'

/** One backup as `history` reports it. */
export interface BackupListing extends BackupSummary {
  /** `unverified` when the files changed between every two capture passes */
  status: 'verified' | 'unverified'
}

/**
 * The backups of the data branch, newest first (`[]` when there is none). 2 requests.
 *
 * @throws InvalidDataManifestError when the index is not valid.
 */
export async function listBackups(
  ctx: RepoContext,
  options: { branch?: string } = {}
): Promise<{ commitSha: string | null; backups: BackupListing[] }> {
  const { head, index } = await new DataBranch(ctx, options.branch ?? DATA_BRANCH).readIndex()
  const backups = (index?.backups ?? [])
    .map((b) => ({ ...b, status: b.verified ? ('verified' as const) : ('unverified' as const) }))
    .reverse()
  return { commitSha: head?.commitSha ?? null, backups }
}
