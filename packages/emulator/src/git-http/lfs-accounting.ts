import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { ApiError } from '../errors.js'

/**
 * Git LFS accounting per repository, as GitHub bills it (docs/persist-data.md §3): the bytes
 * stored (every object ever uploaded; GitHub never gives storage back), the bytes uploaded
 * (not metered by GitHub, counted here for tests) and the bytes downloaded (metered as
 * bandwidth). An optional quota per repository makes the Batch API answer the way GitHub does
 * when an account is over its LFS storage or bandwidth: 403 with
 * {@link LFS_OVER_QUOTA_MESSAGE} (what `git lfs` prints after "batch response:").
 */

/** GitHub's answer to a batch request of a repository over its LFS quota (docs/persist-data.md §3). */
export const LFS_OVER_QUOTA_MESSAGE =
  'This repository is over its data quota. Account responsible for LFS bandwidth should purchase more data packs to restore access.'

/** The LFS figures of one repository, as `GET /_emulator/repos/{owner}/{repo}/lfs` answers. */
export interface LfsUsage {
  /** LFS objects stored */
  objects: number
  /** bytes of the objects stored */
  stored_bytes: number
  /** bytes received by basic-transfer uploads (`PUT`), counted when the object was stored */
  uploaded_bytes: number
  /** bytes sent by basic-transfer downloads (`GET`) */
  downloaded_bytes: number
  /** storage quota in bytes, `null` = none */
  storage_quota_bytes: number | null
  /** download (bandwidth) quota in bytes, `null` = none */
  bandwidth_quota_bytes: number | null
}

/** A quota as set by `POST /_emulator/repos/{owner}/{repo}/lfs/quota`; `null` removes it. */
export interface LfsQuotaInput {
  storage_bytes?: number | null
  bandwidth_bytes?: number | null
}

interface Counters {
  uploaded: number
  downloaded: number
  storageQuota: number | null
  bandwidthQuota: number | null
}

/** The 403 a repository over its LFS quota gets on a batch request. */
export class LfsOverQuota extends ApiError {
  constructor() {
    super(403, LFS_OVER_QUOTA_MESSAGE)
  }
}

/** Counters and quotas of every repository of one emulator (keyed `owner/repo`, lower case). */
export class LfsAccounting {
  private readonly repos = new Map<string, Counters>()

  private counters(fullName: string): Counters {
    const key = fullName.toLowerCase()
    let c = this.repos.get(key)
    if (!c) {
      c = { uploaded: 0, downloaded: 0, storageQuota: null, bandwidthQuota: null }
      this.repos.set(key, c)
    }
    return c
  }

  /** Counts `bytes` received for a stored upload. */
  uploaded(fullName: string, bytes: number): void {
    this.counters(fullName).uploaded += bytes
  }

  /** Counts `bytes` sent by a download. */
  downloaded(fullName: string, bytes: number): void {
    this.counters(fullName).downloaded += bytes
  }

  /** Sets (a number) or removes (`null`) the quotas named in `input`. */
  setQuota(fullName: string, input: LfsQuotaInput): void {
    const c = this.counters(fullName)
    if (input.storage_bytes !== undefined) c.storageQuota = input.storage_bytes
    if (input.bandwidth_bytes !== undefined) c.bandwidthQuota = input.bandwidth_bytes
  }

  /**
   * Throws {@link LfsOverQuota} when storing `newBytes` more (an upload batch: the objects not
   * stored yet) would take the repository past its storage quota, or when a download batch
   * finds the bandwidth quota used up.
   */
  check(fullName: string, operation: 'upload' | 'download', storedBytes: number, newBytes: number) {
    const c = this.counters(fullName)
    if (operation === 'upload' && c.storageQuota !== null && newBytes > 0) {
      if (storedBytes + newBytes > c.storageQuota) throw new LfsOverQuota()
    }
    if (operation === 'download' && c.bandwidthQuota !== null && c.downloaded >= c.bandwidthQuota)
      throw new LfsOverQuota()
  }

  /** The usage of `fullName`, whose objects live under `dir` (`<git root>/lfs/<owner>/<repo>`). */
  async usage(fullName: string, dir: string): Promise<LfsUsage> {
    const c = this.counters(fullName)
    const stored = await storedObjects(dir)
    return {
      objects: stored.objects,
      stored_bytes: stored.bytes,
      uploaded_bytes: c.uploaded,
      downloaded_bytes: c.downloaded,
      storage_quota_bytes: c.storageQuota,
      bandwidth_quota_bytes: c.bandwidthQuota
    }
  }

  /** Forgets every counter and quota (admin reset). */
  clear(): void {
    this.repos.clear()
  }
}

/** Objects and bytes stored under an LFS object directory (`<oid[0..2]>/<oid[2..4]>/<oid>`). */
export async function storedObjects(dir: string): Promise<{ objects: number; bytes: number }> {
  let objects = 0
  let bytes = 0
  let names: string[]
  try {
    names = await readdir(dir, { recursive: true })
  } catch {
    return { objects, bytes }
  }
  for (const name of names) {
    if (!/^[0-9a-f]{64}$/.test(name.split(/[/\\]/).pop() ?? '')) continue
    const s = await stat(join(dir, name)).catch(() => null)
    if (s?.isFile()) {
      objects++
      bytes += s.size
    }
  }
  return { objects, bytes }
}
