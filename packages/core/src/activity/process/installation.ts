/**
 * `installation` and `installation_repositories`: created → the installation and every
 * repository it lists, each imported (fetch.ts `syncRepository`); deleted → marked;
 * added / removed repositories → imported / marked (the seed's "on installation import every
 * repository").
 */
import { importInstallation } from '../fetch.js'
import {
  installationRow,
  markRepositoryDeleted,
  repositoryInput,
  upsertInstallation,
  upsertRepository
} from '../rows.js'
import type { ActivityDb } from '../types.js'
import { need, nothing, type Handler, type HandlerContext, type Json } from './context.js'

const list = (v: unknown): Json[] => (Array.isArray(v) ? (v as Json[]) : [])

async function importAll(
  ctx: HandlerContext,
  installationId: number,
  repos: Json[] | undefined
): Promise<void> {
  const octokit = await ctx.octokit()
  const result = await importInstallation(ctx.db, octokit, installationId, {
    repositories: repos?.map((r) => {
      const input = repositoryInput(r)
      return { id: input.id, full_name: input.full_name }
    }),
    counts: ctx.counts,
    now: ctx.now
  })
  for (const r of result.repositories) ctx.repositories.add(r.repository_id)
  if (result.errors.length > 0) {
    const first = result.errors[0]
    throw new Error(
      `${result.errors.length} repositories could not be imported (first: ${first.full_name}: ${String((first.error as Error)?.message ?? first.error)})`
    )
  }
}

export const installation: Handler = async (ctx) => {
  const inst = need(ctx, 'installation')
  const row = installationRow(inst, ctx.now())
  const action = ctx.delivery.action
  if (action === 'deleted') {
    return async (tx: ActivityDb) => {
      await upsertInstallation(tx, row)
      await tx.run('UPDATE installations SET deleted_at = ? WHERE id = ?', [
        ctx.now().toISOString(),
        row.id
      ])
    }
  }
  if (action === 'created' || action === 'new_permissions_accepted' || action === 'unsuspend') {
    const repos = ctx.delivery.payload.repositories
    await ctx.db.transaction(async (tx) => {
      await upsertInstallation(tx, row)
      for (const r of list(repos))
        ctx.counts.repositories += await upsertRepository(tx, repositoryInput(r), ctx.now(), row.id)
    })
    await importAll(ctx, row.id, Array.isArray(repos) ? (repos as Json[]) : undefined)
    return nothing
  }
  return (tx) => upsertInstallation(tx, row).then(() => undefined)
}

export const installationRepositories: Handler = async (ctx) => {
  const inst = need(ctx, 'installation')
  const row = installationRow(inst, ctx.now())
  const added = list(ctx.delivery.payload.repositories_added)
  const removed = list(ctx.delivery.payload.repositories_removed)
  await ctx.db.transaction(async (tx) => {
    await upsertInstallation(tx, row)
    for (const r of added)
      ctx.counts.repositories += await upsertRepository(tx, repositoryInput(r), ctx.now(), row.id)
  })
  if (added.length > 0) await importAll(ctx, row.id, added)
  return async (tx) => {
    for (const r of removed) {
      const id = Number(r.id)
      ctx.counts.repositories += await markRepositoryDeleted(tx, id, ctx.now())
      ctx.repositories.add(id)
    }
  }
}
