/**
 * Size and quota warnings: `sizeWarnings` at each threshold (sizes given, no 2 GB file), and a
 * backup against the emulator with a small configured quota, whose stored bytes come from the
 * branch and match the emulator's LFS accounting.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Emulator } from '@hubstore/emulator'
import { randomBytes } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  backupDirectory,
  LFS_OBJECT_MAX_BYTES,
  PUSH_MAX_BYTES,
  sizeWarnings
} from '@hubstore/core/data'
import { freshRepo, startWorld } from '../support/emulator.js'
import { scratch } from './support.js'

const codes = (lines: string[]) => lines.map((l) => l.slice(0, l.indexOf(':')))
const GiB = 1024 ** 3

describe('data: sizeWarnings', () => {
  const base = { objectSizes: [], uploadBytes: 0, storedBytes: 0 }

  it('an LFS object over 2 GB (2 000 000 000 bytes), not at it', () => {
    expect(LFS_OBJECT_MAX_BYTES).toBe(2_000_000_000)
    expect(sizeWarnings({ ...base, objectSizes: [2_000_000_000] })).toEqual([])
    const w = sizeWarnings({
      ...base,
      objectSizes: [10, { name: 'models/big.bin', size: 2_000_000_001 }]
    })
    expect(codes(w)).toEqual(['LFS_OBJECT_TOO_LARGE'])
    expect(w[0]).toContain('models/big.bin is 2.00 GB (1.86 GiB)')
  })

  it('an upload over 2 GiB, not at it', () => {
    expect(PUSH_MAX_BYTES).toBe(2 * GiB)
    const quotaBytes = 100 * GiB
    expect(sizeWarnings({ ...base, quotaBytes, uploadBytes: 2 * GiB })).toEqual([])
    expect(codes(sizeWarnings({ ...base, quotaBytes, uploadBytes: 2 * GiB + 1 }))).toEqual([
      'UPLOAD_TOO_LARGE'
    ])
  })

  it('storage at the configured share of the quota (default 80 % of 10 GiB), and over it', () => {
    const at = (storedBytes: number, uploadBytes: number, more = {}) =>
      codes(sizeWarnings({ ...base, storedBytes, uploadBytes, ...more }))
    expect(at(8 * GiB - 2, 1)).toEqual([])
    expect(at(8 * GiB - 1, 1)).toEqual(['LFS_STORAGE_NEAR_QUOTA'])
    expect(at(10 * GiB, 0)).toEqual(['LFS_STORAGE_NEAR_QUOTA'])
    expect(at(10 * GiB, 1)).toEqual(['LFS_STORAGE_OVER_QUOTA'])
    expect(at(499, 0, { quotaBytes: 1000, warnAtShare: 0.5 })).toEqual([])
    expect(at(499, 1, { quotaBytes: 1000, warnAtShare: 0.5 })).toEqual(['LFS_STORAGE_NEAR_QUOTA'])
  })

  it('bad quota options are INVALID_OPTIONS naming the option', () => {
    expect(() => sizeWarnings({ ...base, quotaBytes: 0 })).toThrow(/quotaBytes/)
    expect(() => sizeWarnings({ ...base, warnAtShare: 1.5 })).toThrow(/warnAtShare/)
  })
})

describe('data: a backup warns before it uploads', () => {
  let emulator: Emulator
  const work = scratch('data-sizes')
  beforeAll(async () => {
    emulator = await startWorld()
  })
  afterAll(async () => {
    await emulator.close()
    work.cleanup()
  })

  it('no warning under the share; LFS_STORAGE_NEAR_QUOTA once stored + upload reach it', async () => {
    const repo = await freshRepo(emulator)
    const ctx = repo.as('octocat')
    const data = join(work.dir, 'data')
    mkdirSync(data, { recursive: true })
    writeFileSync(join(data, 'a.bin'), randomBytes(40_000))
    const quotaBytes = 100_000
    const first = await backupDirectory(ctx, data, { quotaBytes, warnAtShare: 0.6 })
    expect(first.warnings).toEqual([])
    expect(first.uploadedBytes).toBeLessThan(60_000)

    writeFileSync(join(data, 'b.bin'), randomBytes(30_000))
    const second = await backupDirectory(ctx, data, { quotaBytes, warnAtShare: 0.6 })
    expect(codes(second.warnings)).toEqual(['LFS_STORAGE_NEAR_QUOTA'])
    const usage = await emulator.admin.lfsUsage(`${repo.owner}/${repo.repo}`)
    // the share named is the emulator's stored bytes after the upload
    expect(second.warnings[0]).toContain(
      `${((usage.stored_bytes / quotaBytes) * 100).toFixed(0)} % of the`
    )

    writeFileSync(join(data, 'c.bin'), randomBytes(40_000))
    const third = await backupDirectory(ctx, data, { quotaBytes })
    expect(codes(third.warnings)).toEqual(['LFS_STORAGE_OVER_QUOTA'])
    await expect(backupDirectory(ctx, data, { warnAtShare: 0 })).rejects.toMatchObject({
      code: 'INVALID_OPTIONS'
    })
  })
})
