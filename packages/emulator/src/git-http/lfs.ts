import { createHash, randomBytes } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdir, rename, rm, stat } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { basename, dirname, join } from 'node:path'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import {
  ApiError,
  DOCUMENTATION_URL,
  LfsObjectDoesNotExist,
  LfsValidationFailed
} from '../errors.js'
import { UNMATCHED_ROUTE } from '../ledger.js'
import type { Caller } from '../models/users.js'
import type { RepoRecord } from '../state.js'
import { gitAuthorize, gitCaller, type GitNeed } from './auth.js'
import type { GitHttpContext, GitRepoStore } from './context.js'
import { storedObjects } from './lfs-accounting.js'

/**
 * Git LFS over the emulator's origin: the Batch API (`POST …/info/lfs/objects/batch`,
 * operations `upload` and `download`, transfer `basic`), the basic transfer object endpoints
 * (`PUT`/`GET …/info/lfs/objects/{oid}`), verify (`POST …/info/lfs/objects/verify`) and an empty
 * locks API (`GET …/locks`, `POST …/locks/verify`), so `git lfs push` / smudge work against it.
 * Objects live at `<git root>/lfs/<owner>/<repo>/<oid[0..2]>/<oid[2..4]>/<oid>`. Uploads,
 * downloads and quotas are accounted per repository in `lfs-accounting.ts` (`ctx.lfs`).
 * Spec: git-lfs https://github.com/git-lfs/git-lfs/blob/HEAD/docs/api/batch.md and
 * https://github.com/git-lfs/git-lfs/blob/HEAD/docs/api/basic-transfers.md.
 */

/** Media type of every LFS API request and answer. */
export const LFS_MEDIA_TYPE = 'application/vnd.git-lfs+json'

/** Lifetime of the `upload` / `download` / `verify` actions handed out, seconds. */
export const LFS_ACTION_EXPIRES_IN_SECONDS = 3600

/** Largest batch or verify request body read, bytes (larger → 413). */
export const LFS_MAX_JSON_BODY_BYTES = 10 * 1024 * 1024

/** Route templates recorded in the ledger for LFS requests. */
export const LFS_ROUTES = {
  batch: '/{owner}/{repo}.git/info/lfs/objects/batch',
  verify: '/{owner}/{repo}.git/info/lfs/objects/verify',
  object: '/{owner}/{repo}.git/info/lfs/objects/{oid}',
  locks: '/{owner}/{repo}.git/info/lfs/locks',
  locksVerify: '/{owner}/{repo}.git/info/lfs/locks/verify'
} as const

const OID = /^[0-9a-f]{64}$/

/** Where the LFS object `oid` of the bare repository at `repoPath` is stored. */
export function lfsObjectPath(git: GitRepoStore, repoPath: string, oid: string): string {
  return join(lfsRepoDir(git, repoPath), oid.slice(0, 2), oid.slice(2, 4), oid)
}

/** The directory holding every LFS object of the bare repository at `repoPath`. */
export function lfsRepoDir(git: GitRepoStore, repoPath: string): string {
  const owner = basename(dirname(repoPath))
  const repo = basename(repoPath).replace(/\.git$/, '')
  return join(git.root, 'lfs', owner, repo)
}

/** One LFS request as routed: the repository from the URL and the path below `.git`. */
interface LfsTarget {
  owner: string
  repo: string
  /** e.g. `/info/lfs/objects/batch`. */
  rest: string
  /** Origin the client reached the emulator on (`http://127.0.0.1:1234`), for action hrefs. */
  origin: string
}

interface LfsRoute {
  template: string
  method: 'GET' | 'POST' | 'PUT'
  need: GitNeed
  oid?: string
  run: (c: LfsCall) => Promise<void>
}

interface LfsCall {
  ctx: GitHttpContext
  req: IncomingMessage
  res: ServerResponse
  target: LfsTarget
  caller: Caller | null
  record: RepoRecord
  oid?: string
}

function route(rest: string): LfsRoute | null {
  if (rest === '/info/lfs/objects/batch')
    return { template: LFS_ROUTES.batch, method: 'POST', need: 'read', run: batch }
  if (rest === '/info/lfs/objects/verify')
    return { template: LFS_ROUTES.verify, method: 'POST', need: 'write', run: verify }
  if (rest === '/info/lfs/locks')
    return { template: LFS_ROUTES.locks, method: 'GET', need: 'read', run: listLocks }
  if (rest === '/info/lfs/locks/verify')
    return { template: LFS_ROUTES.locksVerify, method: 'POST', need: 'write', run: verifyLocks }
  const m = /^\/info\/lfs\/objects\/([^/]+)$/.exec(rest)
  if (m) return { template: LFS_ROUTES.object, method: 'GET', need: 'read', oid: m[1], run: get }
  return null
}

/**
 * Answers one LFS request (the caller records it in the ledger with the returned template and
 * login). Auth as git over HTTP (`gitAuthorize`): downloads need read, uploads, verify and
 * locks/verify need write. Failures are `{message, documentation_url}` in the LFS media type;
 * 401s carry `LFS-Authenticate` and `WWW-Authenticate: Basic realm="GitHub"`.
 */
export async function handleLfs(
  ctx: GitHttpContext,
  req: IncomingMessage,
  res: ServerResponse,
  target: LfsTarget
): Promise<{ template: string; login: string | null }> {
  const method = (req.method ?? 'GET').toUpperCase()
  let template: string = UNMATCHED_ROUTE
  let login: string | null = null
  try {
    const found = route(target.rest)
    if (!found) throw new ApiError(404, 'Not Found')
    template = found.template
    let r = found
    if (found.template === LFS_ROUTES.object && method === 'PUT')
      r = { ...found, method: 'PUT', need: 'write', run: put }
    if (method !== r.method) throw new ApiError(405, 'Method Not Allowed')
    const caller = gitCaller(ctx.models, req.headers.authorization)
    login = caller ? caller.user.login : null
    if (r.oid !== undefined && !OID.test(r.oid))
      throw new LfsValidationFailed(`Invalid object id: ${r.oid}`)
    const record = gitAuthorize(ctx.models, caller, target.owner, target.repo, r.need)
    await r.run({ ctx, req, res, target, caller, record, oid: r.oid })
  } catch (error) {
    sendLfsError(res, error)
  }
  return { template, login }
}

/** True when the failure is the client going away (its socket closed mid-answer). */
export function clientGone(res: ServerResponse, error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return res.destroyed || code === 'ERR_STREAM_PREMATURE_CLOSE' || code === 'ECONNRESET'
}

function sendLfsError(res: ServerResponse, error: unknown): void {
  const e = error instanceof ApiError ? error : new ApiError(500, 'Internal Server Error')
  if (e.status === 500 && !clientGone(res, error))
    console.error('[hubstore emulator] Git LFS:', error)
  if (res.headersSent || res.destroyed) {
    res.destroy()
    return
  }
  const headers: Record<string, string> = { 'content-type': LFS_MEDIA_TYPE }
  if (e.status === 401) {
    headers['lfs-authenticate'] = 'Basic realm="GitHub"'
    headers['www-authenticate'] = 'Basic realm="GitHub"'
  }
  sendJson(res, e.status, { message: e.message, documentation_url: DOCUMENTATION_URL }, headers)
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = { 'content-type': LFS_MEDIA_TYPE }
): void {
  res.writeHead(status, headers)
  res.end(JSON.stringify(body))
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > LFS_MAX_JSON_BODY_BYTES) throw new ApiError(413, 'Request body too large')
    chunks.push(chunk)
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'))
  } catch {
    throw new ApiError(400, 'Problems parsing JSON')
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new LfsValidationFailed('The request body must be a JSON object')
  return parsed as Record<string, unknown>
}

async function storedSize(path: string): Promise<number | null> {
  try {
    const s = await stat(path)
    return s.isFile() ? s.size : null
  } catch {
    return null
  }
}

function objectHref(c: LfsCall, oid: string, action: 'object' | 'verify'): string {
  const base = `${c.target.origin}/${encodeURIComponent(c.record.owner)}/${encodeURIComponent(c.record.name)}.git/info/lfs/objects`
  return action === 'verify' ? `${base}/verify` : `${base}/${oid}`
}

/** The action object: `href`, the client's own `Authorization` (so it can reuse it), expiry. */
function action(c: LfsCall, href: string) {
  const authorization = c.req.headers.authorization
  return {
    href,
    ...(authorization ? { header: { Authorization: authorization } } : {}),
    expires_in: LFS_ACTION_EXPIRES_IN_SECONDS
  }
}

/**
 * `POST …/info/lfs/objects/batch`: `{operation, transfers?, ref?, objects: [{oid, size}],
 * hash_algo?}` → `{transfer: 'basic', objects, hash_algo: 'sha256'}`. Upload needs write; an
 * object already stored is answered without `actions`. A download of a missing object gets a
 * per-object `error {code: 404, message: 'Object does not exist'}`; a malformed object
 * `error {code: 422}`.
 */
async function batch(c: LfsCall): Promise<void> {
  const body = await readJson(c.req)
  const operation = body.operation
  if (operation !== 'upload' && operation !== 'download')
    throw new LfsValidationFailed('"operation" must be "upload" or "download"')
  if (operation === 'upload')
    gitAuthorize(c.ctx.models, c.caller, c.target.owner, c.target.repo, 'write')
  if (body.hash_algo !== undefined && body.hash_algo !== 'sha256')
    throw new ApiError(409, `Unsupported hash algorithm: ${String(body.hash_algo)}`)
  const transfers = body.transfers
  if (
    transfers !== undefined &&
    (!Array.isArray(transfers) || (transfers.length > 0 && !transfers.includes('basic')))
  )
    throw new LfsValidationFailed('Only the "basic" transfer adapter is supported')
  if (!Array.isArray(body.objects)) throw new LfsValidationFailed('"objects" must be an array')
  const repoPath = c.ctx.git.repoPath(c.record.owner, c.record.name)
  const fullName = `${c.record.owner}/${c.record.name}`
  const objects = []
  let newBytes = 0
  for (const item of body.objects as unknown[]) {
    const obj = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>
    const oid = typeof obj.oid === 'string' ? obj.oid : ''
    const size = obj.size
    if (!OID.test(oid) || typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
      objects.push({ oid, size, error: { code: 422, message: 'Invalid object' } })
      continue
    }
    const stored = await storedSize(lfsObjectPath(c.ctx.git, repoPath, oid))
    if (operation === 'download') {
      if (stored === null)
        objects.push({ oid, size, error: { code: 404, message: 'Object does not exist' } })
      else
        objects.push({
          oid,
          size: stored,
          authenticated: true,
          actions: { download: action(c, objectHref(c, oid, 'object')) }
        })
    } else if (stored === size) objects.push({ oid, size, authenticated: true })
    else {
      newBytes += size
      objects.push({
        oid,
        size,
        authenticated: true,
        actions: {
          upload: action(c, objectHref(c, oid, 'object')),
          verify: action(c, objectHref(c, oid, 'verify'))
        }
      })
    }
  }
  const storedBytes =
    operation === 'upload' ? (await storedObjects(lfsRepoDir(c.ctx.git, repoPath))).bytes : 0
  c.ctx.lfs.check(fullName, operation, storedBytes, newBytes)
  sendJson(c.res, 200, { transfer: 'basic', objects, hash_algo: 'sha256' })
}

/**
 * `PUT …/info/lfs/objects/{oid}` (basic upload): streams the body to a temporary file while
 * hashing it, checks sha256 = oid (and the byte count = `Content-Length` when sent), then
 * renames it into place. 422 `LfsValidationFailed` on a mismatch (nothing is stored).
 */
async function put(c: LfsCall): Promise<void> {
  const oid = c.oid as string
  const repoPath = c.ctx.git.repoPath(c.record.owner, c.record.name)
  const final = lfsObjectPath(c.ctx.git, repoPath, oid)
  const tmpDir = join(c.ctx.git.root, 'lfs', '.tmp')
  await mkdir(tmpDir, { recursive: true })
  const tmp = join(tmpDir, `${oid}.${randomBytes(8).toString('hex')}`)
  const hash = createHash('sha256')
  let size = 0
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk)
      size += chunk.length
      done(null, chunk)
    }
  })
  try {
    await pipeline(c.req, meter, createWriteStream(tmp))
    const declared = c.req.headers['content-length']
    if (declared !== undefined && Number(declared) !== size)
      throw new LfsValidationFailed(`Expected ${declared} bytes, received ${size}`)
    const actual = hash.digest('hex')
    if (actual !== oid)
      throw new LfsValidationFailed(`Object content has sha256 ${actual}, not ${oid}`)
    await mkdir(dirname(final), { recursive: true })
    await rename(tmp, final)
    c.ctx.lfs.uploaded(`${c.record.owner}/${c.record.name}`, size)
  } finally {
    await rm(tmp, { force: true })
  }
  c.res.writeHead(200, { 'content-length': '0' })
  c.res.end()
}

/**
 * `GET …/info/lfs/objects/{oid}` (basic download): the bytes, or 404 `Object does not exist`.
 * The bytes sent count as downloaded (the bandwidth quota's meter), as they are sent.
 */
async function get(c: LfsCall): Promise<void> {
  const oid = c.oid as string
  const repoPath = c.ctx.git.repoPath(c.record.owner, c.record.name)
  const path = lfsObjectPath(c.ctx.git, repoPath, oid)
  const size = await storedSize(path)
  if (size === null) throw new LfsObjectDoesNotExist()
  c.req.resume() // a GET has no body; consume it so the response can complete
  c.res.writeHead(200, {
    'content-type': 'application/octet-stream',
    'content-length': String(size)
  })
  // Each chunk is counted before it is written, so the bytes a client has received are always
  // counted by the time it can send its next request (counting after the pipeline ended raced
  // with that request under load: a quota check could miss the last download).
  const full = `${c.record.owner}/${c.record.name}`
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      c.ctx.lfs.downloaded(full, chunk.length)
      done(null, chunk)
    }
  })
  await pipeline(createReadStream(path), meter, c.res)
}

/** `POST …/info/lfs/objects/verify` `{oid, size}`: 200 when stored with that size, else 404 / 422. */
async function verify(c: LfsCall): Promise<void> {
  const body = await readJson(c.req)
  const oid = typeof body.oid === 'string' ? body.oid : ''
  if (!OID.test(oid) || typeof body.size !== 'number')
    throw new LfsValidationFailed('"oid" and "size" are required')
  const repoPath = c.ctx.git.repoPath(c.record.owner, c.record.name)
  const stored = await storedSize(lfsObjectPath(c.ctx.git, repoPath, oid))
  if (stored === null) throw new LfsObjectDoesNotExist()
  if (stored !== body.size)
    throw new LfsValidationFailed(`Object ${oid} has ${stored} bytes, not ${body.size}`)
  sendJson(c.res, 200, {})
}

/** `GET …/info/lfs/locks`: the emulator keeps no LFS locks. */
async function listLocks(c: LfsCall): Promise<void> {
  sendJson(c.res, 200, { locks: [] })
}

/** `POST …/info/lfs/locks/verify` (git-lfs asks before pushing): no locks, ours or theirs. */
async function verifyLocks(c: LfsCall): Promise<void> {
  await readJson(c.req).catch(() => ({}))
  sendJson(c.res, 200, { ours: [], theirs: [] })
}
