import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Emulator } from '@hubstore/emulator'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { backupDirectory, directoryStatus, restoreDirectory } from '@hubstore/core/data'
import { freshRepo, startWorld } from '../support/emulator.js'
import { scratch } from './support.js'

let emulator: Emulator
const work = scratch('data-points')
beforeAll(async () => {
  emulator = await startWorld()
})
afterAll(async () => {
  await emulator.close()
  work.cleanup()
})

let n = 0
function caseDir() {
  const base = join(work.dir, `case-${++n}`)
  const data = join(base, 'data')
  mkdirSync(data, { recursive: true })
  return { base, data }
}

/** A clock that reads `start`, then one minute later on every call. */
function minutes(start: string) {
  let t = Date.parse(start)
  return () => new Date((t += 60_000))
}

describe('data: restore points, capture methods, status, quota', () => {
  it('restore by latest, backup id, commit SHA, tag and "last before T"', async () => {
    const { base, data } = caseDir()
    const repo = await freshRepo(emulator)
    const ctx = repo.as('octocat')
    const now = minutes('2026-11-30T11:00:00Z')
    writeFileSync(join(data, 'v.txt'), 'one')
    const one = await backupDirectory(ctx, data, { now })
    writeFileSync(join(data, 'v.txt'), 'two')
    const two = await backupDirectory(ctx, data, { now })
    await ctx.octokit.rest.git.createRef({
      owner: repo.owner,
      repo: repo.repo,
      ref: 'refs/tags/first',
      sha: one.commitSha
    })
    const cacheDir = join(base, 'cache')
    const read = async (point: string) => {
      const target = join(base, `out-${randomBytes(3).toString('hex')}`)
      const r = await restoreDirectory(ctx, target, { point, cacheDir })
      return { id: r.backupId, text: readFileSync(join(target, 'v.txt'), 'utf8') }
    }
    expect(await read('latest')).toEqual({ id: two.backupId, text: 'two' })
    expect(await read(one.backupId)).toEqual({ id: one.backupId, text: 'one' })
    expect(await read(one.commitSha)).toEqual({ id: one.backupId, text: 'one' })
    expect(await read('first')).toEqual({ id: one.backupId, text: 'one' })
    expect(await read(`before:${two.manifest.finishedAt}`)).toEqual({
      id: one.backupId,
      text: 'one'
    })
    await expect(read('before:2020-01-01T00:00:00Z')).rejects.toMatchObject({
      code: 'RESTORE_POINT_NOT_FOUND'
    })
  })

  it('hooks quiesce the directory (pre runs before, post after); a failing hook is DATA_CAPTURE_FAILED', async () => {
    const { data } = caseDir()
    const repo = await freshRepo(emulator)
    const ctx = repo.as('octocat')
    const node = process.execPath
    const result = await backupDirectory(ctx, data, {
      capture: {
        hooks: {
          pre: [node, '-e', "require('fs').writeFileSync('flushed.txt', 'by pre')"],
          post: [node, '-e', "require('fs').unlinkSync('flushed.txt')"]
        }
      }
    })
    expect(result.manifest.capture).toEqual({ method: 'hooks', passes: 1, verified: true })
    expect(result.manifest.files.map((f) => f.path)).toEqual(['flushed.txt'])
    expect(existsSync(join(data, 'flushed.txt'))).toBe(false)
    await expect(
      backupDirectory(ctx, data, { capture: { hooks: { pre: [node, '-e', 'process.exit(3)'] } } })
    ).rejects.toMatchObject({ code: 'DATA_CAPTURE_FAILED', problem: 'hook-failed' })
  })

  it('two passes that never agree: the backup is committed but marked unverified', async () => {
    const { data } = caseDir()
    const repo = await freshRepo(emulator)
    const ctx = repo.as('octocat')
    writeFileSync(join(data, 'segment.bin'), randomBytes(1000))
    const result = await backupDirectory(ctx, data, {
      capture: {
        maxPasses: 3,
        onPass: () => writeFileSync(join(data, 'segment.bin'), randomBytes(1000))
      }
    })
    expect(result.verified).toBe(false)
    expect(result.manifest.capture).toEqual({ method: 'two-pass', passes: 3, verified: false })
    const status = await directoryStatus(ctx, data)
    expect(status.latest).toMatchObject({ backupId: result.backupId, verified: false })
  })

  it('status: added, changed, removed and unchanged files against the latest backup', async () => {
    const { data } = caseDir()
    const repo = await freshRepo(emulator)
    const ctx = repo.as('octocat')
    writeFileSync(join(data, 'keep.txt'), 'k')
    writeFileSync(join(data, 'edit.txt'), 'e')
    writeFileSync(join(data, 'gone.txt'), 'g')
    await backupDirectory(ctx, data)
    writeFileSync(join(data, 'edit.txt'), 'e2')
    writeFileSync(join(data, 'new.txt'), 'n')
    const { rmSync } = await import('node:fs')
    rmSync(join(data, 'gone.txt'))
    const status = await directoryStatus(ctx, data)
    expect(status.entries.map((e) => `${e.path}:${e.state}`)).toEqual([
      'edit.txt:changed',
      'gone.txt:removed',
      'keep.txt:unchanged',
      'new.txt:added'
    ])
    expect(status).toMatchObject({ exists: true, files: 3, changed: true })
  })

  it('over the LFS storage quota: LFS_QUOTA_EXCEEDED, nothing committed, no token in the error', async () => {
    const { data } = caseDir()
    const repo = await freshRepo(emulator)
    const token = `ghp_${randomBytes(18).toString('hex')}`
    await emulator.admin.createToken({ token, login: 'octocat', permission: 'admin' })
    const ctx = repo.as('octocat', { token })
    writeFileSync(join(data, 'big.bin'), randomBytes(50_000))
    await emulator.admin.setLfsQuota(`${repo.owner}/${repo.repo}`, { storage_bytes: 10_000 })
    const error = (await backupDirectory(ctx, data).catch((e: unknown) => e)) as Error & {
      code: string
    }
    expect(error.code).toBe('LFS_QUOTA_EXCEEDED')
    expect(error.message).toContain('over its data quota')
    const basic = Buffer.from(`x-access-token:${token}`).toString('base64')
    for (const text of [error.message, String(error.stack), JSON.stringify(error)])
      expect(text.includes(token) || text.includes(basic)).toBe(false)
    const refs = await emulator.admin.gitRepo(`${repo.owner}/${repo.repo}`)
    expect(refs.refs.map((r) => r.ref)).not.toContain('refs/heads/hubstore-data')
  })
})
