import { NotFound, RequiresAuthentication } from '../errors.js'
import type { Store, TeamRecord, UserRecord } from '../state.js'
import type { Caller, UsersModel } from './users.js'

/** Admin input for `POST /_emulator/teams`. */
export interface CreateTeamInput {
  org: string
  slug: string
  members: string[]
}

/** Organisation teams, set through the admin API (used for CODEOWNERS `@org/team`). */
export class TeamsModel {
  constructor(
    private readonly s: Store,
    private readonly users: UsersModel
  ) {}

  /** Admin: creates or replaces the team `org/slug` (members become known users). */
  createTeam(input: CreateTeamInput): TeamRecord {
    if (!this.users.find(input.org)) this.users.ensure(input.org, 'Organization')
    const members = input.members.map((m) => this.users.ensure(m).login)
    const key = `${input.org}/${input.slug}`.toLowerCase()
    const team: TeamRecord = {
      id: this.s.data.teams[key]?.id ?? this.s.nextId(),
      org: input.org,
      slug: input.slug,
      members
    }
    this.s.data.teams[key] = team
    return team
  }

  /** `teams/get-by-name`: 401 when anonymous, 404 for an unknown team (§11.4). */
  getByName(caller: Caller | null, org: string, slug: string): TeamRecord {
    if (!caller) throw new RequiresAuthentication()
    const team = this.s.data.teams[`${org}/${slug}`.toLowerCase()]
    if (!team) throw new NotFound()
    return team
  }

  /** `teams/list-members-in-org`: 401 when anonymous, 404 for an unknown team. */
  listMembersInOrg(caller: Caller | null, org: string, slug: string): UserRecord[] {
    return this.getByName(caller, org, slug).members.map((m) => this.users.get(m))
  }

  /**
   * `teams/list-members-legacy` (`GET /teams/{team_id}/members`, where a team's `url` leads):
   * 401 when anonymous, 404 for an unknown id (§11.4).
   */
  listMembersLegacy(caller: Caller | null, teamId: string): UserRecord[] {
    if (!caller) throw new RequiresAuthentication()
    const team = Object.values(this.s.data.teams).find((t) => String(t.id) === teamId)
    if (!team) throw new NotFound()
    return team.members.map((m) => this.users.get(m))
  }
}
