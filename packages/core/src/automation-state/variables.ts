/**
 * Actions repository variables: the legacy store the migration reads, and the `repository_variables`
 * backend writes (docs/github-behaviour.md §4). Listing is 30 per page (GitHub's maximum for this
 * endpoint); every call that GitHub refuses with 403 becomes `VARIABLES_ACCESS_DENIED`, which
 * explains that `GITHUB_TOKEN` cannot reach variables and what to use instead.
 */
import type { RepoContext } from '../github/context.js'
import { repositoryName } from '../github/context.js'
import { InvalidOptionsError, VariableTooLargeError, VariablesAccessError } from '../errors.js'
import { githubMessageOf, statusOf, toGitHubRequestError } from '../github/request.js'
import { VARIABLE_VALUE_MAX_BYTES, VARIABLES_PER_PAGE_MAX } from './constants.js'

/** A repository variable as GitHub lists it (timestamps absent when read from `vars-json`). */
export interface LegacyVariable {
  name: string
  value: string
  created_at?: string
  updated_at?: string
}

/** Where the migration reads variables from. */
export interface VariableSource {
  /** `rest`: the variables API (needs a PAT or App token); `json`: the workflow's `vars` context */
  readonly kind: 'rest' | 'json'
  /** Every variable, sorted by name. */
  list(): Promise<LegacyVariable[]>
}

/**
 * Variables from `${{ toJSON(vars) }}` (an object of name → value), so reading needs no token with
 * the Variables permission. Note that `vars` also holds organization and environment variables
 * visible to the run. @throws InvalidOptionsError when the text is not such an object.
 */
export function variableSourceFromJson(json: string | Record<string, unknown>): VariableSource {
  let parsed: unknown = json
  if (typeof json === 'string') {
    try {
      parsed = JSON.parse(json)
    } catch {
      throw new InvalidOptionsError('vars-json', 'the JSON object ${{ toJSON(vars) }} gives', json)
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new InvalidOptionsError('vars-json', 'an object of variable name → value', parsed)
  const list = Object.entries(parsed as Record<string, unknown>).map(([name, value]) => {
    if (typeof value !== 'string')
      throw new InvalidOptionsError(`vars-json.${name}`, 'a string (variables hold text)', value)
    return { name: name.toUpperCase(), value }
  })
  list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  return { kind: 'json', list: async () => list.map((v) => ({ ...v })) }
}

/**
 * The variables API of one repository. Its methods throw VariablesAccessError for a 403 (the
 * token has no "Variables" permission) and GitHubRequestError for anything else, a 401 (a bad
 * token) included.
 */
export class RepositoryVariables implements VariableSource {
  readonly kind = 'rest' as const
  constructor(readonly ctx: RepoContext) {}

  private fail(operation: string, error: unknown): unknown {
    // 401 is a bad token (wrong, expired, revoked), not a missing permission: it gets
    // GitHubRequestError's 401 message ("check that the token is valid") like any other request.
    const status = statusOf(error)
    if (status === 403) {
      return new VariablesAccessError(
        repositoryName(this.ctx),
        operation,
        status,
        githubMessageOf(error),
        { cause: error }
      )
    }
    return toGitHubRequestError(`${operation} in ${repositoryName(this.ctx)}`, error)
  }

  /** Every variable, 30 per page: ⌈V / 30⌉ requests (at least 1). */
  async list(): Promise<LegacyVariable[]> {
    const { octokit, owner, repo } = this.ctx
    const out: LegacyVariable[] = []
    try {
      for (let page = 1; ; page++) {
        const { data } = await octokit.rest.actions.listRepoVariables({
          owner,
          repo,
          per_page: VARIABLES_PER_PAGE_MAX,
          page
        })
        for (const v of data.variables)
          out.push({
            name: v.name,
            value: v.value,
            created_at: v.created_at,
            updated_at: v.updated_at
          })
        if (data.variables.length < VARIABLES_PER_PAGE_MAX || out.length >= data.total_count) break
      }
    } catch (error) {
      throw this.fail('list variables', error)
    }
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  }

  /** One variable, or `undefined` when it does not exist. 1 request. */
  async get(name: string): Promise<LegacyVariable | undefined> {
    const { octokit, owner, repo } = this.ctx
    try {
      const { data } = await octokit.rest.actions.getRepoVariable({ owner, repo, name })
      return {
        name: data.name,
        value: data.value,
        created_at: data.created_at,
        updated_at: data.updated_at
      }
    } catch (error) {
      if (statusOf(error) === 404) return undefined
      throw this.fail(`read variable ${name}`, error)
    }
  }

  /**
   * Creates or replaces a variable: `PATCH`, and `POST` when it does not exist yet (1–2 requests).
   * @throws VariableTooLargeError above 48 KB, before anything is sent.
   */
  async set(name: string, value: string): Promise<'created' | 'updated'> {
    checkSize(name, value)
    const { octokit, owner, repo } = this.ctx
    try {
      await octokit.rest.actions.updateRepoVariable({ owner, repo, name, value })
      return 'updated'
    } catch (error) {
      if (statusOf(error) !== 404) throw this.fail(`update variable ${name}`, error)
    }
    return this.create(name, value)
  }

  /** Creates a variable (1 request). A name taken meanwhile (409) falls back to `PATCH`. */
  async create(name: string, value: string): Promise<'created' | 'updated'> {
    checkSize(name, value)
    const { octokit, owner, repo } = this.ctx
    try {
      await octokit.rest.actions.createRepoVariable({ owner, repo, name, value })
      return 'created'
    } catch (error) {
      if (statusOf(error) !== 409) throw this.fail(`create variable ${name}`, error)
    }
    try {
      await octokit.rest.actions.updateRepoVariable({ owner, repo, name, value })
      return 'updated'
    } catch (error) {
      throw this.fail(`update variable ${name}`, error)
    }
  }

  /** Deletes a variable; `false` when it was already gone. 1 request. */
  async delete(name: string): Promise<boolean> {
    const { octokit, owner, repo } = this.ctx
    try {
      await octokit.rest.actions.deleteRepoVariable({ owner, repo, name })
      return true
    } catch (error) {
      if (statusOf(error) === 404) return false
      throw this.fail(`delete variable ${name}`, error)
    }
  }
}

/** Throws `VARIABLE_TOO_LARGE` naming the variable when `value` is over 48 KB (UTF-8 bytes). */
export function checkSize(name: string, value: string): void {
  const bytes = Buffer.byteLength(value, 'utf8')
  if (bytes > VARIABLE_VALUE_MAX_BYTES)
    throw new VariableTooLargeError(name, bytes, VARIABLE_VALUE_MAX_BYTES)
}
