import type { GitObjectType } from './objects.js'

/** One object's type and raw bytes (what `git cat-file --batch` answers). */
export interface RawObject {
  type: GitObjectType
  data: Buffer
}

/** Bytes of object data kept in the in-memory object cache. */
const OBJECT_CACHE_MAX_BYTES = 64 * 1024 * 1024
/** Objects bigger than this are not cached. */
const OBJECT_CACHE_MAX_OBJECT_BYTES = 8 * 1024 * 1024

/**
 * Objects are immutable, so they are cached by repository and SHA: a map bounded by total
 * bytes, oldest insertion evicted first.
 */
export class ObjectCache {
  private readonly objects = new Map<string, RawObject>()
  private bytes = 0

  get(repoKey: string, sha: string): RawObject | undefined {
    return this.objects.get(`${repoKey}\0${sha}`)
  }

  has(repoKey: string, sha: string): boolean {
    return this.objects.has(`${repoKey}\0${sha}`)
  }

  /** Keeps `obj` unless it is bigger than one cache entry may be; evicts down to the bound. */
  remember(repoKey: string, sha: string, obj: RawObject): void {
    if (obj.data.length > OBJECT_CACHE_MAX_OBJECT_BYTES) return
    this.objects.set(`${repoKey}\0${sha}`, obj)
    this.bytes += obj.data.length
    while (this.bytes > OBJECT_CACHE_MAX_BYTES) {
      const oldest = this.objects.keys().next()
      if (oldest.done) break
      this.bytes -= this.objects.get(oldest.value)!.data.length
      this.objects.delete(oldest.value)
    }
  }

  clear(): void {
    this.objects.clear()
    this.bytes = 0
  }
}

/**
 * Parsed forms of raw objects (a commit's fields, a tree's entries), kept as long as the raw
 * object is: a history walk or a listing reads the same commits and trees again and again, and
 * parsing them each time was most of its CPU. Keyed by the `RawObject` the cache hands out, so
 * an object that is not cached (over the per-object bound) is parsed on every read.
 */
const parsed = new WeakMap<RawObject, unknown>()

/**
 * The parsed form of `obj`, `parse()`d on its first request and deep-frozen: every reader gets
 * the same value, so none may change it (a write throws, ESM being strict).
 */
export function decoded<T>(obj: RawObject, parse: () => T): T {
  if (parsed.has(obj)) return parsed.get(obj) as T
  const value = deepFreeze(parse())
  parsed.set(obj, value)
  return value
}

/** `value` with every object and array in it frozen. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const v of Object.values(value)) deepFreeze(v)
  }
  return value
}
