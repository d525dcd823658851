import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { randomBytes } from 'node:crypto'
import { EmulatorAdminClient } from './admin/client.js'
import { ADMIN_PREFIX, ADMIN_ROUTES } from './admin/routes.js'
import { Clock } from './clock.js'
import type { EmulatorContext } from './context.js'
import { applyEtag } from './etag.js'
import type { DomainEvents } from './events.js'
import { GitStore } from './git/store.js'
import { LfsAccounting } from './git-http/lfs-accounting.js'
import { handleGitHttp, isGitHttpPath } from './git-http/smart-http.js'
import { errorBody, NotFound, ProblemsParsingJson, RateLimitExceeded } from './errors.js'
import type { Exchange } from './exchange.js'
import { afterHandler, beforeHandler, Faults, faultOf } from './faults.js'
import { RequestHooks, type RequestHook, type RequestMatch } from './hooks.js'
import { Ledger, UNMATCHED_ROUTE } from './ledger.js'
import { Models } from './models/index.js'
import type { Caller } from './models/users.js'
import { RateLimiter, rateBucket, type RateStatus } from './rate-limit.js'
import { repositoryRedirect } from './redirects.js'
import { matchRoute, type CompiledRoute, type RouteResult } from './router.js'
import { API_ROUTES } from './routes/index.js'
import { Shapes } from './shapes/resources.js'
import { Store } from './state.js'
import { REQUEST_BODY_MAX_BYTES } from './limits.js'
import { WebhookEngine } from './webhooks/engine.js'

/** Options of `startEmulator`; every field is optional. */
export interface EmulatorOptions {
  /** TCP port; default `0` = a free port chosen by the OS. */
  port?: number
  /** Interface to listen on; default `'127.0.0.1'`. */
  host?: string
  /** Directory for `state.json`; the state is loaded on start and saved after every write. Default: memory only. */
  dataDir?: string
  /** The clock models read (default `() => new Date()`); the admin API can advance it. */
  now?: () => Date
  /** Called after every API request (admin requests excluded); the conformance suite records these. */
  onExchange?: (exchange: Exchange) => void
  /**
   * Largest request body read, in bytes; a bigger one is answered 413 and its connection closed
   * (docs/github-behaviour.md §11.3). Default `REQUEST_BODY_MAX_BYTES` (150,000,000).
   */
  requestBodyMaxBytes?: number
}

/** A running emulator. */
export interface Emulator {
  /** Base URL without trailing slash, e.g. `http://127.0.0.1:41234` (Octokit `baseUrl`). */
  readonly url: string
  readonly port: number
  /** Admin client bound to `url`. */
  readonly admin: EmulatorAdminClient
  /**
   * Runs `hook` before each matching API request is handled (see `hooks.ts`): a test's way to
   * let another writer in between a read and a write. Returns the function that removes it.
   */
  onRequest(match: RequestMatch, hook: RequestHook): () => void
  /**
   * The instance's domain events (`src/events.ts`): subscribe to see what happened (an issue
   * opened, a pull request merged, a repository renamed) without a webhook round trip.
   */
  readonly events: DomainEvents
  /** Stops listening and drops open connections. */
  close(): Promise<void>
}

/** API versions accepted in `X-GitHub-Api-Version` (docs/github-behaviour.md §8 item 18). */
const API_VERSIONS = ['2022-11-28', '2026-03-10']
const DEFAULT_API_VERSION = '2022-11-28'
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/**
 * Starts a local GitHub REST API on `host:port` (default `127.0.0.1`, a free port). State is
 * per instance: two emulators in one process share nothing. Behaviour follows
 * `docs/github-behaviour.md` §3 (issues, labels, comments, reactions), §5 (rate
 * limits) and §8 (fidelity checklist). Rejects if the port cannot be bound or `dataDir`
 * holds an unreadable `state.json`.
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const clock = new Clock(options.now)
  const store = new Store(clock, options.dataDir)
  const git = new GitStore({ dataDir: options.dataDir, clock })
  const models = new Models(store, git)
  const webhooks = new WebhookEngine({ store, models, git, clock })
  const lifetime = new AbortController()
  const ctx: EmulatorContext = {
    clock,
    store,
    models,
    ledger: new Ledger(),
    rate: new RateLimiter(clock),
    faults: new Faults(),
    git,
    lfs: new LfsAccounting(),
    webhooks,
    lifetime: lifetime.signal
  }
  const host = options.host ?? '127.0.0.1'
  const hooks = new RequestHooks()
  let url = ''
  const server = createServer((req, res) => {
    const limit = options.requestBodyMaxBytes ?? REQUEST_BODY_MAX_BYTES
    handle(ctx, req, res, url, limit, options.onExchange, hooks).catch((error: unknown) => {
      if (!lifetime.signal.aborted) console.error('[hubstore emulator]', error)
      res.destroy()
    })
  })
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const port = (server.address() as AddressInfo).port
  url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`
  webhooks.origin = url
  return {
    url,
    port,
    admin: new EmulatorAdminClient(url),
    onRequest: (match, hook) => hooks.add(match, hook),
    events: ctx.models.events,
    close: () =>
      new Promise<void>((resolve, reject) => {
        lifetime.abort()
        server.close((err) => (err ? reject(err) : resolve()))
        server.closeAllConnections()
      }).finally(() => {
        webhooks.close()
        return git.close()
      })
  }
}

/**
 * How long an idle kept-alive connection stays open, in ms (Node's default is 5,000). The
 * emulator usually shares its process with its clients (tests): when that process stalls for
 * longer than this (a synchronous schema compile, a busy machine), the next request goes out on
 * a pooled connection before the server's idle timer has run, the timer then closes it under
 * the request and the client sees `ECONNRESET` ("fetch failed"). A minute makes such a stall
 * implausible; clients (undici) follow the `Keep-Alive: timeout=60` hint and drop the socket
 * first.
 */
const KEEP_ALIVE_TIMEOUT_MS = 60_000

/** A request body over the emulator's limit (§11.3). */
class BodyTooLarge extends Error {}

/**
 * The whole request body, or BodyTooLarge as soon as it is known to be over `maxBytes`: at once
 * when `content-length` says so, else when the bytes read pass it. Reading stops there (the
 * request is paused), so memory stays bounded by the limit.
 */
function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'])
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.reject(new BodyTooLarge())
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const onData = (c: Buffer): void => {
      size += c.length
      if (size <= maxBytes) return void chunks.push(c)
      req.off('data', onData)
      req.pause()
      chunks.length = 0
      reject(new BodyTooLarge())
    }
    req.on('data', onData)
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

/**
 * GitHub's front end's answer to a body over its limit: 413 with nginx's HTML page, not a JSON
 * error (§11.3). The connection is closed after it, so the rest of the body is never read.
 */
function answerTooLarge(ctx: EmulatorContext, req: IncomingMessage, res: ServerResponse): void {
  const html =
    '<html>\r\n<head><title>413 Request Entity Too Large</title></head>\r\n<body>\r\n' +
    '<center><h1>413 Request Entity Too Large</h1></center>\r\n<hr><center>nginx</center>\r\n' +
    '</body>\r\n</html>\r\n'
  ctx.ledger.record({
    method: (req.method ?? 'GET').toUpperCase(),
    route: UNMATCHED_ROUTE,
    path: req.url ?? '/',
    status: 413,
    login: null,
    time: ctx.clock.now().toISOString(),
    bytesRead: req.socket.bytesRead
  })
  res.writeHead(413, {
    'content-type': 'text/html',
    'content-length': String(Buffer.byteLength(html)),
    connection: 'close'
  })
  res.end(html, () => req.socket.destroy())
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined
  try {
    return JSON.parse(text) as unknown
  } catch {
    throw new ProblemsParsingJson()
  }
}

function requestId(): string {
  const hex = randomBytes(12).toString('hex').toUpperCase()
  return `${hex.slice(0, 4)}:${hex.slice(4, 9)}:${hex.slice(9, 15)}:${hex.slice(15, 21)}:${hex.slice(21)}`
}

/** One request: admin, or API (auth → rate limit → route → model → encode → ledger). */
async function handle(
  ctx: EmulatorContext,
  req: IncomingMessage,
  res: ServerResponse,
  selfUrl: string,
  bodyMaxBytes: number,
  onExchange?: (exchange: Exchange) => void,
  hooks?: RequestHooks
) {
  const method = (req.method ?? 'GET').toUpperCase()
  const origin = req.headers.host ? `http://${req.headers.host}` : selfUrl
  const url = new URL(req.url ?? '/', origin)
  // git smart HTTP and Git LFS (`/<owner>/<repo>.git/...`): streamed, own auth and ledger entry
  if (isGitHttpPath(url.pathname)) return handleGitHttp(ctx, req, res, origin)
  let rawBody: Buffer
  try {
    rawBody = await readBody(req, bodyMaxBytes)
  } catch (error) {
    if (error instanceof BodyTooLarge) return answerTooLarge(ctx, req, res)
    rawBody = Buffer.alloc(0)
  }
  const shapes = new Shapes(ctx.store, origin)
  const isAdmin = url.pathname === ADMIN_PREFIX || url.pathname.startsWith(`${ADMIN_PREFIX}/`)
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' }
  let caller: Caller | null = null
  let template = UNMATCHED_ROUTE
  let result: RouteResult
  let rate: RateStatus | null = null
  /** Whether this request spent from the budget (a 304 gives it back). */
  let spent = false
  let params: Record<string, string> = {}
  let requestBody: unknown
  let drop = false
  /** A 304 answer: free in the primary rate limit, marked in the ledger. */
  let notModified = false
  try {
    if (!isAdmin) caller = ctx.models.users.authenticate(req.headers.authorization)
    const routes: CompiledRoute[] = isAdmin ? ADMIN_ROUTES : API_ROUTES
    const matched = matchRoute(routes, method, url.pathname)
    if (!isAdmin) {
      const { key, limit } = rateBucket(caller, 'core')
      if (matched?.route.rateLimited === false) rate = ctx.rate.status(key, limit)
      else {
        rate = ctx.rate.consume(key, limit)
        spent = rate !== null
        if (!rate) {
          rate = ctx.rate.status(key, limit)
          throw new RateLimitExceeded(caller ? caller.user.id : null, ctx.rate.exceededStatus(key))
        }
      }
    }
    if (!matched) throw new NotFound()
    template = matched.route.template
    params = matched.params
    const isJson = !/^application\/(octet-stream|x-git)/.test(
      String(req.headers['content-type'] ?? '')
    )
    const body =
      WRITE_METHODS.has(method) && isJson ? parseJson(rawBody.toString('utf8')) : undefined
    requestBody = body
    const request = {
      ...matched,
      query: url.searchParams,
      body,
      caller,
      shapes,
      url,
      ctx,
      rawBody,
      headers: req.headers
    }
    if (!isAdmin && hooks) {
      const login = caller ? caller.user.login : null
      const path = req.url ?? '/'
      ;({ drop } = await hooks.run({ method, route: template, path, params, login }))
    }
    const moved = isAdmin ? null : repositoryRedirect(ctx, method, template, params, url)
    const injected = isAdmin || moved ? null : await beforeHandler(ctx, method, template, caller)
    try {
      result =
        moved ?? injected ?? (await matched.route.handler({ ...request, models: ctx.models }))
    } finally {
      if (WRITE_METHODS.has(method)) ctx.store.save()
    }
  } catch (error) {
    // closed while this request waited or ran: nothing to answer to, nothing to report
    if (ctx.lifetime.aborted) return void res.destroy()
    const { status, body } = errorBody(error)
    if (status === 500) console.error(`[hubstore emulator] ${method} ${req.url ?? '/'}:`, error)
    result = { status, body }
  }
  if (!isAdmin) result = afterHandler(ctx, method, template, result)
  if (!isAdmin) {
    // The credential as presented (each installation token differs, even for one installation).
    const credential = caller ? String(req.headers.authorization ?? '').trim() : ''
    const conditional = applyEtag(method, req.headers, result, credential)
    result = conditional.result
    notModified = conditional.notModified
    if (conditional.notModified && spent) {
      const { key, limit } = rateBucket(caller, 'core')
      rate = ctx.rate.refund(key, limit)
    }
  }
  if (!isAdmin) {
    if (!rate) rate = ctx.rate.status(rateBucket(null, 'core').key, rateBucket(null, 'core').limit)
    const requested = String(req.headers['x-github-api-version'] ?? '')
    Object.assign(headers, {
      'x-github-api-version-selected': API_VERSIONS.includes(requested)
        ? requested
        : DEFAULT_API_VERSION,
      'x-github-media-type': 'github.v3; format=json',
      // GitHub's Date header, from the emulator's clock (which tests can advance), not the host's.
      date: ctx.clock.now().toUTCString(),
      'x-github-request-id': requestId(),
      'x-ratelimit-limit': String(rate.limit),
      'x-ratelimit-remaining': String(rate.remaining),
      'x-ratelimit-reset': String(rate.reset),
      'x-ratelimit-resource': 'core',
      'x-ratelimit-used': String(rate.used)
    })
    ctx.ledger.record({
      method,
      route: template,
      path: req.url ?? '/',
      status: result.status,
      login: caller ? caller.user.login : null,
      time: ctx.clock.now().toISOString(),
      ...faultOf(result),
      ...(notModified ? { notModified: true } : {})
    })
  }
  // A hook asked for the answer to be lost: the handler ran, the client sees a dropped connection.
  if (drop) return void res.destroy()
  Object.assign(headers, result.headers ?? {})
  res.writeHead(result.status, headers)
  if (onExchange && !isAdmin)
    onExchange(exchangeOf(method, template, params, url, req, requestBody, result, headers))
  if (result.raw !== undefined) res.end(result.raw)
  else
    res.end(
      result.status === 204 || result.body === undefined ? undefined : JSON.stringify(result.body)
    )
}

/** What `onExchange` receives; the response body is parsed back when it is JSON. */
function exchangeOf(
  method: string,
  route: string,
  params: Record<string, string>,
  url: URL,
  req: IncomingMessage,
  requestBody: unknown,
  result: RouteResult,
  headers: Record<string, string>
): Exchange {
  const responseHeaders = Object.fromEntries(
    Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])
  )
  let responseBody: unknown = result.raw === undefined ? result.body : undefined
  if (result.raw !== undefined && /json/.test(responseHeaders['content-type'] ?? ''))
    try {
      responseBody = JSON.parse(result.raw.toString()) as unknown
    } catch {
      responseBody = undefined
    }
  if (result.status === 204) responseBody = undefined
  return {
    method,
    route,
    params,
    path: url.pathname,
    status: result.status,
    query: Object.fromEntries(url.searchParams),
    requestHeaders: req.headers,
    requestBody,
    responseHeaders,
    responseBody:
      responseBody === undefined ? undefined : (JSON.parse(JSON.stringify(responseBody)) as unknown)
  }
}
