import { existsSync } from 'node:fs'
import { CatFileReaders } from './cat-file.js'
import { readLooseObject, writeLooseObject } from './loose.js'
import { ObjectCache, type RawObject } from './object-cache.js'
import { hashObject, isFullSha, type GitObjectType } from './objects.js'

/** One bare repository as the object store addresses it: cache key and directory. */
export interface ObjectRepo {
  /** `owner/repo`, lower-cased. */
  key: string
  /** The bare repository directory. */
  path: string
}

/**
 * The object database of every repository of one emulator instance: reads go to the bounded
 * in-memory `ObjectCache`, then to the loose object file, then to the repository's `git
 * cat-file --batch` reader (packed objects); writes are
 * loose objects in git's own format (`loose.ts`) and are cached as written.
 */
export class ObjectStore {
  private readonly cache = new ObjectCache()
  private readonly readers: CatFileReaders

  /** `env`: the environment of the `cat-file` child processes (`GitExec.env`). */
  constructor(env: () => NodeJS.ProcessEnv) {
    this.readers = new CatFileReaders(env)
  }

  /** Reads object `sha` (`null` when it is not a full SHA or the repository lacks it). */
  async read(repo: ObjectRepo, sha: string): Promise<RawObject | null> {
    if (!isFullSha(sha)) return null
    const cached = this.cache.get(repo.key, sha)
    if (cached) return cached
    if (!existsSync(repo.path)) return null
    const obj =
      readLooseObject(repo.path, sha) ?? (await this.readers.read(repo.key, repo.path, sha))
    if (obj) this.cache.remember(repo.key, sha, obj)
    return obj
  }

  /** Writes an object (loose, git's format) and returns its SHA; idempotent. */
  write(repo: ObjectRepo, type: GitObjectType, data: Buffer): string {
    const sha = hashObject(type, data)
    if (this.cache.has(repo.key, sha)) return sha
    writeLooseObject(repo.path, sha, type, data)
    this.cache.remember(repo.key, sha, { type, data })
    return sha
  }

  /** Stops the `cat-file` reader of repository `key` (it was re-created). */
  forget(key: string): void {
    this.readers.stop(key)
  }

  /** Stops every `cat-file` reader and empties the cache. */
  clear(): void {
    this.readers.stopAll()
    this.cache.clear()
  }
}
