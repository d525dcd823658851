/**
 * Cutting files into chunks (docs/persist-data.md §2.1): SQLite databases at page-aligned fixed
 * offsets (SQLite rewrites pages in place, so an unchanged page keeps its chunk), other files by
 * FastCDC content-defined chunking with normalized chunking; every chunk addressed by SHA-256.
 */
import { createHash } from 'node:crypto'
import { readSlices, SLICE_BYTES } from './slices.js'

/** FastCDC sizes, bytes: min 16 KiB, average 64 KiB, max 256 KiB. */
export const CDC_SIZES = { minBytes: 16 * 1024, avgBytes: 64 * 1024, maxBytes: 256 * 1024 }
/**
 * Target size of a SQLite chunk, bytes: a whole number of pages, at least one (16 KiB: a changed
 * incompressible page costs 16 KiB of storage, docs/persist-data.md §2.3).
 */
export const SQLITE_CHUNK_TARGET_BYTES = 16 * 1024

/** A chunk of a file: where it is, how long, its SHA-256. */
export interface Chunk {
  /** offset in the file, bytes */
  offset: number
  /** bytes */
  size: number
  /** SHA-256 of the bytes, lower-case hex */
  id: string
}

/** Seed of the gear table: fixed, so every version cuts a file at the same places. */
const GEAR_SEED = 'hubstore-fastcdc-gear-v1'

/** 256 pseudo-random 32-bit integers from SHA-256(seed ‖ i). */
const GEAR: Uint32Array = (() => {
  const table = new Uint32Array(256)
  for (let i = 0; i < 256; i++)
    table[i] = createHash('sha256').update(`${GEAR_SEED}:${i}`).digest().readUInt32BE(0)
  return table
})()

/** A mask of the `bits` highest bits of 32 (the bits that depend on the most bytes). */
const topBits = (bits: number): number => (0xffffffff << (32 - bits)) >>> 0
/** Stricter mask before the average size (log2(avg) + 2 bits), looser after (log2(avg) − 2). */
const MASK_S = topBits(18)
const MASK_L = topBits(14)

const sha = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex')

/**
 * The length of the first chunk of `data[start…]` (FastCDC, normalization level 2): no cut
 * before `minBytes`, the strict mask until `avgBytes`, the loose one until `maxBytes`.
 */
export function cdcCut(data: Uint8Array, start: number, sizes = CDC_SIZES): number {
  const remaining = data.length - start
  if (remaining <= sizes.minBytes) return remaining
  const end = start + Math.min(remaining, sizes.maxBytes)
  const normal = start + Math.min(remaining, sizes.avgBytes)
  let fp = 0
  let i = start + sizes.minBytes
  for (; i < normal; i++) {
    fp = ((fp << 1) + GEAR[data[i]]) >>> 0
    if ((fp & MASK_S) === 0) return i + 1 - start
  }
  for (; i < end; i++) {
    fp = ((fp << 1) + GEAR[data[i]]) >>> 0
    if ((fp & MASK_L) === 0) return i + 1 - start
  }
  return end - start
}

/** Chunks of a non-SQLite file by FastCDC. An empty file has no chunk. */
export function cdcChunks(data: Uint8Array, sizes = CDC_SIZES): Chunk[] {
  const chunks: Chunk[] = []
  for (let offset = 0; offset < data.length;) {
    const size = cdcCut(data, offset, sizes)
    chunks.push({ offset, size, id: sha(data.subarray(offset, offset + size)) })
    offset += size
  }
  return chunks
}

/**
 * Chunks of a SQLite database: `max(1, floor(16 KiB / pageSize))` pages each, cut at page
 * boundaries from offset 0 (the last chunk may be shorter).
 *
 * @param pageSize bytes per page, from the header (docs/persist-data.md §1.1).
 */
export function pageChunks(data: Uint8Array, pageSize: number): Chunk[] {
  const step = pageStep(pageSize)
  const chunks: Chunk[] = []
  for (let offset = 0; offset < data.length; offset += step) {
    const size = Math.min(step, data.length - offset)
    chunks.push({ offset, size, id: sha(data.subarray(offset, offset + size)) })
  }
  return chunks
}

/** Bytes per SQLite chunk: `max(1, floor(16 KiB / pageSize))` whole pages. */
const pageStep = (pageSize: number): number =>
  Math.max(1, Math.floor(SQLITE_CHUNK_TARGET_BYTES / pageSize)) * pageSize

/** A file cut into chunks while it was read. */
export interface ChunkedFile {
  /** bytes read */
  size: number
  /** SHA-256 of the bytes read, lower-case hex */
  sha256: string
  chunks: Chunk[]
}

/**
 * Reads the file at `path` in slices and cuts it as {@link pageChunks} (`pageSize` given: a
 * SQLite database) or {@link cdcChunks} (`pageSize` null) would cut its whole bytes — the same
 * chunks — while hashing it. Memory: one slice (1 MiB) and one chunk, whatever the file's size.
 */
export async function chunkFile(
  path: string,
  pageSize: number | null,
  sizes = CDC_SIZES
): Promise<ChunkedFile> {
  // a cut is final once the window after its start is full (or the file ended): FastCDC looks
  // at most `maxBytes` ahead, a page chunk exactly one step
  const window = pageSize === null ? sizes.maxBytes : pageStep(pageSize)
  const fileHash = createHash('sha256')
  const chunks: Chunk[] = []
  let pending: Buffer = Buffer.alloc(0)
  let offset = 0
  const cut = (eof: boolean) => {
    let at = 0
    while (pending.length - at >= window || (eof && at < pending.length)) {
      const view = pending.subarray(at)
      const size = pageSize === null ? cdcCut(view, 0, sizes) : Math.min(window, view.length)
      chunks.push({ offset, size, id: sha(view.subarray(0, size)) })
      offset += size
      at += size
    }
    pending = pending.subarray(at)
  }
  const size = await readSlices(
    path,
    (slice) => {
      fileHash.update(slice)
      pending = Buffer.concat([pending, slice])
      cut(false)
    },
    Math.max(SLICE_BYTES, window)
  )
  cut(true)
  return { size, sha256: fileHash.digest('hex'), chunks }
}

/** The 16 bytes every SQLite database starts with: `SQLite format 3` and a NUL. */
export const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1')

/** True when `head` (a file's first bytes) is a SQLite database header. */
export function isSqliteHeader(head: Uint8Array): boolean {
  return head.length >= 16 && Buffer.from(head.subarray(0, 16)).equals(SQLITE_HEADER)
}

/**
 * The page size in a SQLite header: bytes 16–17 big-endian, 1 meaning 65536; `null` when the
 * value is not a power of two from 512 to 65536.
 */
export function sqlitePageSize(head: Uint8Array): number | null {
  if (head.length < 18) return null
  const raw = (head[16] << 8) | head[17]
  const size = raw === 1 ? 65536 : raw
  return size >= 512 && size <= 65536 && (size & (size - 1)) === 0 ? size : null
}
