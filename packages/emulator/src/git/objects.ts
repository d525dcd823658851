import { createHash } from 'node:crypto'

/**
 * Git object formats, in process: hashing, serialising and parsing blobs, trees and commits
 * exactly as git does (docs/github-behaviour.md §8 item 2: blob SHA = SHA-1 of
 * `blob <len>\0<bytes>`; real tree and commit SHAs).
 */

/** The four git object types. */
export type GitObjectType = 'blob' | 'tree' | 'commit' | 'tag'

/** The all-zero object id git uses for "no object". */
export const ZERO_SHA = '0'.repeat(40)

/** A full (40 hex) object id. */
export function isFullSha(value: string): boolean {
  return /^[0-9a-f]{40}$/.test(value)
}

/** The bytes git hashes and stores for an object: `<type> <len>\0<data>`. */
export function objectBytes(type: GitObjectType, data: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${type} ${data.length}\0`), data])
}

/** The object id of `data` as a `type` object (what `git hash-object -t <type>` prints). */
export function hashObject(type: GitObjectType, data: Buffer): string {
  return createHash('sha1').update(objectBytes(type, data)).digest('hex')
}

/** One entry of a tree object. `mode` as git writes it (`100644`, `100755`, `120000`, `40000`, `160000`). */
export interface TreeEntry {
  mode: string
  name: string
  sha: string
}

/** The object type a tree entry's mode points at. */
export function entryType(mode: string): 'blob' | 'tree' | 'commit' {
  if (mode === '40000' || mode === '040000') return 'tree'
  if (mode === '160000') return 'commit'
  return 'blob'
}

/** Mode as the REST API shows it: six digits (`040000` for trees). */
export function apiMode(mode: string): string {
  return mode.padStart(6, '0')
}

/** Git's tree order: byte order of names, a tree's name compared as if it ended with `/`. */
function treeSortKey(e: TreeEntry): Buffer {
  return Buffer.from(entryType(e.mode) === 'tree' ? `${e.name}/` : e.name)
}

/** Serialises a tree (sorted in git's order; modes normalised, `040000` → `40000`). */
export function encodeTree(entries: TreeEntry[]): Buffer {
  const sorted = [...entries].sort((a, b) => Buffer.compare(treeSortKey(a), treeSortKey(b)))
  const parts: Buffer[] = []
  for (const e of sorted) {
    const mode = e.mode === '040000' ? '40000' : e.mode
    parts.push(Buffer.from(`${mode} ${e.name}\0`), Buffer.from(e.sha, 'hex'))
  }
  return Buffer.concat(parts)
}

/** Parses a tree object's data. */
export function decodeTree(data: Buffer): TreeEntry[] {
  const entries: TreeEntry[] = []
  let i = 0
  while (i < data.length) {
    const space = data.indexOf(0x20, i)
    const nul = data.indexOf(0, space)
    if (space < 0 || nul < 0) throw new Error('corrupt tree object')
    const mode = data.toString('latin1', i, space)
    const name = data.toString('utf8', space + 1, nul)
    const sha = data.toString('hex', nul + 1, nul + 21)
    entries.push({ mode, name, sha })
    i = nul + 21
  }
  return entries
}

/** Author or committer of a commit. `date` is ISO 8601; `tz` git's `+hhmm` offset. */
export interface GitIdent {
  name: string
  email: string
  date: string
  tz?: string
}

/** A parsed commit object. */
export interface CommitObject {
  tree: string
  parents: string[]
  author: GitIdent
  committer: GitIdent
  message: string
}

function cleanIdentPart(value: string): string {
  return value.replace(/[<>\n]/g, '').trim()
}

/** `Name <email> <epoch seconds> <tz>` (git strips `<`, `>` and newlines from name and email). */
export function formatIdent(ident: GitIdent): string {
  const epoch = Math.floor(new Date(ident.date).getTime() / 1000)
  return `${cleanIdentPart(ident.name)} <${cleanIdentPart(ident.email)}> ${epoch} ${ident.tz ?? '+0000'}`
}

/** Parses `Name <email> <epoch> <tz>`. */
export function parseIdent(line: string): GitIdent {
  const m = /^(.*?) ?<([^>]*)> (\d+) ([+-]\d{4})$/.exec(line)
  if (!m) return { name: line, email: '', date: new Date(0).toISOString(), tz: '+0000' }
  return {
    name: m[1],
    email: m[2],
    date: new Date(Number(m[3]) * 1000).toISOString().replace('.000Z', 'Z'),
    tz: m[4]
  }
}

/** Serialises a commit (the message is stored verbatim). */
export function encodeCommit(c: CommitObject): Buffer {
  let text = `tree ${c.tree}\n`
  for (const p of c.parents) text += `parent ${p}\n`
  text += `author ${formatIdent(c.author)}\ncommitter ${formatIdent(c.committer)}\n\n${c.message}`
  return Buffer.from(text, 'utf8')
}

/** What a commit without an author or committer line gets (what `parseIdent('')` answers). */
const NO_IDENT: GitIdent = Object.freeze({
  name: '',
  email: '',
  date: new Date(0).toISOString(),
  tz: '+0000'
})

/** Parses a commit object's data (extra headers such as `gpgsig` are skipped). */
export function decodeCommit(data: Buffer): CommitObject {
  const text = data.toString('utf8')
  const split = text.indexOf('\n\n')
  const head = split < 0 ? text : text.slice(0, split)
  const message = split < 0 ? '' : text.slice(split + 2)
  const commit: CommitObject = {
    tree: '',
    parents: [],
    author: NO_IDENT,
    committer: NO_IDENT,
    message
  }
  for (const line of head.split('\n')) {
    if (line.startsWith(' ')) continue
    const space = line.indexOf(' ')
    const key = line.slice(0, space)
    const value = line.slice(space + 1)
    if (key === 'tree') commit.tree = value
    else if (key === 'parent') commit.parents.push(value)
    else if (key === 'author') commit.author = parseIdent(value)
    else if (key === 'committer') commit.committer = parseIdent(value)
  }
  return commit
}

/** The target of an annotated tag object (`object <sha>` / `type <type>`). */
export function decodeTagTarget(data: Buffer): { sha: string; type: GitObjectType } {
  const text = data.toString('utf8')
  const sha = /^object ([0-9a-f]{40})$/m.exec(text)?.[1] ?? ''
  const type = (/^type (\w+)$/m.exec(text)?.[1] ?? 'commit') as GitObjectType
  return { sha, type }
}
