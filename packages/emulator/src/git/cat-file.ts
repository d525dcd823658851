import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import type { RawObject } from './object-cache.js'
import type { GitObjectType } from './objects.js'

/** A repository's `git cat-file --batch` process stops after this long without reads, ms. */
const CAT_FILE_IDLE_MS = 15_000

/**
 * One long-lived `git cat-file --batch` per repository, started on the first read and stopped
 * after `CAT_FILE_IDLE_MS` without one.
 */
export class CatFileReaders {
  private readonly readers = new Map<
    string,
    { batch: CatFileBatch; idleTimer: NodeJS.Timeout | null }
  >()

  constructor(private readonly env: () => NodeJS.ProcessEnv) {}

  /** Reads `sha` from the bare repository at `gitDir` (`null` when it is missing). */
  async read(key: string, gitDir: string, sha: string): Promise<RawObject | null> {
    let reader = this.readers.get(key)
    if (!reader || reader.batch.dead) {
      if (reader?.idleTimer) clearTimeout(reader.idleTimer)
      reader = { batch: new CatFileBatch(gitDir, this.env()), idleTimer: null }
      this.readers.set(key, reader)
    }
    const current = reader
    const batch = current.batch
    if (current.idleTimer) clearTimeout(current.idleTimer)
    const obj = await batch.read(sha)
    if (current.idleTimer) clearTimeout(current.idleTimer)
    current.idleTimer = setTimeout(() => {
      if (batch.idle && this.readers.get(key) === current) {
        batch.close()
        this.readers.delete(key)
      }
    }, CAT_FILE_IDLE_MS)
    current.idleTimer.unref()
    return obj
  }

  /** Stops the reader of `key`, if any. */
  stop(key: string): void {
    const reader = this.readers.get(key)
    if (!reader) return
    if (reader.idleTimer) clearTimeout(reader.idleTimer)
    reader.batch.close()
    this.readers.delete(key)
  }

  /** Stops every reader. */
  stopAll(): void {
    for (const key of [...this.readers.keys()]) this.stop(key)
  }
}

/** One long-lived `git cat-file --batch`; requests answered in order. */
class CatFileBatch {
  dead = false
  private readonly child: ChildProcessWithoutNullStreams
  private readonly pending: Array<{
    resolve: (v: RawObject | null) => void
    reject: (e: Error) => void
  }> = []
  private buffer: Buffer = Buffer.alloc(0)

  constructor(gitDir: string, env: NodeJS.ProcessEnv) {
    this.child = spawn('git', ['--git-dir', gitDir, 'cat-file', '--batch'], {
      env,
      stdio: ['pipe', 'pipe', 'pipe']
    })
    this.child.stdout.on('data', (chunk: Buffer) => {
      this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk])
      this.drain()
    })
    this.child.stderr.on('data', () => undefined)
    this.child.stdin.on('error', () => undefined)
    const fail = (error: Error) => {
      this.dead = true
      for (const p of this.pending.splice(0)) p.reject(error)
    }
    this.child.on('error', fail)
    this.child.on('close', () => fail(new Error('git cat-file --batch exited')))
  }

  /** Whether no read is waiting for an answer. */
  get idle(): boolean {
    return this.pending.length === 0
  }

  read(sha: string): Promise<RawObject | null> {
    return new Promise((resolve, reject) => {
      if (this.dead) return reject(new Error('git cat-file --batch is not running'))
      this.pending.push({ resolve, reject })
      this.child.stdin.write(`${sha}\n`)
    })
  }

  close(): void {
    this.dead = true
    this.child.stdin.end()
    this.child.kill()
  }

  private drain(): void {
    for (;;) {
      const nl = this.buffer.indexOf(0x0a)
      if (nl < 0) return
      const header = this.buffer.toString('utf8', 0, nl)
      if (header.endsWith(' missing') || header.endsWith(' ambiguous')) {
        this.buffer = this.buffer.subarray(nl + 1)
        this.pending.shift()?.resolve(null)
        continue
      }
      const [, type, sizeText] = header.split(' ')
      const size = Number(sizeText)
      if (this.buffer.length < nl + 1 + size + 1) return
      const data = Buffer.from(this.buffer.subarray(nl + 1, nl + 1 + size))
      this.buffer = this.buffer.subarray(nl + 1 + size + 1)
      this.pending.shift()?.resolve({ type: type as GitObjectType, data })
    }
  }
}
