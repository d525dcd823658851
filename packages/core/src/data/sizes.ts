/**
 * Size and quota warnings of the data module (docs/persist-data.md §3, §10): computed from exact
 * byte counts before anything is uploaded, so a user learns that GitHub will refuse an object or
 * that the LFS storage is running out while the previous backup still stands. One function
 * serves every layout: the chunked layout passes its packs (≤ 64 MiB, so only the upload and
 * quota warnings can fire there), the lfs-files layout its files.
 */
import { InvalidOptionsError } from '../errors/github.js'
import type { BackupIndex } from './manifest.js'

/**
 * Largest Git LFS object GitHub stores on the Free and Pro plans: "2 GB" in GitHub's table,
 * read as 2 × 10⁹ bytes, the stricter of GB and GiB (docs/persist-data.md §3).
 */
export const LFS_OBJECT_MAX_BYTES = 2_000_000_000
/** Largest single push GitHub accepts: 2 GiB (docs/persist-data.md §3). */
export const PUSH_MAX_BYTES = 2 * 1024 ** 3

/** Defaults of the quota warning. */
export const QUOTA_DEFAULTS = {
  /** the LFS storage included with GitHub Free and Pro: 10 GiB (docs/persist-data.md §3) */
  quotaBytes: 10 * 1024 ** 3,
  /** warn once the storage would reach 80 % of the quota */
  warnAtShare: 0.8
} as const

/** The code each warning line starts with (`<code>: <message>`). */
export const SIZE_WARNING_CODES = {
  /** one LFS object would pass GitHub's per-object cap: GitHub refuses it */
  objectTooLarge: 'LFS_OBJECT_TOO_LARGE',
  /** one upload would pass 2 GiB, GitHub's limit of one push */
  uploadTooLarge: 'UPLOAD_TOO_LARGE',
  /** the LFS storage would reach `warnAtShare` of the quota */
  nearQuota: 'LFS_STORAGE_NEAR_QUOTA',
  /** the LFS storage would pass the quota: GitHub refuses the upload */
  overQuota: 'LFS_STORAGE_OVER_QUOTA'
} as const
export type SizeWarningCode = (typeof SIZE_WARNING_CODES)[keyof typeof SIZE_WARNING_CODES]

/** The quota options a backup takes. */
export interface QuotaOptions {
  /** the account's Git LFS storage quota, bytes (default 10 GiB) */
  quotaBytes?: number
  /** share of the quota at which to warn, 0 < share ≤ 1 (default 0.8 = 80 %) */
  warnAtShare?: number
}

/** What {@link sizeWarnings} checks. */
export interface SizeInput extends QuotaOptions {
  /** the objects about to be uploaded: sizes in bytes, or named (a pack oid, a file path) */
  objectSizes: ReadonlyArray<number | { name: string; size: number }>
  /** bytes this operation is about to upload (objects the server may already have included) */
  uploadBytes: number
  /** LFS storage already used in the repository, bytes ({@link lfsStoredBytes}) */
  storedBytes: number
}

/** `bytes` in both decimal and binary units: `2.10 GB (1.96 GiB)`. */
function show(bytes: number): string {
  return `${(bytes / 1e9).toFixed(2)} GB (${(bytes / 1024 ** 3).toFixed(2)} GiB)`
}

/**
 * Checks the quota options (defaults from {@link QUOTA_DEFAULTS}).
 *
 * @throws InvalidOptionsError for a `quotaBytes` that is not a whole number > 0 or a
 *   `warnAtShare` outside (0, 1].
 */
export function resolveQuota(options: QuotaOptions = {}): Required<QuotaOptions> {
  const quotaBytes = options.quotaBytes ?? QUOTA_DEFAULTS.quotaBytes
  const warnAtShare = options.warnAtShare ?? QUOTA_DEFAULTS.warnAtShare
  if (!Number.isSafeInteger(quotaBytes) || quotaBytes <= 0)
    throw new InvalidOptionsError('quotaBytes', 'a whole number of bytes > 0', quotaBytes)
  if (typeof warnAtShare !== 'number' || !(warnAtShare > 0 && warnAtShare <= 1))
    throw new InvalidOptionsError('warnAtShare', 'a share > 0 and ≤ 1 (0.8 = 80 %)', warnAtShare)
  return { quotaBytes, warnAtShare }
}

/**
 * The warnings for an upload, each a line `<code>: <message>` ({@link SIZE_WARNING_CODES}):
 * an object over {@link LFS_OBJECT_MAX_BYTES}; an upload over {@link PUSH_MAX_BYTES}; storage
 * (`storedBytes + uploadBytes`) at or past `warnAtShare` of `quotaBytes`, or past the quota. No
 * request; `[]` when nothing is near a limit.
 *
 * @throws InvalidOptionsError for bad quota options ({@link resolveQuota}).
 */
export function sizeWarnings(input: SizeInput): string[] {
  const { quotaBytes, warnAtShare } = resolveQuota(input)
  const out: string[] = []
  for (const [i, o] of input.objectSizes.entries()) {
    const { name, size } = typeof o === 'number' ? { name: `object ${i + 1}`, size: o } : o
    if (size > LFS_OBJECT_MAX_BYTES)
      out.push(
        `${SIZE_WARNING_CODES.objectTooLarge}: ${name} is ${show(size)}, over the 2 GB GitHub ` +
          'stores per Git LFS object on Free and Pro plans: GitHub will refuse it. Split the file or use the chunked layout.'
      )
  }
  if (input.uploadBytes > PUSH_MAX_BYTES)
    out.push(
      `${SIZE_WARNING_CODES.uploadTooLarge}: this upload is ${show(input.uploadBytes)}, over ` +
        "GitHub's 2 GiB limit of one push; it may be refused. Back up smaller changes more often."
    )
  const after = input.storedBytes + input.uploadBytes
  const percent = (after / quotaBytes) * 100
  if (after > quotaBytes)
    out.push(
      `${SIZE_WARNING_CODES.overQuota}: Git LFS storage would be ${show(after)}, ` +
        `${percent.toFixed(0)} % of the ${show(quotaBytes)} quota: GitHub will refuse the upload. ` +
        'Add LFS storage to the account or back up to another repository (pruning does not free LFS storage).'
    )
  else if (after >= warnAtShare * quotaBytes)
    out.push(
      `${SIZE_WARNING_CODES.nearQuota}: Git LFS storage would be ${show(after)}, ` +
        `${percent.toFixed(0)} % of the ${show(quotaBytes)} quota (warning at ${(warnAtShare * 100).toFixed(0)} %). ` +
        'GitHub never frees LFS storage short of deleting the repository: plan for more storage or a new data repository.'
    )
  return out
}

/**
 * The LFS storage the data branch's backups have used, bytes: the bytes every backup uploaded
 * (those listed, and those pruned since: GitHub keeps their objects). Uploads of a backup that
 * never committed are not known here. No request.
 */
export function lfsStoredBytes(index: BackupIndex | null): number {
  if (!index) return 0
  const listed = index.backups.reduce((n, b) => n + b.uploadedBytes, 0)
  return listed + (index.pruned?.uploadedBytes ?? 0)
}
