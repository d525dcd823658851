import { describe, expect, it } from '@jest/globals'
import { createHash, randomBytes } from 'node:crypto'
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { open } from 'node:fs/promises'
import { join } from 'node:path'
import { backupDirectory, cdcChunks, pageChunks, restoreDirectory } from '@hubstore/core/data'
import { chunkFile } from '../../src/data/chunk.js'
import { buildPacks, chunkRuns, readChunk, readChunkRun } from '../../src/data/pack.js'
import { freshRepo } from '../support/emulator.js'
import { useDataWorld } from './support.js'

const world = useDataWorld('data-streaming')
const { work } = world

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
    const repo = await freshRepo(world.emulator)
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

  it('restore reads end-to-end chunks of one pack in runs of at most RUN_MAX_BYTES, the same bytes as chunk by chunk', async () => {
    const raw = Array.from({ length: 40 }, (_, i) => randomBytes(16 * 1024 + i))
    const packs = buildPacks(
      raw.map((r) => ({ id: sha(r), raw: r })),
      { targetBytes: 300 * 1024 }
    )
    expect(packs.length).toBeGreaterThan(1)
    const refs = packs.flatMap((p) => p.chunks)
    // in file order: a run breaks where the pack changes, at a gap, and before maxBytes
    const runs = chunkRuns(refs, 100 * 1024)
    for (const run of runs) {
      expect(new Set(run.map((c) => c.pack)).size).toBe(1)
      const first = run[0]!
      const last = run.at(-1)!
      expect(last.offset + last.length - first.offset).toBeLessThanOrEqual(100 * 1024)
      run.slice(1).forEach((c, k) => expect(c.offset).toBe(run[k]!.offset + run[k]!.length))
    }
    expect(runs.flat()).toEqual(refs)
    expect(runs.length).toBeGreaterThan(packs.length)
    const gap = [refs[0]!, refs[2]!]
    expect(chunkRuns(gap)).toEqual([[refs[0]], [refs[2]]])
    expect(chunkRuns([...refs].reverse()).length).toBe(refs.length)

    const dir = join(work.dir, 'runs')
    mkdirSync(dir, { recursive: true })
    const read: Buffer[] = []
    for (const run of runs) {
      const pack = packs.find((p) => p.ref.oid === run[0]!.pack)!
      const path = join(dir, pack.ref.oid)
      writeFileSync(path, pack.bytes)
      const handle = await open(path, 'r')
      try {
        const got = await readChunkRun(pack.ref, handle, run)
        // compared by digest: Jest's deep equality over Buffers is slow
        expect(got.map(sha)).toEqual(run.map((c) => sha(readChunk(pack.ref, pack.bytes, c))))
        read.push(...got)
      } finally {
        await handle.close()
      }
    }
    expect(read.map(sha)).toEqual(raw.map(sha))
    // a run reaching past its pack is refused
    const pack = packs[0]!
    const handle = await open(join(dir, pack.ref.oid), 'r')
    try {
      const beyond = { ...pack.chunks.at(-1)!, length: pack.chunks.at(-1)!.length + 1 }
      await expect(readChunkRun(pack.ref, handle, [beyond])).rejects.toThrow(/lies outside pack/)
    } finally {
      await handle.close()
    }
  })

  it('a pack that arrives corrupt while files are already being written: DATA_INTEGRITY or LFS error, the live target as it was, no staging folder, no download after the throw', async () => {
    const data = join(work.dir, 'overlap', 'data')
    mkdirSync(data, { recursive: true })
    for (let i = 0; i < 6; i++) writeFileSync(join(data, `f${i}.bin`), randomBytes(300_000))
    const repo = await freshRepo(world.emulator)
    const ctx = repo.as('octocat')
    const backup = await backupDirectory(ctx, data, { packTargetBytes: 256 * 1024 })
    expect(backup.packs.created).toBeGreaterThanOrEqual(6)
    const target = join(work.dir, 'overlap', 'out', 'data')
    mkdirSync(target, { recursive: true })
    writeFileSync(join(target, 'live.txt'), 'live data')
    // the network hands the second pack downloaded back with one byte flipped while the others
    // are still on their way; count what is under way, and what starts after the restore threw
    let gets = 0
    let corrupted = ''
    let open = 0
    let after = 0
    let thrown = false
    const hostile: typeof fetch = async (url, init) => {
      open++
      try {
        if (thrown) after++
        const res = await fetch(url, init)
        const oid = /\/objects\/([0-9a-f]{64})$/.exec(String(url))?.[1]
        if (!oid || ++gets !== 2) return res
        corrupted = oid
        const bytes = Buffer.from(await res.arrayBuffer())
        bytes[bytes.length - 1] ^= 0xff
        return new Response(bytes, { status: res.status, headers: res.headers })
      } finally {
        open--
      }
    }
    const error = (await restoreDirectory(ctx, target, {
      cacheDir: join(work.dir, 'overlap', 'cache'),
      fetch: hostile
    }).catch((e: unknown) => e)) as Error & { code?: string }
    thrown = true
    expect(error.code).toMatch(/^(LFS_REQUEST_FAILED|DATA_INTEGRITY)$/)
    expect(corrupted).not.toBe('')
    expect(error.message).toContain(corrupted)
    expect(open).toBe(0)
    expect(after).toBe(0)
    expect(readdirSync(target)).toEqual(['live.txt'])
    expect(readFileSync(join(target, 'live.txt'), 'utf8')).toBe('live data')
    expect(readdirSync(join(target, '..'))).toEqual(['data'])
  })
})
