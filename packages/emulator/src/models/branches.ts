import { BranchNotFoundForGet } from '../errors.js'
import type { CommitObject } from '../git/objects.js'
import type { GitStore } from '../git/store.js'
import type { RepoRecord } from '../state.js'
import type { ContentsModel } from './contents.js'
import type { Caller } from './users.js'

/** `repos/list-branches` and `repos/get-branch` over `GitStore`. */
export class BranchesModel {
  constructor(
    private readonly contents: ContentsModel,
    private readonly git: GitStore
  ) {}

  /** Every branch `{name, sha}`, sorted by name (empty for an empty repository). */
  async list(
    caller: Caller | null,
    owner: string,
    name: string
  ): Promise<{ repo: RepoRecord; branches: Array<{ name: string; sha: string }> }> {
    const repo = await this.contents.repo(caller, owner, name, 'read')
    const refs = await this.git.listRefs(repo.owner, repo.name, 'refs/heads/')
    return {
      repo,
      branches: refs.map((r) => ({ name: r.ref.slice('refs/heads/'.length), sha: r.sha }))
    }
  }

  /** One branch with its head commit; 404 `Branch not found`. */
  async get(
    caller: Caller | null,
    owner: string,
    name: string,
    branch: string
  ): Promise<{ repo: RepoRecord; name: string; sha: string; commit: CommitObject }> {
    const repo = await this.contents.repo(caller, owner, name, 'read')
    const sha = await this.git.getRef(repo.owner, repo.name, `refs/heads/${branch}`)
    const commit = sha ? await this.git.readCommit(repo.owner, repo.name, sha) : null
    if (!sha || !commit) throw new BranchNotFoundForGet()
    return { repo, name: branch, sha, commit }
  }
}
