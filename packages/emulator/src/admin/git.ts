import { fields } from '../decode.js'
import { BadAdminRequest } from '../errors.js'
import { lfsRepoDir } from '../git-http/lfs.js'
import type { Route } from '../router.js'

/** A quota field: a whole number of bytes ≥ 0, `null` (remove) or absent (keep). */
function quotaField(obj: Record<string, unknown>, key: string): number | null | undefined {
  const value = obj[key]
  if (value === undefined || value === null) return value
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)
    throw new BadAdminRequest(`"${key}" must be a whole number of bytes >= 0, or null`)
  return value
}

/**
 * Admin routes for repository content:
 * - `POST /_emulator/stale-reads {lag_ms}` turns stale-read mode on (`lag_ms` > 0) or off (0):
 *   contents reads that name a branch (or the default one) are served from the branch as it
 *   was `lag_ms` ago (docs/github-behaviour.md §8 item 6);
 * - `GET /_emulator/repos/{owner}/{repo}/git` → `{path, refs}`: the bare repository on disk;
 * - `POST /_emulator/repos/{owner}/{repo}/git/refs-changed` → 204: re-read refs after writing
 *   to the bare repository with git directly;
 * - `GET /_emulator/repos/{owner}/{repo}/git/ref-history?ref=refs/heads/<b>` →
 *   `{ref, entries: [{time, sha}]}`: every move of the ref seen by the emulator, oldest first;
 * - `GET /_emulator/repos/{owner}/{repo}/lfs` → `{objects, stored_bytes, uploaded_bytes,
 *   downloaded_bytes, storage_quota_bytes, bandwidth_quota_bytes}` (git-http/lfs-accounting.ts);
 * - `POST /_emulator/repos/{owner}/{repo}/lfs/quota {storage_bytes?, bandwidth_bytes?}` sets
 *   (bytes) or removes (`null`) the repository's LFS quotas; answers the usage.
 */
export const gitAdminRoutes: Route[] = [
  {
    method: 'POST',
    template: '/_emulator/stale-reads',
    handler: ({ ctx, body }) => {
      const lag = fields(body).lag_ms
      if (typeof lag !== 'number' || !Number.isFinite(lag) || lag < 0)
        throw new BadAdminRequest('"lag_ms" must be a non-negative number')
      ctx.git.setStaleReads(lag)
      return { status: 200, body: { lag_ms: ctx.git.staleReadLagMs } }
    }
  },
  {
    method: 'GET',
    template: '/_emulator/repos/{owner}/{repo}/git',
    handler: async ({ ctx, params }) => {
      const repo = ctx.models.repos.find(params.owner, params.repo)
      await ctx.models.contents.ensure(repo)
      const refs = await ctx.git.listRefs(repo.owner, repo.name)
      return {
        status: 200,
        body: { path: ctx.git.repoPath(repo.owner, repo.name), refs }
      }
    }
  },
  {
    method: 'POST',
    template: '/_emulator/repos/{owner}/{repo}/git/refs-changed',
    handler: async ({ ctx, params }) => {
      const repo = ctx.models.repos.find(params.owner, params.repo)
      ctx.git.refsChanged(repo.owner, repo.name)
      await ctx.git.refs(repo.owner, repo.name)
      return { status: 204 }
    }
  },
  {
    method: 'GET',
    template: '/_emulator/repos/{owner}/{repo}/git/ref-history',
    handler: ({ ctx, params, query }) => {
      const repo = ctx.models.repos.find(params.owner, params.repo)
      const ref = query.get('ref') ?? `refs/heads/${repo.default_branch}`
      const entries = ctx.git
        .refHistory(repo.owner, repo.name, ref)
        .map((e) => ({ time: new Date(e.time).toISOString(), sha: e.sha }))
      return { status: 200, body: { ref, entries } }
    }
  },
  {
    method: 'GET',
    template: '/_emulator/repos/{owner}/{repo}/lfs',
    handler: async ({ ctx, params }) => {
      const repo = ctx.models.repos.find(params.owner, params.repo)
      const dir = lfsRepoDir(ctx.git, ctx.git.repoPath(repo.owner, repo.name))
      return { status: 200, body: await ctx.lfs.usage(`${repo.owner}/${repo.name}`, dir) }
    }
  },
  {
    method: 'POST',
    template: '/_emulator/repos/{owner}/{repo}/lfs/quota',
    handler: async ({ ctx, params, body }) => {
      const repo = ctx.models.repos.find(params.owner, params.repo)
      const obj = fields(body)
      const fullName = `${repo.owner}/${repo.name}`
      ctx.lfs.setQuota(fullName, {
        storage_bytes: quotaField(obj, 'storage_bytes'),
        bandwidth_bytes: quotaField(obj, 'bandwidth_bytes')
      })
      const dir = lfsRepoDir(ctx.git, ctx.git.repoPath(repo.owner, repo.name))
      return { status: 200, body: await ctx.lfs.usage(fullName, dir) }
    }
  }
]
