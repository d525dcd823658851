import {
  InvalidVariableName,
  NotFound,
  RequiresAuthentication,
  ResourceNotAccessibleByIntegration,
  TooManyVariables,
  VariableAlreadyExists,
  VariableValueTooLarge
} from '../errors.js'
import { VARIABLE_VALUE_MAX_BYTES, VARIABLES_PER_REPO_MAX } from '../limits.js'
import type { RepoRecord, Store, VariableRecord } from '../state.js'
import { authorize } from './access.js'
import type { ReposModel } from './repos.js'
import type { Caller } from './users.js'

/** Body of `actions/update-repo-variable`; absent fields are left alone. */
export interface UpdateVariableInput {
  name?: string
  value?: string
}

/**
 * Checks a variable name against GitHub's rules and returns it upper-cased, the form GitHub
 * stores and returns (docs/github-behaviour.md §4: only `[A-Za-z0-9_]`, must not start with
 * `GITHUB_` or a digit, case-insensitive). Throws `InvalidVariableName` (422) naming the rule.
 */
export function normaliseVariableName(name: string): string {
  if (!/^[A-Za-z0-9_]+$/.test(name))
    throw new InvalidVariableName(
      'can only contain alphanumeric characters ([a-z], [A-Z], [0-9]) or underscores (_).'
    )
  if (/^[0-9]/.test(name)) throw new InvalidVariableName('must not start with a number.')
  const upper = name.toUpperCase()
  if (upper.startsWith('GITHUB_'))
    throw new InvalidVariableName('must not start with the GITHUB_ prefix.')
  return upper
}

function checkValue(value: string): void {
  if (Buffer.byteLength(value, 'utf8') > VARIABLE_VALUE_MAX_BYTES)
    throw new VariableValueTooLarge(VARIABLE_VALUE_MAX_BYTES)
}

/**
 * Actions repository variables (docs/github-behaviour.md §4, §8 item 16). Every operation needs a
 * signed-in caller (401 `Requires authentication`) who can see the repository (404), whose token
 * is not a `Bot` (403 `Resource not accessible by integration`: `GITHUB_TOKEN` has no variables
 * permission) and who has push access ("collaborator access … to create, update, or read
 * variables" in GitHub's REST reference): otherwise 403 `Must have admin rights to Repository.`
 * on a public repository, 404 on a private one.
 */
export class VariablesModel {
  constructor(
    private readonly s: Store,
    private readonly repos: ReposModel
  ) {}

  private access(caller: Caller | null, owner: string, name: string): RepoRecord {
    if (!caller) throw new RequiresAuthentication()
    const repo = this.repos.access(caller, owner, name, 'read')
    if (caller.user.type === 'Bot') throw new ResourceNotAccessibleByIntegration()
    authorize(caller, repo, 'write')
    return repo
  }

  private table(repo: RepoRecord): Record<string, VariableRecord> {
    repo.variables ??= {}
    return repo.variables
  }

  private find(repo: RepoRecord, name: string): VariableRecord {
    const found = repo.variables?.[name.toUpperCase()]
    if (!found) throw new NotFound()
    return found
  }

  /** `actions/list-repo-variables`: every variable of the repository, sorted by name. */
  listRepoVariables(caller: Caller | null, owner: string, name: string): VariableRecord[] {
    const repo = this.access(caller, owner, name)
    return Object.values(repo.variables ?? {}).sort((a, b) => (a.name < b.name ? -1 : 1))
  }

  /**
   * `actions/create-repo-variable`. Throws 422 for a bad name (see `normaliseVariableName`), a
   * value over `VARIABLE_VALUE_MAX_BYTES` or a repository already holding
   * `VARIABLES_PER_REPO_MAX` variables; 409 `Already exists - Variable already exists`.
   */
  createRepoVariable(
    caller: Caller | null,
    owner: string,
    name: string,
    input: { name: string; value: string }
  ): VariableRecord {
    const repo = this.access(caller, owner, name)
    const upper = normaliseVariableName(input.name)
    checkValue(input.value)
    const table = this.table(repo)
    if (table[upper]) throw new VariableAlreadyExists()
    if (Object.keys(table).length >= VARIABLES_PER_REPO_MAX)
      throw new TooManyVariables(VARIABLES_PER_REPO_MAX)
    const now = this.s.timestamp()
    const record: VariableRecord = {
      name: upper,
      value: input.value,
      created_at: now,
      updated_at: now
    }
    table[upper] = record
    return record
  }

  /** `actions/get-repo-variable`: lookup is case-insensitive; throws `NotFound`. */
  getRepoVariable(caller: Caller | null, owner: string, name: string, variable: string) {
    return this.find(this.access(caller, owner, name), variable)
  }

  /**
   * `actions/update-repo-variable`: changes the value and/or renames (same rules as create;
   * renaming onto another existing name → 409). Bumps `updated_at`. Throws `NotFound`.
   */
  updateRepoVariable(
    caller: Caller | null,
    owner: string,
    name: string,
    variable: string,
    input: UpdateVariableInput
  ): VariableRecord {
    const repo = this.access(caller, owner, name)
    const record = this.find(repo, variable)
    const table = this.table(repo)
    const upper = input.name === undefined ? record.name : normaliseVariableName(input.name)
    if (input.value !== undefined) checkValue(input.value)
    if (upper !== record.name && table[upper]) throw new VariableAlreadyExists()
    if (upper !== record.name) {
      delete table[record.name]
      record.name = upper
      table[upper] = record
    }
    if (input.value !== undefined) record.value = input.value
    record.updated_at = this.s.timestamp()
    return record
  }

  /** `actions/delete-repo-variable`; throws `NotFound`. */
  deleteRepoVariable(caller: Caller | null, owner: string, name: string, variable: string): void {
    const repo = this.access(caller, owner, name)
    const record = this.find(repo, variable)
    delete this.table(repo)[record.name]
  }
}
