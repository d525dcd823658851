import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { deflateSync } from 'node:zlib'
import { objectBytes, type GitObjectType } from './objects.js'

/**
 * Writes object `sha` into the bare repository `gitDir` as a loose object in git's own format
 * (the bytes `git hash-object -w` writes), through a temporary file and a rename; a no-op when
 * the file exists. Small synchronous writes: cheaper than a round trip through the thread pool.
 */
export function writeLooseObject(
  gitDir: string,
  sha: string,
  type: GitObjectType,
  data: Buffer
): void {
  const file = join(gitDir, 'objects', sha.slice(0, 2), sha.slice(2))
  if (existsSync(file)) return
  const dir = dirname(file)
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true })
  const tmp = join(gitDir, 'objects', `tmp_obj_${randomBytes(6).toString('hex')}`)
  writeFileSync(tmp, deflateSync(objectBytes(type, data), { level: 1 }), { mode: 0o444 })
  renameSync(tmp, file)
}
