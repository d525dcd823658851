/**
 * A sequence file and what this process last knew of it: the blob SHA and parsed document of
 * the last read or write (so an uncontended increment in a long-running process is one `PUT`),
 * and the ETag that makes a re-read conditional (a 304 costs no rate limit).
 */
import {
  describeFile,
  findClaimCommit,
  readSnapshot,
  type FileLocation,
  type Snapshot
} from './contents.js'

/** One sequence file with its cached state. */
export class SequenceFile {
  /** The last state read or written; `undefined` after a failed write or `forget()`. */
  cache: Snapshot | undefined

  constructor(
    readonly loc: FileLocation,
    /** pages of 100 commits searched for a claim trailer */
    readonly historyPages: number
  ) {}

  /** `owner/repo:path (branch b)`. */
  get description(): string {
    return describeFile(this.loc)
  }

  /** Reads the file (with `conditional`, an `If-None-Match` GET); the result becomes the cache. */
  async read(conditional = false): Promise<Snapshot> {
    const snap = await readSnapshot(this.loc, conditional ? this.cache : undefined)
    this.cache = snap
    return snap
  }

  /** The commit of a claim (1 request per 100 commits searched), or `null`. @throws GitHubRequestError */
  findClaimCommit(nonce: string): Promise<string | null> {
    return findClaimCommit(this.loc, nonce, this.historyPages)
  }

  /** {@link findClaimCommit}, `null` when the search fails too. */
  async claimCommitOrNull(nonce: string): Promise<string | null> {
    try {
      return await this.findClaimCommit(nonce)
    } catch {
      return null
    }
  }

  /** Requests the client has made so far (its counter). */
  requests(): number {
    return this.loc.octokit.hubstore?.requests ?? 0
  }
}
