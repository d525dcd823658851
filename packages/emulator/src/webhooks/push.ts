import { NULL_SHA } from '../events.js'
import type { GitStore } from '../git/store.js'
import { repoHtmlUrl } from '../shapes/common.js'
import type { RepoRecord, UserRecord } from '../state.js'

/**
 * The most commits a `push` payload lists (GitHub: "The array includes a maximum of 2048
 * commits"; https://docs.github.com/webhooks/webhook-events-and-payloads#push). The newest
 * 2,048 are kept, oldest first, so the last one is `head_commit` (which ones GitHub keeps is
 * unverified).
 */
export const PUSH_COMMITS_MAX = 2048

/**
 * GitHub creates no push event for tags when more than three tags are pushed at once (same
 * page).
 */
export const PUSH_TAGS_MAX = 3

const RECORD = '\x1e'
const FIELD = '\x1f'
const FORMAT = `${RECORD}%H${FIELD}%T${FIELD}%an${FIELD}%ae${FIELD}%aI${FIELD}%cn${FIELD}%ce${FIELD}%cI${FIELD}%B${FIELD}`

/** A `commit` of a push payload. */
export interface PushCommit {
  id: string
  tree_id: string
  distinct: boolean
  message: string
  timestamp: string
  url: string
  author: { name: string; email: string; username?: string }
  committer: { name: string; email: string; username?: string }
  added: string[]
  removed: string[]
  modified: string[]
}

/** What the payload of one ref move says beyond `repository` and `sender`. */
export interface PushFields {
  ref: string
  before: string
  after: string
  created: boolean
  deleted: boolean
  forced: boolean
  base_ref: null
  compare: string
  commits: PushCommit[]
  head_commit: PushCommit | null
  pusher: { name: string; email: string | null }
}

/**
 * The `push` fields for `ref` moving `before` → `after` (`NULL_SHA` for a created / deleted
 * ref): the commits new to the ref (`before..after`; for a new branch, those on no other
 * branch), at most `PUSH_COMMITS_MAX`, each with its added / removed / modified paths
 * (`git log --name-status`, one git process for the whole push).
 */
export async function pushFields(
  git: GitStore,
  origin: string,
  repo: RepoRecord,
  move: { ref: string; before: string; after: string },
  pusher: UserRecord | null,
  pusherLogin: string
): Promise<PushFields> {
  const { ref, before, after } = move
  const created = before === NULL_SHA
  const deleted = after === NULL_SHA
  const html = repoHtmlUrl(origin, repo)
  let commits: PushCommit[] = []
  let head: PushCommit | null = null
  let forced = false
  if (!deleted) {
    let range: string[]
    if (!ref.startsWith('refs/heads/')) range = []
    else if (!created) range = [`${before}..${after}`]
    else {
      const others = [...(await git.refs(repo.owner, repo.name))]
        .filter(([name]) => name.startsWith('refs/heads/') && name !== ref)
        .map(([, sha]) => sha)
      range = [after, '--not', ...others]
    }
    if (range.length > 0) commits = (await log(git, repo, html, range, PUSH_COMMITS_MAX)).reverse()
    head = commits.at(-1) ?? (await log(git, repo, html, [`${after}^{commit}`], 1))[0] ?? null
    if (!created && ref.startsWith('refs/heads/'))
      forced = !(await git.isAncestor(repo.owner, repo.name, before, after))
  }
  const short = (sha: string) => sha.slice(0, 12)
  const compare = created
    ? `${html}/compare/${encodeURIComponent(ref.replace(/^refs\/(heads|tags)\//, ''))}`
    : `${html}/compare/${short(before)}...${short(after)}`
  return {
    ref,
    before,
    after,
    created,
    deleted,
    forced,
    base_ref: null,
    compare,
    commits,
    head_commit: head,
    pusher: {
      name: pusherLogin,
      email: pusher ? `${pusher.id}+${pusher.login}@users.noreply.github.com` : null
    }
  }
}

async function log(
  git: GitStore,
  repo: RepoRecord,
  html: string,
  range: string[],
  max: number
): Promise<PushCommit[]> {
  const args = ['-c', 'core.quotePath=false', 'log', `--max-count=${max}`, `--format=${FORMAT}`]
  const out = await git.run(repo.owner, repo.name, [
    ...args,
    '--name-status',
    '--no-renames',
    ...range
  ])
  const commits: PushCommit[] = []
  for (const record of out.toString('utf8').split(RECORD).slice(1)) {
    const parts = record.split(FIELD)
    const [id, tree, an, ae, ad, cn, ce, , message] = parts
    const files = parts.slice(9).join(FIELD)
    const commit: PushCommit = {
      id,
      tree_id: tree,
      distinct: true,
      message: message.replace(/\n$/, ''),
      timestamp: ad,
      url: `${html}/commit/${id}`,
      author: { name: an, email: ae },
      committer: { name: cn, email: ce },
      added: [],
      removed: [],
      modified: []
    }
    for (const line of files.split('\n')) {
      const m = /^([A-Z])\d*\t(.+)$/.exec(line)
      if (!m) continue
      if (m[1] === 'A') commit.added.push(m[2])
      else if (m[1] === 'D') commit.removed.push(m[2])
      else commit.modified.push(m[2])
    }
    commits.push(commit)
  }
  return commits
}
