import { fields, optionalString, requiredString } from '../decode.js'
import { InvalidRequest } from '../errors.js'
import { GitShapes } from '../shapes/git.js'
import type { GitDataModel, TreeInputEntry } from '../models/git-data.js'
import type { Route, RouteRequest } from '../router.js'
import { ident } from './contents.js'

function model(req: RouteRequest): GitDataModel {
  return req.models.gitData
}

function shapes(req: RouteRequest): GitShapes {
  return new GitShapes(req.ctx.store, req.shapes.origin)
}

function describe(value: unknown): string {
  return value === null ? 'nil' : JSON.stringify(value)
}

function treeEntries(value: unknown): TreeInputEntry[] {
  if (value === undefined) throw new InvalidRequest(`"tree" wasn't supplied.`)
  if (!Array.isArray(value))
    throw new InvalidRequest(`For 'properties/tree', ${describe(value)} is not an array.`)
  return value.map((item) => {
    const o = fields(item)
    const sha = o.sha
    if (sha !== undefined && sha !== null && typeof sha !== 'string')
      throw new InvalidRequest(`For 'properties/sha', ${describe(sha)} is not a string or null.`)
    const type = optionalString(o, 'type')
    if (type !== undefined && !['blob', 'tree', 'commit'].includes(type))
      throw new InvalidRequest(
        `For 'properties/type', ${describe(type)} is not one of ["blob", "tree", "commit"].`
      )
    return {
      path: requiredString(o, 'path'),
      mode: requiredString(o, 'mode'),
      type: type as TreeInputEntry['type'],
      sha: sha as string | null | undefined,
      content: optionalString(o, 'content')
    }
  })
}

function stringArray(obj: Record<string, unknown>, key: string): string[] {
  const value = obj[key]
  if (value === undefined || value === null) return []
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))
    throw new InvalidRequest(`For 'properties/${key}', ${describe(value)} is not an array.`)
  return value as string[]
}

/** The git data API (docs/github-behaviour.md §2.1). */
export const gitDataRoutes: Route[] = [
  {
    method: 'POST',
    template: '/repos/{owner}/{repo}/git/blobs',
    handler: async (req) => {
      const obj = fields(req.body)
      const content = requiredString(obj, 'content')
      const encoding = optionalString(obj, 'encoding') ?? 'utf-8'
      if (!['utf-8', 'utf8', 'base64'].includes(encoding))
        throw new InvalidRequest(
          `For 'properties/encoding', ${describe(encoding)} is not one of ["utf-8", "base64"].`
        )
      const r = await model(req).createBlob(
        req.caller,
        req.params.owner,
        req.params.repo,
        content,
        encoding === 'base64' ? 'base64' : 'utf-8'
      )
      return req.shapes.created(shapes(req).shortBlob(r.repo, r.sha))
    }
  },
  {
    method: 'GET',
    template: '/repos/{owner}/{repo}/git/blobs/{file_sha}',
    handler: async (req) => {
      const r = await model(req).getBlob(
        req.caller,
        req.params.owner,
        req.params.repo,
        req.params.file_sha
      )
      return { status: 200, body: shapes(req).blob(r.repo, r.sha, r.bytes) }
    }
  },
  {
    method: 'POST',
    template: '/repos/{owner}/{repo}/git/trees',
    handler: async (req) => {
      const obj = fields(req.body)
      const tree = treeEntries(obj.tree)
      const r = await model(req).createTree(req.caller, req.params.owner, req.params.repo, {
        base_tree: optionalString(obj, 'base_tree'),
        tree
      })
      return req.shapes.created(shapes(req).tree(r.repo, r.sha, r.entries))
    }
  },
  {
    method: 'GET',
    template: '/repos/{owner}/{repo}/git/trees/{tree_sha}',
    handler: async (req) => {
      const recursive = req.query.get('recursive')
      const r = await model(req).getTree(
        req.caller,
        req.params.owner,
        req.params.repo,
        req.params.tree_sha,
        recursive !== null && recursive !== '' && recursive !== '0' && recursive !== 'false'
      )
      return { status: 200, body: shapes(req).tree(r.repo, r.sha, r.entries, r.truncated) }
    }
  },
  {
    method: 'POST',
    template: '/repos/{owner}/{repo}/git/commits',
    handler: async (req) => {
      const obj = fields(req.body)
      const message = requiredString(obj, 'message')
      const tree = requiredString(obj, 'tree')
      const r = await model(req).createCommit(req.caller, req.params.owner, req.params.repo, {
        message,
        tree,
        parents: stringArray(obj, 'parents'),
        author: ident(obj, 'author'),
        committer: ident(obj, 'committer')
      })
      return req.shapes.created(shapes(req).gitCommit(r.repo, r.sha, r.commit))
    }
  },
  {
    method: 'GET',
    template: '/repos/{owner}/{repo}/git/commits/{commit_sha}',
    handler: async (req) => {
      const r = await model(req).getCommit(
        req.caller,
        req.params.owner,
        req.params.repo,
        req.params.commit_sha
      )
      return { status: 200, body: shapes(req).gitCommit(r.repo, r.sha, r.commit) }
    }
  },
  {
    method: 'GET',
    template: '/repos/{owner}/{repo}/git/ref/{ref}',
    handler: async (req) => {
      const r = await model(req).getRef(
        req.caller,
        req.params.owner,
        req.params.repo,
        req.params.ref
      )
      return { status: 200, body: shapes(req).ref(r.repo, r.ref, r.sha, r.type) }
    }
  },
  {
    method: 'GET',
    template: '/repos/{owner}/{repo}/git/matching-refs/{ref}',
    handler: async (req) => {
      const r = await model(req).matchingRefs(
        req.caller,
        req.params.owner,
        req.params.repo,
        req.params.ref
      )
      const s = shapes(req)
      return { status: 200, body: r.refs.map((x) => s.ref(r.repo, x.ref, x.sha, x.type)) }
    }
  },
  {
    method: 'POST',
    template: '/repos/{owner}/{repo}/git/refs',
    handler: async (req) => {
      const obj = fields(req.body)
      const ref = requiredString(obj, 'ref')
      const sha = requiredString(obj, 'sha')
      const r = await model(req).createRef(req.caller, req.params.owner, req.params.repo, ref, sha)
      return req.shapes.created(shapes(req).ref(r.repo, r.ref, r.sha, r.type))
    }
  },
  {
    method: 'PATCH',
    template: '/repos/{owner}/{repo}/git/refs/{ref}',
    handler: async (req) => {
      const obj = fields(req.body)
      const sha = requiredString(obj, 'sha')
      if (obj.force !== undefined && typeof obj.force !== 'boolean')
        throw new InvalidRequest(`For 'properties/force', ${describe(obj.force)} is not a boolean.`)
      const r = await model(req).updateRef(
        req.caller,
        req.params.owner,
        req.params.repo,
        req.params.ref,
        sha,
        obj.force === true
      )
      return { status: 200, body: shapes(req).ref(r.repo, r.ref, r.sha, r.type) }
    }
  },
  {
    method: 'DELETE',
    template: '/repos/{owner}/{repo}/git/refs/{ref}',
    handler: async (req) => {
      await model(req).deleteRef(req.caller, req.params.owner, req.params.repo, req.params.ref)
      return { status: 204 }
    }
  }
]
