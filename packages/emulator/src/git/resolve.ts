import type { GitExec } from './exec.js'
import type { RawObject } from './object-cache.js'
import { decodeTagTarget, isFullSha } from './objects.js'
import { candidateRefNames, type RepoRefs } from './refs.js'

/** What ref resolution needs of one bare repository. */
export interface ResolveIo {
  /** The bare repository directory. */
  path: string
  refs: RepoRefs
  git: GitExec
  readObject(sha: string): Promise<RawObject | null>
}

/** Follows annotated tags to a commit (at most 10); `null` when `sha` is missing or no commit. */
export async function peelToCommit(io: ResolveIo, sha: string): Promise<string | null> {
  let current = sha
  for (let i = 0; i < 10; i++) {
    const obj = await io.readObject(current)
    if (!obj) return null
    if (obj.type === 'commit') return current
    if (obj.type !== 'tag') return null
    current = decodeTagTarget(obj.data).sha
  }
  return null
}

/**
 * Resolves `ref` to a commit SHA: `refs/heads/x`, `heads/x`, `tags/x`, a branch or tag name
 * (branches win), or a commit SHA (full, or an unambiguous abbreviation of 4+ hex digits,
 * `git rev-parse --verify`). Annotated tags are peeled. With `asOf` (ms since epoch, emulator
 * clock) a named ref is resolved from the ref history as it was then; SHAs are unaffected.
 * `null` when nothing matches.
 */
export async function resolveRef(
  io: ResolveIo,
  ref: string,
  options: { asOf?: number } = {}
): Promise<string | null> {
  if (isFullSha(ref)) {
    const peeled = await peelToCommit(io, ref)
    if (peeled) return peeled
  }
  const refs = await io.refs.get()
  for (const name of candidateRefNames(ref)) {
    const sha = refs.get(name)
    if (!sha) continue
    const target =
      options.asOf === undefined ? sha : (io.refs.history.at(name, options.asOf) ?? sha)
    return peelToCommit(io, target)
  }
  if (/^[0-9a-f]{4,39}$/.test(ref)) {
    const r = await io.git.run([
      '--git-dir',
      io.path,
      'rev-parse',
      '--verify',
      '--quiet',
      `${ref}^{commit}`
    ])
    if (r.code === 0) return r.stdout.toString('utf8').trim()
  }
  return null
}

/** The full ref name `ref` resolves to (`refs/heads/x` …), or `null` for SHAs and misses. */
export async function refName(io: ResolveIo, ref: string): Promise<string | null> {
  const refs = await io.refs.get()
  return candidateRefNames(ref).find((name) => refs.has(name)) ?? null
}
