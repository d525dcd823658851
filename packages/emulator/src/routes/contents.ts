import { fields, optionalString, requiredString } from '../decode.js'
import { InvalidRequest } from '../errors.js'
import { GitShapes } from '../shapes/git.js'
import type { IdentInput } from '../git/types.js'
import type { ContentWriteResult } from '../models/contents.js'
import { CONTENTS_JSON_MAX_BYTES } from '../models/contents.js'
import type { Route, RouteRequest, RouteResult } from '../router.js'

/** Headers GitHub sends with contents reads (docs/github-behaviour.md §1.1). */
const READ_HEADERS = { 'cache-control': 'private, max-age=60, s-maxage=60', vary: 'Accept' }

/** Which representation the `Accept` header asks for (§1.1 media types). */
function mediaFormat(req: RouteRequest): 'json' | 'raw' | 'object' {
  const accept = String(req.headers.accept ?? '')
  if (/application\/vnd\.github(?:\.v3)?\.raw/.test(accept)) return 'raw'
  if (/application\/vnd\.github(?:\.v3)?\.object/.test(accept)) return 'object'
  return 'json'
}

async function getContent(req: RouteRequest): Promise<RouteResult> {
  const { ctx, params, query, caller } = req
  const format = mediaFormat(req)
  const found = await ctx.models.contents.getContent(
    caller,
    params.owner,
    params.repo,
    params.path ?? '',
    { ref: query.get('ref'), limitBytes: format === 'json' ? CONTENTS_JSON_MAX_BYTES : undefined }
  )
  const shapes = new GitShapes(ctx.store, req.shapes.origin)
  const { repo, ref, item } = found
  if (found.entries) {
    const entries = found.entries.map((e) => shapes.contentEntry(repo, e, ref))
    if (format === 'object')
      return {
        status: 200,
        body: { ...shapes.contentEntry(repo, item, ref), entries },
        headers: READ_HEADERS
      }
    return { status: 200, body: entries, headers: READ_HEADERS }
  }
  const bytes = found.bytes ?? Buffer.alloc(0)
  if (format === 'raw' && (item.type === 'file' || item.type === 'symlink'))
    return {
      status: 200,
      raw: bytes,
      headers: { ...READ_HEADERS, 'content-type': 'application/vnd.github.raw; charset=utf-8' }
    }
  if (item.type === 'symlink')
    return {
      status: 200,
      body: shapes.contentSymlink(repo, item, ref, bytes.toString('utf8')),
      headers: READ_HEADERS
    }
  if (item.type === 'submodule')
    return { status: 200, body: shapes.contentSubmodule(repo, item, ref), headers: READ_HEADERS }
  const omit = format === 'object' && bytes.length > CONTENTS_JSON_MAX_BYTES
  return {
    status: 200,
    body: shapes.contentFile(repo, item, ref, bytes, omit),
    headers: READ_HEADERS
  }
}

/** `{name, email, date?}` of `committer` / `author`; 422 when name or email is missing (§1.2). */
export function ident(obj: Record<string, unknown>, key: string): IdentInput | undefined {
  const value = obj[key]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'object' || Array.isArray(value))
    throw new InvalidRequest(`For 'properties/${key}', ${JSON.stringify(value)} is not an object.`)
  const o = value as Record<string, unknown>
  const name = requiredString(o, 'name')
  const email = requiredString(o, 'email')
  const date = optionalString(o, 'date')
  if (date !== undefined && Number.isNaN(new Date(date).getTime()))
    throw new InvalidRequest(`For 'properties/date', ${JSON.stringify(date)} is not a date-time.`)
  return { name, email, ...(date !== undefined ? { date: new Date(date).toISOString() } : {}) }
}

/** Strict base64 (whitespace allowed, as GitHub accepts wrapped input). */
function decodeBase64(text: string): Buffer {
  const compact = text.replace(/\s+/g, '')
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 === 1)
    throw new InvalidRequest('content is not valid Base64')
  return Buffer.from(compact, 'base64')
}

function fileCommit(req: RouteRequest, r: ContentWriteResult): Record<string, unknown> {
  const shapes = new GitShapes(req.ctx.store, req.shapes.origin)
  return {
    content: r.item ? shapes.fileCommitContent(r.repo, r.item, r.branch) : null,
    commit: shapes.gitCommit(r.repo, r.commitSha, r.commit)
  }
}

/** Contents API over real git (docs/github-behaviour.md §1). */
export const contentRoutes: Route[] = [
  {
    method: 'GET',
    template: '/repos/{owner}/{repo}/contents/{path}',
    handler: getContent
  },
  {
    method: 'GET',
    template: '/repos/{owner}/{repo}/contents',
    handler: getContent
  },
  {
    method: 'GET',
    template: '/repos/{owner}/{repo}/contents/',
    handler: getContent
  },
  {
    method: 'PUT',
    template: '/repos/{owner}/{repo}/contents/{path}',
    handler: async (req) => {
      const obj = fields(req.body)
      const message = requiredString(obj, 'message')
      const content = decodeBase64(requiredString(obj, 'content'))
      const r = await req.ctx.models.contents.putContent(
        req.caller,
        req.params.owner,
        req.params.repo,
        req.params.path,
        {
          message,
          content,
          sha: optionalString(obj, 'sha'),
          branch: optionalString(obj, 'branch'),
          author: ident(obj, 'author'),
          committer: ident(obj, 'committer')
        }
      )
      return { status: r.created ? 201 : 200, body: fileCommit(req, r) }
    }
  },
  {
    method: 'DELETE',
    template: '/repos/{owner}/{repo}/contents/{path}',
    handler: async (req) => {
      const obj = fields(req.body)
      const message = requiredString(obj, 'message')
      const sha = requiredString(obj, 'sha')
      const r = await req.ctx.models.contents.deleteContent(
        req.caller,
        req.params.owner,
        req.params.repo,
        req.params.path,
        {
          message,
          sha,
          branch: optionalString(obj, 'branch'),
          author: ident(obj, 'author'),
          committer: ident(obj, 'committer')
        }
      )
      return { status: 200, body: fileCommit(req, r) }
    }
  }
]
