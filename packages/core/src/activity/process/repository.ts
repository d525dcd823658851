/**
 * `repository`: created → imported; deleted → marked (rows kept); renamed / transferred and
 * other changes → the row follows (`full_name` is keyed by GitHub's stable id).
 */
import { syncRepository } from '../fetch.js'
import { markRepositoryDeleted, repositoryInput, upsertRepository } from '../rows.js'
import { need, nothing, type Handler } from './context.js'

export const repository: Handler = async (ctx) => {
  const input = repositoryInput(need(ctx, 'repository'))
  ctx.repositories.add(input.id)
  const installationId = ctx.delivery.installation_id
  if (ctx.delivery.action === 'deleted') {
    return async (tx) => {
      await upsertRepository(tx, input, ctx.now(), installationId)
      ctx.counts.repositories += await markRepositoryDeleted(tx, input.id, ctx.now())
    }
  }
  if (ctx.delivery.action === 'created') {
    await syncRepository(ctx.db, await ctx.octokit(), input, {
      counts: ctx.counts,
      installationId,
      now: ctx.now
    })
    return nothing
  }
  return async (tx) => {
    ctx.counts.repositories += await upsertRepository(tx, input, ctx.now(), installationId)
  }
}
