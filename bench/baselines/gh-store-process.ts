/**
 * Baseline: gh-store 0.11.2's `process_updates(issue_number)` request pattern, reimplemented
 * from its source as described in docs/gh-store-format.md §2.5 and §2.7 (PyGithub
 * makes one request per call below). It exists only to be measured next to hubstore in
 * `pnpm bench`; it is not part of the product.
 *
 * 1. `get_repo` (owner login), 2. `get_issue`, 3. CODEOWNERS lookups until one is found (creator
 * check), 4. list comments, 5. one reactions listing per comment (`_is_processed`), 6.
 * `get_object_by_number`: the issue and its comments again (version), 7. `edit` body + close,
 * 8. `mark_processed`: the comment list again, then one reaction per update.
 */
import type { HubstoreOctokit } from '@hubstore/core'

export async function ghStoreProcessUpdates(
  octokit: HubstoreOctokit,
  owner: string,
  repo: string,
  issueNumber: number
): Promise<void> {
  const { data: repository } = await octokit.rest.repos.get({ owner, repo })
  const { data: issue } = await octokit.rest.issues.get({ owner, repo, issue_number: issueNumber })
  for (const path of ['.github/CODEOWNERS', 'docs/CODEOWNERS', 'CODEOWNERS']) {
    try {
      await octokit.rest.repos.getContent({ owner, repo, path })
      break
    } catch {
      /* next */
    }
  }
  const list = () =>
    octokit.paginate(octokit.rest.issues.listComments, {
      owner,
      repo,
      issue_number: issueNumber,
      per_page: 30
    })
  const comments = await list()
  const updates: Array<{ id: number; data: Record<string, unknown> }> = []
  for (const c of comments) {
    const reactions = await octokit.paginate(octokit.rest.reactions.listForIssueComment, {
      owner,
      repo,
      comment_id: c.id
    })
    if (reactions.some((r) => r.content === '+1')) continue
    try {
      const parsed = JSON.parse(c.body ?? '') as { _data?: Record<string, unknown>; type?: string }
      if (parsed.type === 'initial_state') continue
      if (c.user?.login !== repository.owner.login) continue
      updates.push({ id: Number(c.id), data: parsed._data ?? (parsed as Record<string, unknown>) })
    } catch {
      /* non-JSON: skipped */
    }
  }
  await octokit.rest.issues.get({ owner, repo, issue_number: issueNumber })
  await list()
  let state = JSON.parse(issue.body ?? '{}') as Record<string, unknown>
  for (const u of updates) state = { ...state, ...u.data }
  await octokit.rest.issues.update({
    owner,
    repo,
    issue_number: issueNumber,
    body: JSON.stringify(state, null, 2),
    state: 'closed'
  })
  await list()
  for (const u of updates)
    await octokit.rest.reactions.createForIssueComment({
      owner,
      repo,
      comment_id: u.id,
      content: '+1'
    })
}
