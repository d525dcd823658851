/**
 * A scripted, in-memory stand-in for the three contents/commits endpoints a sequence uses, with
 * GitHub's compare-and-swap answers (reference/github-api.md §1.2) and Octokit's error type, so
 * the store's retry and settle logic can be driven deterministically: "fail this PUT after
 * applying it", "let another writer in before this PUT", "fail the next GET".
 * Integration tests run the same logic against the real emulator.
 */
import { createHash, randomUUID } from 'node:crypto'
import { RequestError } from '@octokit/request-error'
import type { HubstoreOctokit } from '../../src/github/client.js'

export interface FakeCommit {
  sha: string
  message: string
  /** file text after the commit */
  text: string
  blobSha: string
}

/** What to do with the next PUT. */
export type PutScript =
  | 'ok'
  /** answer 500 without applying */
  | 'fail-before'
  /** apply, then answer 502 */
  | 'fail-after'
  /** apply, then throw a network error (Octokit's status-500 RequestError with no response) */
  | 'lost-after'
  /** another writer commits `text` first, then this PUT is checked (→ conflict) */
  | { interleave: (current: string | null) => string }
  /** apply the interleaving writer AND then fail this PUT before applying it */
  | { interleaveThenFail: (current: string | null) => string; when: 'before' }

export function blobSha(text: string): string {
  const bytes = Buffer.from(text, 'utf8')
  return createHash('sha1')
    .update(Buffer.concat([Buffer.from(`blob ${bytes.length}\0`), bytes]))
    .digest('hex')
}

export class FakeGitHub {
  readonly commits: FakeCommit[] = []
  readonly log: string[] = []
  readonly putScript: PutScript[] = []
  /** GETs of contents that fail with this status (consumed one per GET). */
  readonly getFailures: number[] = []
  /** existing branches; PUT/GET on others answer 404 */
  readonly branches = new Set(['main'])
  counter = { requests: 0, writes: 0 }

  constructor(
    readonly path = 'sequence_data.json',
    initial?: string
  ) {
    if (initial !== undefined) this.commit(initial, 'initial')
  }

  get text(): string | null {
    return this.commits.at(-1)?.text ?? null
  }

  get sha(): string | null {
    const text = this.text
    return text === null ? null : blobSha(text)
  }

  /** Commits `text` as another writer would. */
  commit(text: string, message: string): FakeCommit {
    const c = {
      sha: randomUUID().replace(/-/g, '') + '00000000',
      message,
      text,
      blobSha: blobSha(text)
    }
    this.commits.push(c)
    return c
  }

  json(): Record<string, unknown> {
    return JSON.parse(this.text ?? 'null') as Record<string, unknown>
  }

  octokit(): HubstoreOctokit {
    const repos = {
      getContent: async (p: { path: string; ref?: string; headers?: Record<string, string> }) => {
        this.count('GET', 'contents')
        const failure = this.getFailures.shift()
        if (failure) throw fail(failure, 'Server Error', 'GET')
        if (p.ref !== undefined && !this.branches.has(p.ref))
          throw fail(404, `No commit found for the ref ${p.ref}`, 'GET')
        const text = p.path === this.path ? this.text : null
        if (text === null) throw fail(404, 'Not Found', 'GET')
        const sha = blobSha(text)
        const etag = `W/"${sha}"`
        if (p.headers?.['if-none-match'] === etag) throw fail(304, '', 'GET')
        return {
          headers: { etag },
          data: {
            type: 'file',
            encoding: 'base64',
            sha,
            content: Buffer.from(text)
              .toString('base64')
              .replace(/(.{60})/g, '$1\n')
          }
        }
      },
      createOrUpdateFileContents: async (p: {
        path: string
        message: string
        content: string
        sha?: string
        branch?: string
        request?: { retries?: number }
      }) => {
        this.count('PUT', 'contents')
        if (p.request?.retries !== 0) throw new Error('the CAS write must turn plugin-retry off')
        const script = this.putScript.shift() ?? 'ok'
        if (typeof script === 'object') {
          const next =
            'interleave' in script
              ? script.interleave(this.text)
              : script.interleaveThenFail(this.text)
          this.commit(next, 'interleaved writer')
          if ('interleaveThenFail' in script) throw fail(500, 'Server Error', 'PUT')
        }
        if (script === 'fail-before') throw fail(500, 'Server Error', 'PUT')
        if (p.branch !== undefined && !this.branches.has(p.branch))
          throw fail(404, 'Branch not found', 'PUT')
        const current = this.sha
        if (current !== null && p.sha === undefined)
          throw fail(422, 'Invalid request.\n\n"sha" wasn\'t supplied.', 'PUT')
        if (current !== null && p.sha !== current)
          throw fail(409, `${p.path} does not match ${p.sha}`, 'PUT')
        const text = Buffer.from(p.content, 'base64').toString('utf8')
        const c = this.commit(text, p.message)
        if (script === 'fail-after') throw fail(502, 'Bad Gateway', 'PUT')
        if (script === 'lost-after') {
          const e = new RequestError('other side closed', 500, {
            request: { method: 'PUT', url: 'http://fake/contents', headers: {} }
          })
          throw e
        }
        return {
          status: current === null ? 201 : 200,
          headers: {},
          data: { content: { sha: c.blobSha }, commit: { sha: c.sha, message: p.message } }
        }
      },
      listCommits: async (p: { per_page?: number; page?: number }) => {
        this.count('GET', 'commits')
        const per = p.per_page ?? 30
        const page = p.page ?? 1
        const newestFirst = [...this.commits].reverse()
        return {
          headers: {},
          data: newestFirst
            .slice((page - 1) * per, page * per)
            .map((c) => ({ sha: c.sha, commit: { message: c.message } }))
        }
      }
    }
    return { rest: { repos }, hubstore: this.counter } as unknown as HubstoreOctokit
  }

  private count(method: string, what: string): void {
    this.counter.requests += 1
    if (method !== 'GET') this.counter.writes += 1
    this.log.push(`${method} ${what}`)
  }
}

function fail(status: number, message: string, method: 'GET' | 'PUT'): RequestError {
  return new RequestError(message || 'Not modified', status, {
    request: { method, url: 'http://fake/repos/o/r/contents/x', headers: {} },
    response: {
      status,
      url: 'http://fake/repos/o/r/contents/x',
      headers: {},
      data: message ? { message, status: String(status) } : ''
    }
  })
}
