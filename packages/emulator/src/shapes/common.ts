import { CONTENT_BASE64_LINE_CHARS } from '../limits.js'
import type { PermissionLevel, RepoRecord } from '../state.js'

/** Encoding helpers every GitHub JSON shape shares: node ids, base64 wrapping, URLs. */

/** Legacy GitHub node id: base64 of `<len>:<Type><id>`, e.g. `MDU6SXNzdWUx` for Issue 1. */
export function nodeId(type: string, id: number): string {
  return Buffer.from(`${String(type.length).padStart(2, '0')}:${type}${id}`).toString('base64')
}

/** Legacy node id of a git object or ref: base64 of `<len>:<Type><repo id>:<key>`. */
export function gitNodeId(type: string, repoId: number, key: string): string {
  return Buffer.from(`${String(type.length).padStart(2, '0')}:${type}${repoId}:${key}`).toString(
    'base64'
  )
}

/** A decoded legacy node id: the type name and what follows it. */
export interface DecodedNodeId {
  type: string
  rest: string
}

/** Decodes a legacy node id (`nodeId`, `gitNodeId`); `null` when `id` is not one. */
export function decodeNodeId(id: string): DecodedNodeId | null {
  if (!/^[A-Za-z0-9+/]+=*$/.test(id)) return null
  const text = Buffer.from(id, 'base64').toString('utf8')
  const m = /^(\d{2}):(.*)$/s.exec(text)
  if (!m) return null
  const length = Number(m[1])
  if (m[2].length <= length) return null
  return { type: m[2].slice(0, length), rest: m[2].slice(length) }
}

/** Splits the `rest` of a git node id (`gitNodeId`) into the repository id and the key. */
export function splitGitNodeRest(rest: string): { repoId: number; key: string } | null {
  const m = /^(\d+):(.+)$/s.exec(rest)
  return m ? { repoId: Number(m[1]), key: m[2] } : null
}

/**
 * Base64 with a `\n` after every 60 characters, as the contents API sends it
 * (docs/github-behaviour.md §1.1).
 */
export function wrapBase64(base64: string): string {
  let out = ''
  for (let i = 0; i < base64.length; i += CONTENT_BASE64_LINE_CHARS)
    out += `${base64.slice(i, i + CONTENT_BASE64_LINE_CHARS)}\n`
  return out
}

/** A slash-separated path with each segment URL-encoded. */
export function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/')
}

/** `<origin>/repos/<owner>/<repo>`. */
export function repoApiUrl(origin: string, repo: RepoRecord): string {
  return `${origin}/repos/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.name)}`
}

/** `<origin>/<owner>/<repo>`. */
export function repoHtmlUrl(origin: string, repo: RepoRecord): string {
  return `${origin}/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.name)}`
}

/** `permissions` of a repository or collaborator for a permission level. */
export function permissionFlags(permission: PermissionLevel): Record<string, boolean> {
  return {
    admin: permission === 'admin',
    maintain: permission === 'admin',
    push: permission === 'admin' || permission === 'write',
    triage: permission === 'admin' || permission === 'write',
    pull: permission !== 'none'
  }
}
