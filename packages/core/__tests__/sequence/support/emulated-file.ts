/**
 * A sequence file in a fresh repository of the real emulator, with the scripted failures the
 * store's retry and settle logic must survive, made with the emulator's own means: fault rules
 * (`before`: nothing applied; `after`: applied, answer replaced), and in-process request hooks
 * (`emulator.onRequest`) for "another writer commits between my read and my write" and "the
 * write applies and the connection drops". The store under test talks real HTTP through the
 * real `createGitHubClient`; inspection goes through another user (`wendy`) and the admin API,
 * so `log` holds only the store's own requests.
 */
import type { Emulator } from '@hubstore/emulator'
import type { RepoContext } from '../../../src/github/context.js'
import { freshRepo } from '../../support/emulator.js'

export const CONTENTS = '/repos/{owner}/{repo}/contents/{path}'
const COMMITS = '/repos/{owner}/{repo}/commits'

/** What to do with the store's next PUT. */
export type PutScript =
  | 'ok'
  /** answer 500 without applying */
  | 'fail-before'
  /** apply, then answer 502 */
  | 'fail-after'
  /** apply, then drop the connection (the client sees a network error, no HTTP status) */
  | 'lost-after'
  /** another writer commits `text` first, then this PUT is checked (→ conflict) */
  | { interleave: (current: string | null) => string }
  /** the interleaving writer commits AND then this PUT fails before applying */
  | { interleaveThenFail: (current: string | null) => string; when: 'before' }

/** One commit that touched the file. */
export interface FileCommit {
  sha: string
  message: string
}

export class EmulatedFile {
  /** The store's requests on this repository: `GET contents`, `PUT contents`, `GET commits`. */
  readonly log: string[] = []
  /** Consumed one per PUT of the store. */
  readonly putScript: PutScript[] = []
  private readonly removers: Array<() => void> = []
  /** the store's context (user `octocat`) */
  readonly ctx: RepoContext

  private constructor(
    readonly emulator: Emulator,
    readonly owner: string,
    readonly repo: string,
    readonly path: string,
    /** a new client of the store's user (`octocat`) on the repository */
    readonly newContext: () => RepoContext,
    private readonly inspector: RepoContext
  ) {
    this.ctx = newContext()
    const scope = this.scope
    this.removers.push(
      emulator.onRequest(scope, (r) => {
        const what = r.route === CONTENTS ? 'contents' : r.route === COMMITS ? 'commits' : r.route
        this.log.push(`${r.method} ${what}`)
      }),
      emulator.onRequest({ ...scope, method: 'PUT', route: CONTENTS }, () => this.onPut())
    )
  }

  /** A fresh repository holding `initial` at `path` (one commit, "initial") when given. */
  static async create(
    emulator: Emulator,
    initial?: string,
    path = 'sequence_data.json'
  ): Promise<EmulatedFile> {
    const { owner, repo, as } = await freshRepo(emulator)
    const file = new EmulatedFile(emulator, owner, repo, path, () => as('octocat'), as('wendy'))
    if (initial !== undefined) await file.commit(initial, 'initial')
    return file
  }

  /** The file's text now, `null` when there is none. */
  async text(): Promise<string | null> {
    try {
      const { data } = await this.inspector.octokit.rest.repos.getContent({
        owner: this.owner,
        repo: this.repo,
        path: this.path,
        headers: { accept: 'application/vnd.github.raw+json' }
      })
      return String(data)
    } catch (error) {
      if ((error as { status?: number }).status === 404) return null
      throw error
    }
  }

  async json(): Promise<Record<string, unknown>> {
    return JSON.parse((await this.text()) ?? 'null') as Record<string, unknown>
  }

  /** Commits `text` as another writer would (admin API). */
  async commit(text: string, message: string): Promise<void> {
    await this.emulator.admin.putFile(`${this.owner}/${this.repo}`, this.path, text, { message })
  }

  /** The commits that touched the file, oldest first. */
  async commits(): Promise<FileCommit[]> {
    const { data } = await this.inspector.octokit.rest.repos.listCommits({
      owner: this.owner,
      repo: this.repo,
      path: this.path,
      per_page: 100
    })
    return data.map((c) => ({ sha: c.sha, message: c.commit.message })).reverse()
  }

  /** Every read of the file fails with `status` (GitHub's 5xx) until {@link heal}. */
  async failReads(status: number): Promise<void> {
    await this.emulator.admin.addFault({ method: 'GET', route: CONTENTS, status })
  }

  /** Runs `fn` before the store's first read of the file after its next PUT (the read-back). */
  beforeReadBack(fn: () => unknown): void {
    const get = { ...this.scope, method: 'GET', route: CONTENTS, times: 1 }
    const put = { ...this.scope, method: 'PUT', route: CONTENTS, times: 1 }
    this.removers.push(
      this.emulator.onRequest(put, () => {
        this.removers.push(
          this.emulator.onRequest(get, async () => {
            await fn()
          })
        )
      })
    )
  }

  /** Removes every fault rule. */
  async heal(): Promise<void> {
    await this.emulator.admin.clearFaults()
  }

  /** Removes the hooks and fault rules (after each test). */
  async close(): Promise<void> {
    for (const remove of this.removers) remove()
    await this.heal()
  }

  private get scope() {
    return { pathIncludes: `/repos/${this.owner}/${this.repo}/`, login: 'octocat' }
  }

  private async onPut(): Promise<{ drop: 'after' } | undefined> {
    const script = this.putScript.shift() ?? 'ok'
    const fault = (status: number, when: 'before' | 'after') =>
      this.emulator.admin.addFault({ method: 'PUT', route: CONTENTS, status, when, count: 1 })
    if (typeof script === 'object') {
      const current = await this.text()
      const next =
        'interleave' in script ? script.interleave(current) : script.interleaveThenFail(current)
      await this.commit(next, 'interleaved writer')
      if ('interleaveThenFail' in script) await fault(500, 'before')
      return undefined
    }
    if (script === 'fail-before') await fault(500, 'before')
    if (script === 'fail-after') await fault(502, 'after')
    return script === 'lost-after' ? { drop: 'after' } : undefined
  }
}
