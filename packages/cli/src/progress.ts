/**
 * Progress of the data commands on stderr: on a terminal one line redrawn in place with a bar,
 * elsewhere one line per pack moved and one per finished phase. Silent with `--json` when
 * stderr is not a terminal (a script reading JSON wants a quiet stderr).
 */
import type { DataProgress, DataProgressListener } from '@hubstore/core/data'

/** `bytes` as B, KiB, MiB or GiB (binary units, one decimal above 1 KiB). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB']
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`
}

/** A duration for a log line: `300 ms`, `12.5 s`, `30 min`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(1))} s`
  return `${Number((ms / 60_000).toFixed(1))} min`
}

const NOUN: Record<DataProgress['phase'], string> = {
  capture: 'captured',
  upload: 'uploaded',
  download: 'downloaded',
  write: 'written'
}

/** One progress line: `uploaded 2/3 packs, 16.0 MiB/24.0 MiB`. */
export function progressLine(p: DataProgress): string {
  const what = p.phase === 'upload' || p.phase === 'download' ? 'pack(s)' : 'file(s)'
  return `${NOUN[p.phase]} ${p.done}/${p.total} ${what}, ${formatBytes(p.bytes)}/${formatBytes(p.totalBytes)}`
}

/** The stream a reporter writes to: a write and whether it is a terminal. */
export interface ProgressStream {
  write: (s: string) => unknown
  isTTY?: boolean
  columns?: number
}

/**
 * A progress listener writing to `stream` (default stderr), or undefined when it must stay
 * silent (`json` and not a terminal). Call the returned `end()` before printing the result.
 */
export function progressReporter(
  json: boolean | undefined,
  stream: ProgressStream = process.stderr
): { onProgress?: DataProgressListener; end: () => void } {
  const tty = stream.isTTY === true
  if (json && !tty) return { end: () => undefined }
  let open = false
  const onProgress: DataProgressListener = (p) => {
    if (tty) {
      const width = 20
      const share = p.totalBytes > 0 ? p.bytes / p.totalBytes : p.total > 0 ? p.done / p.total : 1
      const filled = Math.round(Math.min(1, share) * width)
      const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`
      stream.write(`\r\x1b[K${bar} ${progressLine(p)}`)
      open = true
      return
    }
    // one line per pack; files only when the phase is done (a directory may hold thousands)
    if (p.phase === 'upload' || p.phase === 'download' || p.done === p.total)
      stream.write(`hubstore: ${progressLine(p)}\n`)
  }
  return {
    onProgress,
    end: () => {
      if (open) stream.write('\n')
      open = false
    }
  }
}
