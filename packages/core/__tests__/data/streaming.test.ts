import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Emulator } from '@hubstore/emulator'
import { createHash, randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { backupDirectory, cdcChunks, pageChunks, restoreDirectory } from '@hubstore/core/data'
import { chunkFile } from '../../src/data/chunk.js'
import { freshRepo, startWorld } from '../support/emulator.js'
import { scratch } from './support.js'

let emulator: Emulator
const work = scratch('data-streaming')
beforeAll(async () => {
  emulator = await startWorld()
})
afterAll(async () => {
  await emulator.close()
  work.cleanup()
})

const MIB = 1024 * 1024
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex')

describe('data: files read in slices (bounded memory)', () => {
  it('chunkFile: the same chunks and SHA-256 as cutting the whole bytes, across slice boundaries', async () => {
    // random bytes, a long run of one byte (max-size cuts) and random again: 3.5 MiB, so the
    // 1 MiB slices end inside chunks
    const bytes = Buffer.concat([randomBytes(1.5 * MIB), Buffer.alloc(MIB, 7), randomBytes(MIB)])
    const path = join(work.dir, 'mixed.bin')
    writeFileSync(path, bytes)
    const cdc = await chunkFile(path, null)
    expect(cdc.chunks).toEqual(cdcChunks(bytes))
    expect(cdc).toMatchObject({ size: bytes.length, sha256: sha(bytes) })
    expect(cdc.chunks.length).toBeGreaterThan(20)
    const pages = await chunkFile(path, 4096)
    expect(pages.chunks).toEqual(pageChunks(bytes, 4096))
    expect((await chunkFile(path, 65536)).chunks).toEqual(pageChunks(bytes, 65536))
    writeFileSync(join(work.dir, 'empty.bin'), '')
    expect(await chunkFile(join(work.dir, 'empty.bin'), null)).toEqual({
      size: 0,
      sha256: sha(Buffer.alloc(0)),
      chunks: []
    })
  })

  it('a file rewritten after its pass is captured again (a copy): the backup stores the new bytes, marked unverified', async () => {
    const data = join(work.dir, 'changing', 'data')
    mkdirSync(data, { recursive: true })
    const first = randomBytes(300_000)
    const second = randomBytes(300_000)
    writeFileSync(join(data, 'segment.bin'), first)
    const repo = await freshRepo(emulator)
    const ctx = repo.as('octocat')
    const result = await backupDirectory(ctx, data, {
      // after the only pass read the file, a writer replaces it before its chunks are packed
      capture: { maxPasses: 1, onPass: () => writeFileSync(join(data, 'segment.bin'), second) }
    })
    expect(result.verified).toBe(false)
    expect(result.manifest.capture).toEqual({ method: 'single', passes: 1, verified: false })
    expect(result.manifest.files[0]).toMatchObject({ path: 'segment.bin', sha256: sha(second) })
    const target = join(work.dir, 'changing', 'out')
    await restoreDirectory(ctx, target, { cacheDir: join(work.dir, 'changing', 'cache') })
    expect(readFileSync(join(target, 'segment.bin')).equals(second)).toBe(true)
  })
})
