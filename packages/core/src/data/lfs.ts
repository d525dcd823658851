/**
 * A Git LFS Batch API client over `fetch` (docs/persist-data.md §4): one batch call per backup
 * says which packs are new, basic-transfer uploads, verify and downloads. The token is sent
 * only in the `Authorization` header of requests to the LFS endpoint itself; transfer requests
 * carry only the headers the batch answer gave for them, so a token never reaches another host,
 * a URL, argv, a file or a log line.
 */
import { createHash } from 'node:crypto'
import { LfsQuotaExceededError, LfsRequestError } from '../errors/data.js'
import type { RepoContext } from '../github/context.js'

/**
 * Downloads at once, 4: enough to keep hashing and writing busy while the next object arrives
 * (git-lfs's own default, `lfs.concurrenttransfers`, is 8:
 * https://github.com/git-lfs/git-lfs/blob/main/docs/man/git-lfs-config.adoc).
 */
export const DOWNLOAD_CONCURRENCY = 4

/** Media type of every LFS API request and answer. */
export const LFS_MEDIA_TYPE = 'application/vnd.git-lfs+json'

/** An LFS object: its SHA-256 oid and size in bytes. */
export interface LfsObject {
  oid: string
  size: number
}

interface LfsAction {
  href: string
  header?: Record<string, string>
}

/** The batch answer for one object. */
export interface LfsBatchEntry extends LfsObject {
  actions?: { upload?: LfsAction; verify?: LfsAction; download?: LfsAction }
  error?: { code: number; message: string }
}

/** Where and how to reach the LFS endpoint of one repository. */
export interface LfsClientOptions {
  /** `<server>/<owner>/<repo>.git/info/lfs` */
  endpoint: string
  /** sent as HTTP Basic `x-access-token:<token>`; `''` = anonymous */
  token: string
  /** the `fetch` to use (default the global one) */
  fetch?: typeof fetch
}

/**
 * The web server of an API base URL: `https://api.github.com` → `https://github.com`,
 * `https://ghes.example/api/v3` → `https://ghes.example`, anything else (the emulator, which
 * serves API and git on one origin) unchanged.
 */
export function serverUrlOf(apiBaseUrl: string): string {
  const base = apiBaseUrl.replace(/\/+$/, '')
  if (base === 'https://api.github.com') return 'https://github.com'
  return base.replace(/\/api\/v3$/, '')
}

/**
 * An LFS client for the repository of `ctx`, with the token and API base URL of its Octokit
 * (`octokit.auth()`); `serverUrl` overrides the web server (`GITHUB_SERVER_URL`).
 */
export async function lfsClientFor(
  ctx: RepoContext,
  options: { serverUrl?: string; fetch?: typeof fetch } = {}
): Promise<LfsClient> {
  const auth = (await ctx.octokit.auth()) as { token?: string }
  const api = ctx.octokit.request.endpoint.DEFAULTS.baseUrl
  const server = (options.serverUrl ?? serverUrlOf(api)).replace(/\/+$/, '')
  return new LfsClient({
    endpoint: `${server}/${encodeURIComponent(ctx.owner)}/${encodeURIComponent(ctx.repo)}.git/info/lfs`,
    token: auth.token ?? '',
    fetch: options.fetch
  })
}

/** A Git LFS client for one repository. Counts the bytes it moved. */
export class LfsClient {
  /** bytes sent by uploads */
  uploadedBytes = 0
  /** bytes received by downloads */
  downloadedBytes = 0
  /** `<server>/<owner>/<repo>.git/info/lfs` */
  readonly endpoint: string
  // private (#) so the token is in no enumerable field, log line or serialized client
  readonly #authorization: string | undefined
  readonly #fetch: typeof fetch

  constructor(options: LfsClientOptions) {
    this.endpoint = options.endpoint.replace(/\/+$/, '')
    this.#authorization = options.token
      ? `Basic ${Buffer.from(`x-access-token:${options.token}`).toString('base64')}`
      : undefined
    this.#fetch = options.fetch ?? fetch
  }

  /**
   * `POST …/objects/batch` for `objects`. 1 request (none for an empty list).
   *
   * @throws LfsQuotaExceededError when the server says the repository is over its quota.
   * @throws LfsRequestError for any other failure of the request.
   */
  async batch(operation: 'upload' | 'download', objects: LfsObject[]): Promise<LfsBatchEntry[]> {
    if (objects.length === 0) return []
    const res = await this.call(`${operation} batch`, `${this.endpoint}/objects/batch`, {
      method: 'POST',
      headers: {
        accept: LFS_MEDIA_TYPE,
        'content-type': LFS_MEDIA_TYPE,
        ...(this.#authorization ? { authorization: this.#authorization } : {})
      },
      body: JSON.stringify({ operation, transfers: ['basic'], objects, hash_algo: 'sha256' })
    })
    const body = (await res.json().catch(() => ({}))) as { objects?: LfsBatchEntry[] }
    if (!Array.isArray(body.objects))
      throw new LfsRequestError(`${operation} batch`, res.status, 'the answer has no "objects"')
    return body.objects
  }

  /**
   * Uploads the objects the server does not have: one batch call, then a `PUT` (and a verify,
   * when asked) per new object, one at a time. `bytesOf` gives an object's bytes (read when its
   * upload starts, so one object is in memory at a time); `onUploaded` is told the size (bytes)
   * of each object once it is uploaded. Returns the oids uploaded.
   */
  async uploadMissing(
    objects: LfsObject[],
    bytesOf: (oid: string) => Uint8Array | Promise<Uint8Array>,
    onUploaded?: (bytes: number) => void
  ): Promise<string[]> {
    const answers = await this.batch('upload', objects)
    const uploaded: string[] = []
    for (const entry of answers) {
      if (entry.error)
        throw new LfsRequestError(`upload ${entry.oid}`, entry.error.code, entry.error.message)
      const upload = entry.actions?.upload
      if (!upload) continue
      const bytes = await bytesOf(entry.oid)
      await this.call(`upload ${entry.oid}`, upload.href, {
        method: 'PUT',
        headers: { 'content-type': 'application/octet-stream', ...(upload.header ?? {}) },
        body: bytes
      })
      this.uploadedBytes += bytes.length
      const verify = entry.actions?.verify
      if (verify)
        await this.call(`verify ${entry.oid}`, verify.href, {
          method: 'POST',
          headers: {
            accept: LFS_MEDIA_TYPE,
            'content-type': LFS_MEDIA_TYPE,
            ...(verify.header ?? {})
          },
          body: JSON.stringify({ oid: entry.oid, size: entry.size })
        })
      uploaded.push(entry.oid)
      onUploaded?.(bytes.length)
    }
    return uploaded
  }

  /**
   * Downloads `objects` (one batch call, one `GET` each, at most `concurrency` at a time:
   * default {@link DOWNLOAD_CONCURRENCY}) and checks each one's SHA-256; `onObject` receives
   * the bytes, for one object at a time per download slot. Memory: up to `concurrency`
   * objects at once.
   *
   * @throws LfsRequestError when an object is missing or its bytes do not match its oid (the
   *   first failure; downloads under way finish, none starts after it).
   */
  async download(
    objects: LfsObject[],
    onObject: (oid: string, bytes: Buffer) => Promise<void>,
    concurrency = DOWNLOAD_CONCURRENCY
  ): Promise<void> {
    const answers = await this.batch('download', objects)
    let next = 0
    let failed = false
    const slot = async () => {
      while (!failed && next < answers.length) {
        const entry = answers[next++] as LfsBatchEntry
        try {
          await this.downloadOne(entry, onObject)
        } catch (error) {
          failed = true
          throw error
        }
      }
    }
    const slots = Array.from({ length: Math.max(1, Math.min(concurrency, answers.length)) }, slot)
    const settled = await Promise.allSettled(slots)
    const rejected = settled.find((s) => s.status === 'rejected')
    if (rejected) throw (rejected as PromiseRejectedResult).reason
  }

  private async downloadOne(
    entry: LfsBatchEntry,
    onObject: (oid: string, bytes: Buffer) => Promise<void>
  ): Promise<void> {
    if (entry.error)
      throw new LfsRequestError(`download ${entry.oid}`, entry.error.code, entry.error.message)
    const download = entry.actions?.download
    if (!download) throw new LfsRequestError(`download ${entry.oid}`, 200, 'no download action')
    const res = await this.call(`download ${entry.oid}`, download.href, {
      method: 'GET',
      headers: { ...(download.header ?? {}) }
    })
    const bytes = Buffer.from(await res.arrayBuffer())
    this.downloadedBytes += bytes.length
    const actual = createHash('sha256').update(bytes).digest('hex')
    if (actual !== entry.oid)
      throw new LfsRequestError(
        `download ${entry.oid}`,
        res.status,
        `the bytes have SHA-256 ${actual}`
      )
    await onObject(entry.oid, bytes)
  }

  private async call(operation: string, url: string, init: RequestInit): Promise<Response> {
    let res: Response
    try {
      res = await this.#fetch(url, init)
    } catch (error) {
      throw new LfsRequestError(operation, 0, (error as Error).message)
    }
    if (res.ok) return res
    const text = await res.text().catch(() => '')
    let message = text.slice(0, 500)
    try {
      message = String((JSON.parse(text) as { message?: unknown }).message ?? message)
    } catch {
      // not JSON: keep the text
    }
    if (/over its data quota/i.test(message) || res.status === 507)
      throw new LfsQuotaExceededError(
        operation.startsWith('upload') ? 'upload' : 'download',
        message
      )
    throw new LfsRequestError(operation, res.status, message)
  }
}

/** The text of the LFS pointer file of `object` (docs/persist-data.md §5). */
export function lfsPointer(object: LfsObject): string {
  return `version https://git-lfs.github.com/spec/v1\noid sha256:${object.oid}\nsize ${object.size}\n`
}
