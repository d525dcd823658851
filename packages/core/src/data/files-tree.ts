/**
 * What the `lfs-files` layout reads and writes in git (docs/persist-data.md §5, §9): the folder
 * of the data branch that holds the files, git blob SHAs computed locally, strict parsing of LFS
 * pointer files, and reads of a tree (with modes) and of blobs through the git data API.
 */
import { createHash } from 'node:crypto'
import { InvalidDataManifestError } from '../errors/data.js'
import { repositoryName, type RepoContext } from '../github/context.js'
import { callGitHub } from '../github/request.js'
import type { LfsObject } from './lfs.js'

/**
 * The folder of the data branch holding the files in the `lfs-files` layout: `data`, the
 * seed's, so its `.gitattributes` patterns (`data/*.csv`, `data/chroma_db/*`) apply as
 * written and a repository of the seed's script and ours are laid out alike (§9.2).
 */
export const FILES_ROOT = 'data'

/** Largest pointer file, bytes: git-lfs never reads a larger blob as a pointer (§5). */
export const POINTER_MAX_BYTES = 1024

/** Largest LFS object any GitHub plan stores (5 GB, Enterprise Cloud; §3): a larger pointer lies. */
export const LFS_OBJECT_MAX_BYTES = 5 * 1000 ** 3

/** The git blob SHA of `bytes`: SHA-1 of `blob <length>\0` and the bytes. */
export function gitBlobSha(bytes: Uint8Array): string {
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex')
}

const POINTER_VERSIONS = new Set([
  'https://git-lfs.github.com/spec/v1',
  // what git-lfs's pre-release wrote; git-lfs still reads it (§5)
  'https://hawser.github.com/spec/v1'
])

/**
 * The object an LFS pointer names, or `null` when `bytes` is not a pointer (git-lfs then
 * checks the blob out as it is). Strict: `version` first, `key value` lines each ending in
 * `\n`, keys after `version` in sorted order, `oid sha256:<64 hex>`, `size <decimal>`.
 */
export function parseLfsPointer(bytes: Uint8Array): LfsObject | null {
  if (bytes.length === 0 || bytes.length >= POINTER_MAX_BYTES) return null
  const text = Buffer.from(bytes).toString('utf8')
  if (!text.endsWith('\n')) return null
  const lines = text.slice(0, -1).split('\n')
  const pairs = lines.map((l) => /^([a-z0-9.-]+) (.*)$/.exec(l))
  if (pairs.some((p) => p === null)) return null
  const [first, ...rest] = pairs as RegExpExecArray[]
  if (first?.[1] !== 'version' || !POINTER_VERSIONS.has(first[2] as string)) return null
  const keys = rest.map((p) => p[1] as string)
  if (keys.some((k, i) => i > 0 && k <= (keys[i - 1] as string))) return null
  const value = (key: string) => rest.find((p) => p[1] === key)?.[2]
  const oid = /^sha256:([0-9a-f]{64})$/.exec(value('oid') ?? '')?.[1]
  const size = value('size')
  if (!oid || size === undefined || !/^(0|[1-9][0-9]*)$/.test(size)) return null
  return { oid, size: Number(size) }
}

/** One entry of a recursive tree listing. */
export interface TreeEntry {
  /** path from the repository root */
  path: string
  /** `100644`, `100755`, `120000` (symbolic link), `040000` (directory), `160000` (submodule) */
  mode: string
  type: 'blob' | 'tree' | 'commit'
  sha: string
  /** blobs: bytes */
  size?: number
}

/**
 * Every entry of tree `treeSha`, recursively. 1 request.
 *
 * @throws InvalidDataManifestError when GitHub truncated the listing (too many entries).
 * @throws GitHubRequestError for a failed request.
 */
export async function readTreeEntries(ctx: RepoContext, treeSha: string): Promise<TreeEntry[]> {
  const { octokit, owner, repo } = ctx
  const { data } = await callGitHub(`list tree ${treeSha} of ${repositoryName(ctx)}`, () =>
    octokit.rest.git.getTree({ owner, repo, tree_sha: treeSha, recursive: 'true' })
  )
  if (data.truncated)
    throw new InvalidDataManifestError(
      `tree ${treeSha}`,
      '',
      'has more entries than one listing holds (GitHub truncated it)'
    )
  return data.tree.map((e) => ({
    path: e.path,
    mode: e.mode,
    type: e.type as TreeEntry['type'],
    sha: e.sha,
    ...(e.size !== undefined ? { size: e.size } : {})
  }))
}

/** The bytes of blob `sha` (`what` names it in an error). 1 request. @throws GitHubRequestError */
export async function readBlobBytes(ctx: RepoContext, sha: string, what: string): Promise<Buffer> {
  const { octokit, owner, repo } = ctx
  const { data } = await callGitHub(`read ${what} of ${repositoryName(ctx)}`, () =>
    octokit.rest.git.getBlob({ owner, repo, file_sha: sha })
  )
  return Buffer.from(data.content, data.encoding === 'base64' ? 'base64' : 'utf8')
}
