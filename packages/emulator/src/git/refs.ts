import { existsSync } from 'node:fs'
import { GitCommandError } from './errors.js'
import type { GitExec } from './exec.js'
import { RefHistory } from './ref-history.js'

/**
 * The ref cache of one bare repository: every ref (`refs/...` → SHA) read once with
 * `git for-each-ref` and kept until something moves refs. Every move seen here is appended
 * to the repository's `RefHistory`.
 */
export class RepoRefs {
  readonly history = new RefHistory()
  private cached: Map<string, string> | null = null
  private loading: Promise<Map<string, string>> | null = null
  /** Bumped on every ref move; a load that saw another generation reads again. */
  private gen = 0

  constructor(
    private readonly gitDir: string,
    private readonly git: GitExec,
    private readonly now: () => number
  ) {}

  /** Every ref, from the cache or read with `git for-each-ref` (one read at a time). */
  get(): Promise<Map<string, string>> {
    if (this.cached) return Promise.resolve(this.cached)
    if (!this.loading) {
      const loading = this.load().finally(() => {
        if (this.loading === loading) this.loading = null
      })
      this.loading = loading
    }
    return this.loading
  }

  /** Refs whose full name starts with `prefix` (e.g. `refs/heads/`), sorted by name. */
  async list(prefix: string): Promise<Array<{ ref: string; sha: string }>> {
    return [...(await this.get())]
      .filter(([ref]) => ref.startsWith(prefix))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([ref, sha]) => ({ ref, sha }))
  }

  /** Something outside the store moved refs (or a transaction failed): read them again. */
  invalidate(): void {
    this.gen += 1
    this.cached = null
    this.loading = null
  }

  /** Forgets the cache without a generation bump (the repository was just created). */
  forget(): void {
    this.cached = null
    this.loading = null
  }

  /** A repository just made as a copy of another: its refs are known without reading them. */
  seed(refs: ReadonlyMap<string, string>): void {
    if (this.cached || this.loading) return
    this.cached = new Map(refs)
    const time = this.now()
    for (const [ref, sha] of refs) this.history.append(ref, sha, time)
  }

  /** Records moves the store itself made (`sha: null` deletes). */
  moved(updates: Array<{ ref: string; sha: string | null }>): void {
    this.gen += 1
    const time = this.now()
    for (const u of updates) {
      if (u.sha === null) this.cached?.delete(u.ref)
      else this.cached?.set(u.ref, u.sha)
      this.history.append(u.ref, u.sha, time)
    }
  }

  private async load(): Promise<Map<string, string>> {
    for (;;) {
      const gen = this.gen
      const refs = new Map<string, string>()
      if (existsSync(this.gitDir)) {
        const r = await this.git.run([
          '--git-dir',
          this.gitDir,
          'for-each-ref',
          '--format=%(objectname) %(refname)'
        ])
        if (r.code !== 0) throw new GitCommandError(['for-each-ref'], r.code, r.stderr)
        for (const line of r.stdout.toString('utf8').split('\n')) {
          const space = line.indexOf(' ')
          if (space > 0) refs.set(line.slice(space + 1), line.slice(0, space))
        }
      }
      if (gen !== this.gen) continue
      const time = this.now()
      const names = new Set([...refs.keys(), ...this.history.names()])
      for (const name of names) this.history.append(name, refs.get(name) ?? null, time)
      this.cached = refs
      return refs
    }
  }
}

/** The full ref names `ref` may mean, in lookup order (branches before tags). */
export function candidateRefNames(ref: string): string[] {
  if (ref.startsWith('refs/')) return [ref]
  return [`refs/heads/${ref}`, `refs/tags/${ref}`, `refs/${ref}`]
}
