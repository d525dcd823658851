/**
 * `issues` and `pull_request`: upsert by GitHub id, the newer `updated_at` wins (a late
 * redelivery of an old event changes nothing). An `issues` payload about a pull request is
 * skipped (the `pull_request` event carries it). `issues.deleted` removes the row.
 */
import {
  issueRow,
  pullRequestRow,
  repositoryInput,
  upsertIssue,
  upsertPullRequest,
  upsertRepository
} from '../rows.js'
import { need, type Handler } from './context.js'

export const issues: Handler = async (ctx) => {
  const repo = repositoryInput(need(ctx, 'repository'))
  const issue = need(ctx, 'issue')
  ctx.repositories.add(repo.id)
  return async (tx) => {
    await upsertRepository(tx, repo, ctx.now(), ctx.delivery.installation_id)
    if (ctx.delivery.action === 'deleted') {
      ctx.counts.issues += (
        await tx.run('DELETE FROM issues WHERE id = ?', [Number(issue.id)])
      ).changes
      return
    }
    const row = issueRow(issue, repo.id)
    if (row) ctx.counts.issues += await upsertIssue(tx, row)
  }
}

export const pullRequest: Handler = async (ctx) => {
  const repo = repositoryInput(need(ctx, 'repository'))
  const pull = need(ctx, 'pull_request')
  ctx.repositories.add(repo.id)
  return async (tx) => {
    await upsertRepository(tx, repo, ctx.now(), ctx.delivery.installation_id)
    ctx.counts.pull_requests += await upsertPullRequest(tx, pullRequestRow(pull, repo.id))
  }
}
