/**
 * Reading files in bounded slices, so a backup or restore holds at most a slice (1 MiB) plus a
 * chunk of any file, never the whole file: positioned reads from a file handle, a streaming
 * SHA-256 of a file.
 */
import { createHash } from 'node:crypto'
import { open, type FileHandle } from 'node:fs/promises'

/** Bytes read from a file at a time, 1 MiB. */
export const SLICE_BYTES = 1024 * 1024

/**
 * Reads exactly `size` bytes at `offset` (fewer only at the end of the file), into `into` when
 * it is at least `size` long (a buffer the caller reuses), else into a fresh buffer.
 *
 * @returns the bytes read (`size` long unless the file is shorter; a view of `into` if given).
 */
export async function readAt(
  handle: FileHandle,
  offset: number,
  size: number,
  into?: Buffer
): Promise<Buffer> {
  const out = into && into.length >= size ? into.subarray(0, size) : Buffer.allocUnsafe(size)
  let got = 0
  while (got < size) {
    const { bytesRead } = await handle.read(out, got, size - got, offset + got)
    if (bytesRead === 0) break
    got += bytesRead
  }
  return got === size ? out : out.subarray(0, got)
}

/**
 * Reads the file at `path` from start to end in slices of at most `sliceBytes`, handing each to
 * `onSlice` in order (the buffer is reused: copy what must outlive the call). Returns the bytes
 * read. Memory: one slice.
 */
export async function readSlices(
  path: string,
  onSlice: (slice: Buffer) => void | Promise<void>,
  sliceBytes = SLICE_BYTES
): Promise<number> {
  const handle = await open(path, 'r')
  try {
    const buf = Buffer.allocUnsafe(sliceBytes)
    let total = 0
    for (;;) {
      const { bytesRead } = await handle.read(buf, 0, sliceBytes, total)
      if (bytesRead === 0) return total
      total += bytesRead
      await onSlice(buf.subarray(0, bytesRead))
    }
  } finally {
    await handle.close()
  }
}

/** SHA-256 (lower-case hex) and size (bytes) of the file at `path`, read in slices. */
export async function sha256File(path: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256')
  const size = await readSlices(path, (slice) => void hash.update(slice))
  return { sha256: hash.digest('hex'), size }
}
