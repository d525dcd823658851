/**
 * Progress of a long data transfer, for a caller's progress line or bar (the CLI writes it to
 * stderr). Told at each step: after the capture, after each pack uploaded or downloaded, after
 * each file written by a restore.
 */
export interface DataProgress {
  /** `capture`: files read; `upload` / `download`: LFS packs moved; `write`: files restored */
  phase: 'capture' | 'upload' | 'download' | 'write'
  /** files (capture, write) or packs (upload, download) done so far, and in all */
  done: number
  total: number
  /** bytes done so far and in all (file bytes for capture and write, pack bytes otherwise) */
  bytes: number
  totalBytes: number
}

/** A progress callback; it must not throw. */
export type DataProgressListener = (progress: DataProgress) => void
