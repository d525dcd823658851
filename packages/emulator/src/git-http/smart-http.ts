import { spawn } from 'node:child_process'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { devNull } from 'node:os'
import { basename, dirname } from 'node:path'
import { ApiError, GitAuthenticationRequired } from '../errors.js'
import { pushEvent } from '../events.js'
import { UNMATCHED_ROUTE } from '../ledger.js'
import { gitAuthorize, gitCaller } from './auth.js'
import type { GitHttpContext } from './context.js'
import { clientGone, handleLfs } from './lfs.js'

/**
 * Git smart HTTP (`/<owner>/<repo>.git/info/refs`, `…/git-upload-pack`, `…/git-receive-pack`)
 * served by the real `git http-backend` as a CGI child process, over the bare repositories of
 * the git object store; `…/info/lfs/…` goes to the Git LFS API (`lfs.ts`). Credentials: the
 * token as HTTP Basic password, or `Authorization: token|Bearer <token>` (see `auth.ts`).
 */

const GIT_PATH = /^\/([^/]+)\/([^/]+)\.git(\/.*)$/

/** Largest request body `git http-backend` buffers (its `GIT_HTTP_MAX_REQUEST_BUFFER`). */
export const GIT_HTTP_MAX_REQUEST_BUFFER = '100M'

/** GitHub's answer to dumb-HTTP clients (`info/refs` without `?service=`). */
const DUMB_HTTP_MESSAGE =
  'Please upgrade your git client. GitHub.com no longer supports git over dumb-http: https://github.com/blog/809-git-dumb-http-transport-to-be-turned-off-in-90-days'

/** True for paths git and git-lfs use: `/<owner>/<repo>.git/…`. */
export function isGitHttpPath(pathname: string): boolean {
  return GIT_PATH.test(pathname)
}

/** Owner, repository and the rest of a git path (`/info/refs`), URL-decoded; `null` otherwise. */
export function parseGitPath(
  pathname: string
): { owner: string; repo: string; rest: string } | null {
  const m = GIT_PATH.exec(pathname)
  if (!m) return null
  try {
    return { owner: decodeURIComponent(m[1]), repo: decodeURIComponent(m[2]), rest: m[3] }
  } catch {
    return null
  }
}

/** Route templates recorded in the ledger for git and LFS requests. */
export const GIT_ROUTES = {
  infoRefs: '/{owner}/{repo}.git/info/refs',
  uploadPack: '/{owner}/{repo}.git/git-upload-pack',
  receivePack: '/{owner}/{repo}.git/git-receive-pack'
} as const

/**
 * Answers one request under `/<owner>/<repo>.git/` (the server routes here before the REST API)
 * and records it in the ledger (route template, path with query, status, the token's login).
 * Git requests spend no REST rate limit (as on GitHub). Auth: `gitAuthorize` (`auth.ts`).
 * `git-receive-pack` runs under the repository lock, then `ctx.git.refsChanged` announces the
 * push. A repository record without a bare repository on disk gets an empty one first.
 * Never rejects: failures become `text/plain` answers that git prints as `remote: …` (LFS
 * failures are LFS JSON); a failure after the answer started destroys the connection.
 */
export async function handleGitHttp(
  ctx: GitHttpContext,
  req: IncomingMessage,
  res: ServerResponse,
  origin: string
): Promise<void> {
  const time = ctx.clock.now().toISOString()
  const method = (req.method ?? 'GET').toUpperCase()
  const url = new URL(req.url ?? '/', origin)
  const target = parseGitPath(url.pathname)
  let template: string = UNMATCHED_ROUTE
  let login: string | null = null
  try {
    if (!target) throw new ApiError(404, 'Not Found')
    if (target.rest === '/info/lfs' || target.rest.startsWith('/info/lfs/')) {
      const done = await handleLfs(ctx, req, res, { ...target, origin })
      template = done.template
      login = done.login
      return
    }
    const service = serviceOf(target.rest, url.searchParams)
    if (!service) throw new ApiError(404, 'Not Found')
    template = service.template
    if (method !== service.method) throw new ApiError(405, 'Method Not Allowed')
    if (service.name === null) throw new ApiError(403, DUMB_HTTP_MESSAGE)
    const caller = gitCaller(ctx.models, req.headers.authorization)
    login = caller ? caller.user.login : null
    const push = service.name === 'git-receive-pack'
    const record = gitAuthorize(
      ctx.models,
      caller,
      target.owner,
      target.repo,
      push ? 'write' : 'read'
    )
    if (!ctx.git.exists(record.owner, record.name))
      await ctx.git.withRepoLock(record.owner, record.name, () =>
        ctx.git.init(record.owner, record.name, {
          defaultBranch: record.default_branch,
          autoInit: false
        })
      )
    const repoPath = ctx.git.repoPath(record.owner, record.name)
    const run = () =>
      runHttpBackend(req, res, {
        repoPath,
        rest: target.rest,
        query: url.search.replace(/^\?/, ''),
        remoteUser: login,
        remoteAddr: req.socket.remoteAddress ?? '127.0.0.1',
        receivePack: push
      })
    if (push && service.template === GIT_ROUTES.receivePack) {
      // the push events are emitted after the answer is sent: `settle()` must wait for them
      await ctx.webhooks.hold(
        ctx.git.withRepoLock(record.owner, record.name, async () => {
          const before = new Map(await ctx.git.refs(record.owner, record.name))
          try {
            await run()
          } finally {
            // even a failed or aborted push may have moved some refs
            ctx.git.refsChanged(record.owner, record.name)
            const after = await ctx.git.refs(record.owner, record.name)
            emitPushes(ctx, `${record.owner}/${record.name}`, before, after, login ?? record.owner)
          }
        })
      )
    } else await run()
  } catch (error) {
    sendGitError(res, error)
  } finally {
    ctx.ledger.record({
      method,
      route: template,
      path: req.url ?? '/',
      status: res.statusCode,
      login,
      time
    })
  }
}

/**
 * One `push` domain event per ref the push moved (`before` → `after` snapshots of the refs),
 * each told how many tags the same push moved: GitHub sends no push event for tags when more
 * than three are pushed at once (docs/github-behaviour.md §7.1).
 */
function emitPushes(
  ctx: GitHttpContext,
  repo: string,
  before: Map<string, string>,
  after: Map<string, string>,
  sender: string
): void {
  const moved = [...new Set([...before.keys(), ...after.keys()])].filter(
    (ref) => before.get(ref) !== after.get(ref)
  )
  const tags = moved.filter((ref) => ref.startsWith('refs/tags/')).length
  for (const ref of moved.sort())
    ctx.models.events.emit(
      pushEvent(repo, ref, before.get(ref) ?? null, after.get(ref) ?? null, sender, tags)
    )
}

interface Service {
  template: string
  method: 'GET' | 'POST'
  /** `null`: `info/refs` without a smart-HTTP `service` (a dumb-HTTP client). */
  name: 'git-upload-pack' | 'git-receive-pack' | null
}

function serviceOf(rest: string, query: URLSearchParams): Service | null {
  if (rest === '/info/refs') {
    const name = query.get('service')
    return {
      template: GIT_ROUTES.infoRefs,
      method: 'GET',
      name: name === 'git-upload-pack' || name === 'git-receive-pack' ? name : null
    }
  }
  if (rest === '/git-upload-pack')
    return { template: GIT_ROUTES.uploadPack, method: 'POST', name: 'git-upload-pack' }
  if (rest === '/git-receive-pack')
    return { template: GIT_ROUTES.receivePack, method: 'POST', name: 'git-receive-pack' }
  return null
}

/** Writes a git failure as `text/plain` (401s carry `WWW-Authenticate: Basic realm="GitHub"`). */
function sendGitError(res: ServerResponse, error: unknown): void {
  const e = error instanceof ApiError ? error : new ApiError(500, 'Internal Server Error')
  if (e.status === 500 && !clientGone(res, error))
    console.error('[hubstore emulator] git over HTTP:', error)
  if (res.headersSent || res.destroyed) {
    res.destroy()
    return
  }
  const headers: Record<string, string> = { 'content-type': 'text/plain; charset=utf-8' }
  if (e.status === 401 || error instanceof GitAuthenticationRequired)
    headers['www-authenticate'] = 'Basic realm="GitHub"'
  res.writeHead(e.status, headers)
  res.end(`${e.message}\n`)
}

/** One CGI invocation of `git http-backend`. */
interface BackendRequest {
  /** The bare repository (`<root>/repos/<owner>/<repo>.git`). */
  repoPath: string
  /** Path below the repository, e.g. `/info/refs`. */
  rest: string
  /** Query string without `?`. */
  query: string
  /** The token's login, `null` when anonymous. */
  remoteUser: string | null
  remoteAddr: string
  /** Enable `git-receive-pack` (`http.receivepack=true`; the caller checked write access). */
  receivePack: boolean
}

/** Config passed to `git http-backend` through `GIT_CONFIG_COUNT/KEY/VALUE`, never on disk. */
function backendConfig(receivePack: boolean): Array<[string, string]> {
  return [
    ['http.uploadpack', 'true'],
    ['http.receivepack', receivePack ? 'true' : 'false'],
    ['http.getanyfile', 'false'],
    ['uploadpack.allowFilter', 'true']
  ]
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name]
  return Array.isArray(value) ? value.join(', ') : value
}

/**
 * Runs `git http-backend` for one request: CGI environment from the request (method, path,
 * query, content type/length, `Content-Encoding` and `Git-Protocol` as `HTTP_*`), the request
 * body streamed to its stdin, its `Status:` and headers parsed, its body streamed back.
 * Resolves with the HTTP status sent once the child has exited and the answer is written.
 * The child sees no `Authorization` header and no user or system git config.
 */
export function runHttpBackend(
  req: IncomingMessage,
  res: ServerResponse,
  b: BackendRequest
): Promise<number> {
  const config = backendConfig(b.receivePack)
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: devNull,
    GIT_CONFIG_COUNT: String(config.length),
    GIT_PROJECT_ROOT: dirname(dirname(b.repoPath)),
    GIT_HTTP_EXPORT_ALL: '1',
    GIT_HTTP_MAX_REQUEST_BUFFER,
    GATEWAY_INTERFACE: 'CGI/1.1',
    SERVER_PROTOCOL: 'HTTP/1.1',
    REQUEST_METHOD: (req.method ?? 'GET').toUpperCase(),
    PATH_INFO: `/${basename(dirname(b.repoPath))}/${basename(b.repoPath)}${b.rest}`,
    QUERY_STRING: b.query,
    CONTENT_TYPE: header(req, 'content-type') ?? '',
    REMOTE_ADDR: b.remoteAddr
  }
  config.forEach(([key, value], i) => {
    env[`GIT_CONFIG_KEY_${i}`] = key
    env[`GIT_CONFIG_VALUE_${i}`] = value
  })
  const length = header(req, 'content-length')
  if (length !== undefined) env.CONTENT_LENGTH = length
  const encoding = header(req, 'content-encoding')
  if (encoding !== undefined) env.HTTP_CONTENT_ENCODING = encoding
  const protocol = header(req, 'git-protocol')
  if (protocol !== undefined) env.HTTP_GIT_PROTOCOL = protocol
  if (b.remoteUser !== null) {
    env.REMOTE_USER = b.remoteUser
    env.GIT_COMMITTER_NAME = b.remoteUser
    env.GIT_COMMITTER_EMAIL = `${b.remoteUser}@users.noreply.github.com`
  }

  return new Promise<number>((resolve, reject) => {
    const child = spawn('git', ['http-backend'], { env, stdio: ['pipe', 'pipe', 'pipe'] })
    const stderr: Buffer[] = []
    let stderrBytes = 0
    let head = Buffer.alloc(0)
    let headersDone = false
    let exited = false
    let exitCode: number | null = null
    let finished = false

    const settle = () => {
      if (exited && finished) resolve(res.statusCode)
    }
    child.on('error', (error) => {
      req.unpipe(child.stdin)
      reject(error)
    })
    child.stdin.on('error', () => undefined) // the child may exit before reading everything
    req.pipe(child.stdin)
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderrBytes < 65_536) stderr.push(chunk)
      stderrBytes += chunk.length
    })
    res.on('close', () => {
      if (!res.writableFinished && child.exitCode === null) child.kill()
      finished = true
      settle()
    })

    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk])
      const end = headerEnd(head)
      if (!end) return
      headersDone = true
      child.stdout.off('data', onData)
      const { status, headers } = parseCgiHeaders(head.subarray(0, end.index).toString('latin1'))
      res.writeHead(status, headers)
      const restOfBody = head.subarray(end.index + end.length)
      if (restOfBody.length > 0) res.write(restOfBody)
      child.stdout.pipe(res)
    }
    child.stdout.on('data', onData)
    child.stdout.on('end', () => {
      if (headersDone) return
      res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' })
      res.end('git http-backend gave no answer\n')
    })
    child.on('close', (code) => {
      exited = true
      exitCode = code
      if (exitCode !== 0)
        console.error(
          `[hubstore emulator] git http-backend exited with ${String(exitCode)}:`,
          Buffer.concat(stderr).toString('utf8').trim()
        )
      settle()
    })
  })
}

function headerEnd(buf: Buffer): { index: number; length: number } | null {
  const crlf = buf.indexOf('\r\n\r\n')
  const lf = buf.indexOf('\n\n')
  if (crlf >= 0 && (lf < 0 || crlf <= lf)) return { index: crlf, length: 4 }
  if (lf >= 0) return { index: lf, length: 2 }
  return null
}

/** Parses a CGI header block: `Status: 404 Not Found` plus ordinary headers. */
export function parseCgiHeaders(block: string): {
  status: number
  headers: Record<string, string>
} {
  let status = 200
  const headers: Record<string, string> = {}
  for (const line of block.split(/\r?\n/)) {
    const colon = line.indexOf(':')
    if (colon <= 0) continue
    const name = line.slice(0, colon).trim().toLowerCase()
    const value = line.slice(colon + 1).trim()
    if (name === 'status') {
      const code = Number.parseInt(value, 10)
      if (code >= 100 && code <= 599) status = code
    } else headers[name] = value
  }
  return { status, headers }
}
