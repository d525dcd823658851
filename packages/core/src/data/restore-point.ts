/**
 * Restore points: which backup of the data branch's index (docs/persist-data.md §7) `latest`, a
 * backup id, a commit SHA of the branch, a tag or `before:<time>` names, and the commit to read
 * its manifest at; on a branch without a backup index at that point, the data repository of the
 * seed's script there (§9.3). `restore.ts` builds the directory from what this chooses.
 */
import { RestorePointNotFoundError } from '../errors/data.js'
import { repositoryName, type RepoContext } from '../github/context.js'
import { callGitHub } from '../github/request.js'
import type { DataBranch } from './branch.js'
import { seedTreeAt, type SeedTree } from './files-restore.js'
import type { BackupIndex, BackupSummary, Manifest } from './manifest.js'
import { readPrunedList } from './prune.js'

/**
 * A restore point: `latest`; a backup id; a commit SHA of the data branch (its last backup); a
 * tag (its commit's last backup); `{before}` the last backup finished before a time. As text:
 * `latest`, an id, 40 hex digits, `before:<ISO time>`, anything else a tag.
 */
export type RestorePoint =
  'latest' | { id: string } | { commit: string } | { tag: string } | { before: Date | string }

/** Parses a restore point given as text (an action input, a CLI flag). */
export function parseRestorePoint(text: string): RestorePoint {
  const t = text.trim()
  if (t === '' || t === 'latest') return 'latest'
  if (t.startsWith('before:')) return { before: t.slice('before:'.length) }
  if (/^[0-9a-f]{40}$/i.test(t)) return { commit: t.toLowerCase() }
  if (/^\d{8}T\d{6}Z-[0-9a-f]{6}$/.test(t)) return { id: t }
  return { tag: t }
}

const describePoint = (p: RestorePoint): string =>
  p === 'latest'
    ? 'latest'
    : 'id' in p
      ? `backup ${p.id}`
      : 'commit' in p
        ? `commit ${p.commit}`
        : 'tag' in p
          ? `tag ${p.tag}`
          : `the last backup before ${new Date(p.before).toISOString()}`

/** The backup a restore point names and the commit to read its manifest at. */
export async function resolveRestorePoint(
  branch: DataBranch,
  point: RestorePoint
): Promise<{ summary: BackupSummary; commitSha: string }> {
  const notFound = (prunedAt?: string) =>
    new RestorePointNotFoundError(
      repositoryName(branch.ctx),
      branch.branch,
      describePoint(point),
      prunedAt
    )
  const pick = (
    index: BackupIndex | null,
    commitSha: string | undefined,
    choose: (b: BackupSummary[]) => BackupSummary | undefined
  ) => {
    const summary = index && commitSha ? choose(index.backups) : undefined
    if (!summary || !commitSha) throw notFound()
    return { summary, commitSha }
  }
  if (point !== 'latest' && ('commit' in point || 'tag' in point)) {
    const sha = 'commit' in point ? point.commit : await tagCommit(branch.ctx, point.tag)
    if (!sha) throw notFound()
    return pick(await branch.readIndexAt(sha), sha, (b) => b.at(-1))
  }
  const { head, index } = await branch.readIndex()
  if (point === 'latest') return pick(index, head?.commitSha, (b) => b.at(-1))
  if ('id' in point) {
    const listed = index?.backups.some((x) => x.id === point.id)
    const pruned = !listed && head ? await prunedEntry(branch, head.commitSha, point.id) : null
    if (pruned) throw notFound(pruned.prunedAt)
    return pick(index, head?.commitSha, (b) => b.find((x) => x.id === point.id))
  }
  const before = new Date(point.before).getTime()
  if (Number.isNaN(before)) throw notFound()
  return pick(index, head?.commitSha, (b) =>
    b.filter((x) => Date.parse(x.finishedAt) < before).at(-1)
  )
}

/** The prune list's entry of backup `id` (1 request; `null` when it was never pruned). */
async function prunedEntry(branch: DataBranch, commitSha: string, id: string) {
  return (await readPrunedList(branch, commitSha)).find((x) => x.id === id) ?? null
}

async function tagCommit(ctx: RepoContext, tag: string): Promise<string | null> {
  const { octokit, owner, repo } = ctx
  let ref
  try {
    ref = (await octokit.rest.git.getRef({ owner, repo, ref: `tags/${tag}` })).data
  } catch {
    return null
  }
  if (ref.object.type !== 'tag') return ref.object.sha
  const { data } = await callGitHub(`read tag ${tag} of ${repositoryName(ctx)}`, () =>
    octokit.rest.git.getTag({ owner, repo, tag_sha: ref.object.sha })
  )
  return data.object.sha
}

/** What a restore builds from: a backup's manifest, or a seed-layout tree. */
export type Chosen = { manifest: Manifest; commitSha: string } | { seed: SeedTree }

/**
 * The backup a restore point names, or — on a branch without a backup index at that point — a
 * data repository of the seed's script (docs/persist-data.md §9.3).
 */
export async function chooseBackup(branch: DataBranch, point: RestorePoint): Promise<Chosen> {
  try {
    const { summary, commitSha } = await resolveRestorePoint(branch, point)
    return { manifest: await branch.readManifest(summary.id, commitSha), commitSha }
  } catch (error) {
    if (!(error instanceof RestorePointNotFoundError)) throw error
    const seed = await seedAt(branch, point)
    if (!seed) throw error
    return { seed }
  }
}

/** The seed layout at the commit `point` names, when that commit has no backup index. */
async function seedAt(branch: DataBranch, point: RestorePoint): Promise<SeedTree | null> {
  const { ctx } = branch
  const { octokit, owner, repo } = ctx
  if (point !== 'latest' && 'id' in point) return null
  let commitSha: string | null | undefined
  if (point === 'latest') commitSha = (await branch.git.readHead())?.commitSha
  else if ('commit' in point) commitSha = point.commit
  else if ('tag' in point) commitSha = await tagCommit(ctx, point.tag)
  else {
    const until = new Date(point.before)
    if (Number.isNaN(until.getTime())) return null
    const { data } = await callGitHub(`list the commits of ${branch.where}`, () =>
      octokit.rest.repos.listCommits({
        owner,
        repo,
        sha: branch.branch,
        until: new Date(until.getTime() - 1).toISOString(),
        per_page: 1
      })
    )
    commitSha = data[0]?.sha
  }
  if (!commitSha || (await branch.readIndexAt(commitSha)) !== null) return null
  let treeSha: string
  try {
    treeSha = (await octokit.rest.git.getCommit({ owner, repo, commit_sha: commitSha })).data.tree
      .sha
  } catch {
    return null
  }
  return seedTreeAt(ctx, commitSha, treeSha)
}
