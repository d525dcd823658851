/**
 * Packs (docs/persist-data.md §8): new chunks compressed and concatenated into LFS objects of a
 * few MiB (at most 64 MiB). A pack is `HSPACK01`, a 4-byte big-endian index length, a JSON index
 * `{codec, chunks: [{id, offset, length, size}]}`, then the compressed chunks; its id is the
 * SHA-256 of all its bytes, which is its LFS oid.
 */
import { createHash } from 'node:crypto'
import type { FileHandle } from 'node:fs/promises'
import * as zlib from 'node:zlib'
import { DataIntegrityError } from '../errors/data.js'
import type { ChunkRef, PackRef } from './manifest.js'
import { readAt } from './slices.js'

/** The magic bytes a pack starts with. */
export const PACK_MAGIC = Buffer.from('HSPACK01', 'latin1')
/** Default target size of a pack, bytes (8 MiB): a pack is closed before it would pass it. */
export const PACK_TARGET_BYTES = 8 * 1024 * 1024
/** Largest pack, bytes (64 MiB). */
export const PACK_MAX_BYTES = 64 * 1024 * 1024

/** Compression of the chunks of a pack. */
export type Codec = PackRef['codec']

/**
 * The codec new packs use: `zstd` when `node:zlib` has it (Node.js ≥ 22.15 / 23.8; Node 24 does,
 * docs/persist-data.md §2.2), else `deflate`.
 */
export const DEFAULT_CODEC: Codec = typeof zlib.zstdCompressSync === 'function' ? 'zstd' : 'deflate'

/** Compresses one chunk. */
export function compress(codec: Codec, raw: Uint8Array): Buffer {
  return codec === 'zstd' ? zlib.zstdCompressSync(raw) : zlib.deflateRawSync(raw)
}

/**
 * Decompresses one chunk, refusing output longer than `size` bytes (a hostile pack cannot make
 * it allocate more than the manifest says).
 *
 * @throws DataIntegrityError when the bytes do not decompress.
 */
export function decompress(codec: Codec, packed: Uint8Array, size: number, id: string): Buffer {
  try {
    const options = { maxOutputLength: Math.max(1, size) }
    return codec === 'zstd'
      ? zlib.zstdDecompressSync(packed, options)
      : zlib.inflateRawSync(packed, options)
  } catch (error) {
    throw new DataIntegrityError('chunk', id, `does not decompress (${(error as Error).message})`)
  }
}

/** A chunk to pack: its id and raw bytes. */
export interface PackInput {
  id: string
  raw: Uint8Array
}

/** A built pack: its bytes, its reference, and where each chunk went. */
export interface BuiltPack {
  ref: PackRef
  bytes: Buffer
  chunks: ChunkRef[]
}

/**
 * Packs built one at a time: chunks are compressed as they are added, and a pack is closed and
 * handed back as soon as the next chunk would take it past `targetBytes` of compressed chunk
 * data (a chunk larger than that gets a pack alone). Memory: the open pack, at most
 * `targetBytes` (≤ {@link PACK_MAX_BYTES}) plus one chunk. No I/O.
 */
export class PackBuilder {
  readonly codec: Codec
  readonly targetBytes: number
  #pending: Array<{ id: string; size: number; body: Buffer }> = []
  #pendingBytes = 0

  constructor(options: { codec?: Codec; targetBytes?: number } = {}) {
    this.codec = options.codec ?? DEFAULT_CODEC
    this.targetBytes = Math.min(options.targetBytes ?? PACK_TARGET_BYTES, PACK_MAX_BYTES)
  }

  /** Adds one chunk (the caller adds each id once); returns the pack it closed, if any. */
  add(chunk: PackInput): BuiltPack | null {
    const body = compress(this.codec, chunk.raw)
    const closed =
      this.#pendingBytes > 0 && this.#pendingBytes + body.length > this.targetBytes
        ? this.finish()
        : null
    this.#pending.push({ id: chunk.id, size: chunk.raw.length, body })
    this.#pendingBytes += body.length
    return closed
  }

  /** Closes the open pack; null when it holds no chunk. */
  finish(): BuiltPack | null {
    const items = this.#pending
    this.#pending = []
    this.#pendingBytes = 0
    return items.length > 0 ? assemble(this.codec, items) : null
  }
}

/**
 * Compresses `chunks` (each id once) and groups them into packs of at most `targetBytes` of
 * compressed chunk data each (a chunk larger than that gets a pack alone), with
 * {@link PackBuilder}. No I/O.
 *
 * @param targetBytes ≤ {@link PACK_MAX_BYTES}.
 */
export function buildPacks(
  chunks: Iterable<PackInput>,
  options: { codec?: Codec; targetBytes?: number } = {}
): BuiltPack[] {
  const builder = new PackBuilder(options)
  const packs: BuiltPack[] = []
  for (const c of chunks) {
    const closed = builder.add(c)
    if (closed) packs.push(closed)
  }
  const last = builder.finish()
  if (last) packs.push(last)
  return packs
}

function assemble(codec: Codec, items: Array<{ id: string; size: number; body: Buffer }>) {
  // The index holds offsets from the start of the pack, which depend on the index's own
  // length: lay it out with placeholder offsets of the final width, then fill them in.
  const layout = (base: number) => {
    let offset = base
    return items.map((c) => {
      const entry = { id: c.id, offset, length: c.body.length, size: c.size }
      offset += c.body.length
      return entry
    })
  }
  let base = PACK_MAGIC.length + 4
  let index = Buffer.from(JSON.stringify({ codec, chunks: layout(base) }), 'utf8')
  for (;;) {
    const next = PACK_MAGIC.length + 4 + index.length
    if (next === base) break
    base = next
    index = Buffer.from(JSON.stringify({ codec, chunks: layout(base) }), 'utf8')
  }
  const length = Buffer.alloc(4)
  length.writeUInt32BE(index.length)
  const bytes = Buffer.concat([PACK_MAGIC, length, index, ...items.map((c) => c.body)])
  const oid = createHash('sha256').update(bytes).digest('hex')
  const chunks = layout(base).map((e) => ({ ...e, pack: oid }))
  return { ref: { oid, size: bytes.length, codec }, bytes, chunks }
}

/**
 * Checks a pack's bytes against its reference: size, SHA-256 = oid (unless `sha256` says the
 * caller has just computed it, as `LfsClient.download` does, so 64 MiB are not hashed twice)
 * and magic.
 *
 * @throws DataIntegrityError naming the pack.
 */
export function checkPack(ref: PackRef, bytes: Uint8Array, sha256?: string): void {
  if (bytes.length !== ref.size)
    throw new DataIntegrityError('pack', ref.oid, `has ${bytes.length} bytes, not ${ref.size}`)
  const actual = sha256 ?? createHash('sha256').update(bytes).digest('hex')
  if (actual !== ref.oid) throw new DataIntegrityError('pack', ref.oid, `has SHA-256 ${actual}`)
  if (!Buffer.from(bytes.subarray(0, PACK_MAGIC.length)).equals(PACK_MAGIC))
    throw new DataIntegrityError('pack', ref.oid, 'does not start with HSPACK01')
}

/**
 * One chunk out of a checked pack: decompressed and its SHA-256 and size checked.
 *
 * @throws DataIntegrityError when the chunk is out of the pack, does not decompress, or has
 *   another hash or size than `ref`.
 */
export function readChunk(pack: PackRef, bytes: Uint8Array, ref: ChunkRef): Buffer {
  if (ref.offset + ref.length > bytes.length)
    throw new DataIntegrityError('chunk', ref.id, `lies outside pack ${pack.oid}`)
  return unpackChunk(pack, bytes.subarray(ref.offset, ref.offset + ref.length), ref)
}

/** Most compressed bytes {@link readChunkRun} reads from a pack at once, 4 MiB. */
export const RUN_MAX_BYTES = 4 * 1024 * 1024

/**
 * Groups a file's chunks (in file order) into runs that one positioned read can serve: the
 * chunks of a run lie end to end in one pack, and a run holds at most `maxBytes` compressed
 * bytes (a chunk longer than that is a run alone). Chunks of a SQLite database or a file backed
 * up in one go sit side by side in their pack, so a 160 MB database takes about 20 reads of
 * 4 MiB instead of 10,000 of one chunk. No I/O.
 */
export function chunkRuns(chunks: ChunkRef[], maxBytes = RUN_MAX_BYTES): ChunkRef[][] {
  const runs: ChunkRef[][] = []
  let run: ChunkRef[] = []
  let start = 0
  for (const c of chunks) {
    const last = run.at(-1)
    const joins =
      last !== undefined &&
      last.pack === c.pack &&
      last.offset + last.length === c.offset &&
      c.offset + c.length - start <= maxBytes
    if (!joins) {
      if (run.length > 0) runs.push(run)
      run = []
      start = c.offset
    }
    run.push(c)
  }
  if (run.length > 0) runs.push(run)
  return runs
}

/**
 * The chunks of one run (see {@link chunkRuns}: end to end in the pack file open as `handle`)
 * read with one positioned read of their bytes, never the whole pack, each decompressed and
 * checked as {@link readChunk} does. Memory: the run's compressed bytes (read into `scratch`
 * when it is long enough: a buffer of {@link RUN_MAX_BYTES} the caller reuses from run to run,
 * free again when this resolves) plus its raw chunks.
 *
 * @throws DataIntegrityError when a chunk is out of the pack, does not decompress, or has
 *   another hash or size than its reference.
 */
export async function readChunkRun(
  pack: PackRef,
  handle: FileHandle,
  run: ChunkRef[],
  scratch?: Buffer
): Promise<Buffer[]> {
  const first = run[0]
  const last = run.at(-1)
  if (first === undefined || last === undefined) return []
  const start = first.offset
  const end = last.offset + last.length
  if (end > pack.size)
    throw new DataIntegrityError('chunk', last.id, `lies outside pack ${pack.oid}`)
  const packed = await readAt(handle, start, end - start, scratch)
  if (packed.length !== end - start)
    throw new DataIntegrityError('chunk', last.id, `lies outside pack ${pack.oid}`)
  return run.map((c) => {
    if (c.offset < start || c.offset + c.length > end)
      throw new DataIntegrityError('chunk', c.id, `is not where its run says in pack ${pack.oid}`)
    return unpackChunk(pack, packed.subarray(c.offset - start, c.offset - start + c.length), c)
  })
}

function unpackChunk(pack: PackRef, packed: Uint8Array, ref: ChunkRef): Buffer {
  const raw = decompress(pack.codec, packed, ref.size, ref.id)
  if (raw.length !== ref.size)
    throw new DataIntegrityError('chunk', ref.id, `has ${raw.length} bytes, not ${ref.size}`)
  const actual = createHash('sha256').update(raw).digest('hex')
  if (actual !== ref.id) throw new DataIntegrityError('chunk', ref.id, `has SHA-256 ${actual}`)
  return raw
}
