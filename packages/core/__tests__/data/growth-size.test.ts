// What a backup after a 10-page change downloads, on a small and a 16× larger database with deep
// chunk trees (growth.test.ts has the 48-backup storage bounds).
import { describe, expect, it } from '@jest/globals'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { backupDirectory, restoreDirectory, type ManifestV2 } from '@hubstore/core/data'
import { freshRepo } from '../support/emulator.js'
import {
  changeBlobs,
  createBlobDb,
  integrity,
  receivedBytes,
  useDataWorld,
  sqliteDump
} from './support.js'

const world = useDataWorld('data-growth-size')
const { work } = world

const MIB = 1024 * 1024

describe('data: what a backup downloads does not grow with the data', () => {
  it('whatever the data size: the same 10-page change downloads about the same bytes on a 2 MB and a 32 MB database (deep trees), ≤ 1 MiB', async () => {
    // a small fanout makes trees of 4–6 levels on this data, as the default does on ~10⁶–10⁹ chunks
    const tree = { fanout: 4, minEntries: 2, maxEntries: 8 }
    const measure = async (name: string, rows: number) => {
      const data = join(work.dir, name)
      mkdirSync(data, { recursive: true })
      const db = join(data, 'blobs.db')
      createBlobDb(db, rows)
      const repo = await freshRepo(world.emulator)
      const ctx = repo.as('octocat')
      const counter = receivedBytes(ctx.octokit)
      await backupDirectory(ctx, data, { fetch: counter.fetch, tree })
      changeBlobs(db, rows, 1)
      counter.bytes = 0
      const result = await backupDirectory(ctx, data, { fetch: counter.fetch, tree })
      const downloaded = counter.bytes
      const root = (result.manifest as ManifestV2).files[0].root
      const out = join(work.dir, `${name}-out`)
      await restoreDirectory(ctx, out, { cacheDir: join(work.dir, `${name}-cache`) })
      expect(integrity(join(out, 'blobs.db'))).toBe('ok')
      expect(sqliteDump(join(out, 'blobs.db'))).toBe(sqliteDump(db))
      return { downloaded, chunks: root?.chunks ?? 0 }
    }
    const small = await measure('size-small', 500)
    const large = await measure('size-large', 8000)
    if (process.env.HUBSTORE_TEST_FIGURES) console.log({ small, large })
    expect(large.chunks).toBeGreaterThanOrEqual(15 * small.chunks)
    expect(large.downloaded).toBeLessThanOrEqual(MIB)
    // a format-1 manifest alone is ~190 bytes per chunk (16× the chunks, 16× the bytes); the
    // trees deepen with log(chunks) (here 3 and 5 levels below the root), so 16× the chunks
    // reads ~2× the nodes (measured: 31 KB and 56 KB)
    expect(large.downloaded).toBeLessThan((190 * large.chunks) / 4)
    expect(large.downloaded).toBeLessThan(3 * small.downloaded)
  })
})
