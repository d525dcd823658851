import { NotFound } from '../errors.js'
import type { OrganizationCounts } from '../shapes/orgs.js'
import type { Store, UserRecord } from '../state.js'
import { sameName } from './users.js'
import type { UsersModel } from './users.js'

/**
 * Organisations: accounts of type `Organization` (made by `POST /_emulator/repos` with
 * `owner_type: "Organization"`, or by creating a team). docs/github-behaviour.md §11.4.
 */
export class OrgsModel {
  constructor(
    private readonly s: Store,
    private readonly users: UsersModel
  ) {}

  /** `orgs/get`: the organisation; 404 for an unknown login and for a user's login. */
  get(org: string): UserRecord {
    const account = this.users.find(org)
    if (!account || account.type !== 'Organization') throw new NotFound()
    return account
  }

  /** The repositories the organisation owns, public and private. */
  counts(org: UserRecord): OrganizationCounts {
    const owned = Object.values(this.s.data.repos).filter((r) => sameName(r.owner, org.login))
    return {
      publicRepos: owned.filter((r) => !r.private).length,
      privateRepos: owned.filter((r) => r.private).length
    }
  }
}
