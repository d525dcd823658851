/**
 * `pruneBackups` against the emulator: which backups a policy keeps for backups at chosen times
 * (the backup clock is a parameter), one linear commit on top of the head, kept backups restore
 * byte-identical, a pruned id says it was pruned, and the bytes report matches the emulator's
 * LFS accounting. `selectBackups` on its own for the restic-like day rule.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Emulator } from '@hubstore/emulator'
import { randomBytes } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  backupDirectory,
  listBackups,
  pruneBackups,
  restoreDirectory,
  selectBackups,
  type BackupResult,
  type BackupSummary
} from '@hubstore/core/data'
import { freshRepo, startWorld } from '../support/emulator.js'
import { filesOf, scratch } from './support.js'

let emulator: Emulator
const work = scratch('data-prune')
beforeAll(async () => {
  emulator = await startWorld()
})
afterAll(async () => {
  await emulator.close()
  work.cleanup()
})

const at = (iso: string) => () => new Date(iso)

function summary(id: string, finishedAt: string): BackupSummary {
  return {
    id,
    finishedAt,
    files: 1,
    bytes: 1,
    newBytes: 1,
    uploadedBytes: 1,
    verified: true,
    manifest: `backups/${id}.json`
  }
}

describe('data: selectBackups (keep-last, keep-daily)', () => {
  it('keeps the newest N and the newest of each of the last D days that have a backup', () => {
    const backups = [
      summary('a', '2026-11-01T10:00:00.000Z'),
      summary('b', '2026-11-01T18:00:00.000Z'),
      // a week without backups does not use up the days (restic's rule)
      summary('c', '2026-11-09T09:00:00.000Z'),
      summary('d', '2026-11-10T08:00:00.000Z'),
      summary('e', '2026-11-10T23:59:59.999Z')
    ]
    const pick = (keepLast: number, keepDaily: number) => {
      const r = selectBackups(backups, { keepLast, keepDaily })
      return {
        kept: r.kept.map((b) => `${b.id}:${b.reasons.join('+')}`),
        removed: r.removed.map((b) => b.id)
      }
    }
    expect(pick(0, 3)).toEqual({ kept: ['e:daily', 'c:daily', 'b:daily'], removed: ['d', 'a'] })
    expect(pick(2, 0)).toEqual({ kept: ['e:last', 'd:last'], removed: ['c', 'b', 'a'] })
    expect(pick(2, 2)).toEqual({
      kept: ['e:last+daily', 'd:last', 'c:daily'],
      removed: ['b', 'a']
    })
    expect(pick(9, 9).removed).toEqual([])
  })

  it('a policy that keeps nothing, or is not a whole number, is INVALID_OPTIONS', () => {
    expect(() => selectBackups([], {})).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS' })
    )
    expect(() => selectBackups([], { keepLast: -1, keepDaily: 1 })).toThrow(/keepLast/)
    expect(() => selectBackups([], { keepDaily: 1.5 })).toThrow(/keepDaily/)
  })
})

describe('data: pruneBackups against the emulator', () => {
  it('removes exactly the backups the policy drops, in one linear commit; kept ones restore byte-identical', async () => {
    const repo = await freshRepo(emulator)
    const ctx = repo.as('octocat')
    const { owner, repo: name } = repo
    const data = join(work.dir, 'data')
    mkdirSync(data, { recursive: true })
    writeFileSync(join(data, 'base.bin'), randomBytes(20_000))
    const times = [
      '2026-11-01T10:00:00Z',
      '2026-11-01T18:00:00Z',
      '2026-11-02T09:00:00Z',
      '2026-11-03T08:00:00Z',
      '2026-11-03T12:00:00Z',
      '2026-11-03T20:00:00Z'
    ]
    const made: Array<{ result: BackupResult; files: Map<string, Buffer> }> = []
    for (const [i, t] of times.entries()) {
      writeFileSync(join(data, 'changing.bin'), randomBytes(4_000 + i))
      const result = await backupDirectory(ctx, data, { now: at(t) })
      made.push({ result, files: filesOf(data) })
    }
    const ids = made.map((m) => m.result.backupId)
    const headBefore = made[5]?.result.commitSha as string

    // keep-last 2: the two of Nov 3 12:00 and 20:00; keep-daily 3: Nov 3 20:00, Nov 2, Nov 1 18:00
    const expectedKept = [ids[5], ids[4], ids[2], ids[1]]
    const expectedRemoved = [ids[3], ids[0]]
    const dry = await pruneBackups(ctx, { keepLast: 2, keepDaily: 3, dryRun: true })
    expect(dry).toMatchObject({ dryRun: true, commitSha: null })
    expect(dry.kept.map((b) => b.id)).toEqual(expectedKept)
    expect(dry.removed.map((b) => b.id)).toEqual(expectedRemoved)
    expect((await listBackups(ctx)).commitSha).toBe(headBefore)

    const pruned = await pruneBackups(ctx, {
      keepLast: 2,
      keepDaily: 3,
      now: at('2026-11-04T00:00:00Z')
    })
    expect(pruned.kept.map((b) => `${b.id}:${b.reasons.join('+')}`)).toEqual([
      `${ids[5]}:last+daily`,
      `${ids[4]}:last`,
      `${ids[2]}:daily`,
      `${ids[1]}:daily`
    ])
    expect(pruned.removed.map((b) => b.id)).toEqual(expectedRemoved)
    const history = await listBackups(ctx)
    expect(history.commitSha).toBe(pruned.commitSha)
    expect(history.backups.map((b) => b.id)).toEqual(expectedKept)

    // linear: the prune commit's only parent is the old head, and every backup commit is an ancestor
    const { data: commit } = await ctx.octokit.rest.git.getCommit({
      owner,
      repo: name,
      commit_sha: pruned.commitSha as string
    })
    expect(commit.parents.map((p) => p.sha)).toEqual([headBefore])
    for (const m of made) {
      const { data: cmp } = await ctx.octokit.rest.repos.compareCommitsWithBasehead({
        owner,
        repo: name,
        basehead: `${m.result.commitSha}...${pruned.commitSha}`
      })
      expect({ status: cmp.status, behind: cmp.behind_by }).toEqual({ status: 'ahead', behind: 0 })
    }

    // the bytes report against the emulator's LFS accounting
    const usage = await emulator.admin.lfsUsage(`${owner}/${name}`)
    expect(pruned.lfs.storedBytes).toBe(usage.stored_bytes)
    expect(pruned.lfs.referencedBytes + pruned.lfs.unreferencedBytes).toBe(usage.stored_bytes)
    expect(pruned.lfs.unreferencedBytes).toBeGreaterThan(0)
    // restoring every kept backup through one empty cache downloads exactly the referenced packs
    const cacheDir = join(work.dir, 'cache-kept')
    let downloaded = 0
    for (const b of pruned.kept) {
      const target = join(work.dir, `restore-${b.id}`)
      const r = await restoreDirectory(ctx, target, { point: b.id, cacheDir })
      downloaded += r.downloadedBytes
      const original = made.find((m) => m.result.backupId === b.id)?.files
      expect(filesOf(target)).toEqual(original)
    }
    expect(downloaded).toBe(pruned.lfs.referencedBytes)
    // the branch head points only at the packs the kept backups use
    const { data: tree } = await ctx.octokit.rest.git.getTree({
      owner,
      repo: name,
      tree_sha: commit.tree.sha,
      recursive: 'true'
    })
    const paths = tree.tree.map((e) => e.path as string)
    expect(paths.filter((p) => p.startsWith('packs/'))).toHaveLength(pruned.lfs.referencedObjects)
    for (const id of expectedRemoved) expect(paths).not.toContain(`backups/${id}.json`)

    // a pruned id says it was pruned; its commit still restores it (history kept)
    await expect(
      restoreDirectory(ctx, join(work.dir, 'gone'), { point: ids[0], cacheDir })
    ).rejects.toMatchObject({
      code: 'RESTORE_POINT_NOT_FOUND',
      prunedAt: '2026-11-04T00:00:00.000Z',
      message: expect.stringContaining('was pruned')
    })
    // "the last backup before" skips the pruned ones
    const before = await restoreDirectory(ctx, join(work.dir, 'before'), {
      point: 'before:2026-11-03T08:30:00Z',
      cacheDir
    })
    expect(before.backupId).toBe(ids[2])
    const old = await restoreDirectory(ctx, join(work.dir, 'by-commit'), {
      point: made[0]?.result.commitSha,
      cacheDir
    })
    expect(old.backupId).toBe(ids[0])
    expect(filesOf(join(work.dir, 'by-commit'))).toEqual(made[0]?.files)

    // the next backup and prune build on it: a new day shifts the window, totals are carried
    writeFileSync(join(data, 'changing.bin'), randomBytes(10))
    const next = await backupDirectory(ctx, data, { now: at('2026-11-04T06:00:00Z') })
    const again = await pruneBackups(ctx, { keepLast: 2, keepDaily: 3 })
    expect(again.kept.map((b) => b.id)).toEqual([next.backupId, ids[5], ids[2]])
    expect(again.removed.map((b) => b.id)).toEqual([ids[4], ids[1]])
    const after = await emulator.admin.lfsUsage(`${owner}/${name}`)
    expect(again.lfs.storedBytes).toBe(after.stored_bytes)
    const last = await pruneBackups(ctx, { keepLast: 2, keepDaily: 3 })
    expect(last).toMatchObject({ commitSha: null, removed: [] })
    expect((await listBackups(ctx)).commitSha).toBe(again.commitSha)
  })

  it('a lost answer to the ref move is settled by reading back; a concurrent backup is never dropped', async () => {
    const repo = await freshRepo(emulator)
    const ctx = repo.as('octocat')
    const data = join(work.dir, 'race')
    mkdirSync(data, { recursive: true })
    for (const t of ['2026-11-01T10:00:00Z', '2026-11-02T10:00:00Z', '2026-11-03T10:00:00Z']) {
      writeFileSync(join(data, 'v.bin'), randomBytes(5_000))
      await backupDirectory(ctx, data, { now: at(t) })
    }
    const headBefore = (await listBackups(ctx)).commitSha as string
    // the ref moves, then the answer is lost (502): ambiguous, settled by reading the index back
    await emulator.admin.addFault({
      method: 'PATCH',
      route: '/repos/{owner}/{repo}/git/refs/{ref}',
      status: 502,
      count: 1,
      when: 'after'
    })
    const events: string[] = []
    const settled = await pruneBackups(ctx, {
      keepLast: 2,
      retry: { onEvent: (e) => events.push(e.type) }
    })
    await emulator.admin.clearFaults()
    expect(events).toEqual(['ambiguous', 'settled'])
    const { data: commit } = await ctx.octokit.rest.git.getCommit({
      owner: repo.owner,
      repo: repo.repo,
      commit_sha: settled.commitSha as string
    })
    expect(commit.parents.map((p) => p.sha)).toEqual([headBefore])
    expect((await listBackups(ctx)).backups).toHaveLength(2)

    // a backup racing a prune: whichever lands first, the other builds on it
    writeFileSync(join(data, 'v.bin'), randomBytes(5_000))
    const [, racing] = await Promise.all([
      pruneBackups(ctx, { keepLast: 1 }),
      backupDirectory(ctx, data, { now: at('2026-11-04T10:00:00Z') })
    ])
    const ids = (await listBackups(ctx)).backups.map((b) => b.id)
    expect(ids).toContain(racing.backupId)
  })

  it('a branch without backups: nothing to prune, no commit', async () => {
    const repo = await freshRepo(emulator)
    const r = await pruneBackups(repo.as('octocat'), { keepLast: 1 })
    expect(r).toMatchObject({ commitSha: null, kept: [], removed: [] })
  })
})
