/**
 * Encoders of organisations and teams: `organization-full` (`orgs/get`) and `team-full`
 * (`teams/get-by-name`), as docs/github-behaviour.md §11.4 describes them. An organisation is
 * an account of type `Organization`; everything the emulator does not model (plan, billing,
 * member policies) has GitHub's default for a new free organisation.
 */
import type { TeamRecord, UserRecord } from '../state.js'
import { nodeId } from './common.js'
import type { Shapes } from './resources.js'

/** Timestamps of accounts and teams the emulator does not date (as `GET /user` does). */
const EPOCH = '1970-01-01T00:00:00Z'

/** What `organization-full` counts. */
export interface OrganizationCounts {
  publicRepos: number
  privateRepos: number
}

/**
 * GitHub's `organization-simple`: the organisation's login, ids and API URLs (a webhook's
 * `organization`, and the head of `organization-full`).
 */
export function organizationSimple(origin: string, org: UserRecord) {
  const url = `${origin}/orgs/${encodeURIComponent(org.login)}`
  return {
    login: org.login,
    id: org.id,
    node_id: nodeId('Organization', org.id),
    url,
    repos_url: `${url}/repos`,
    events_url: `${url}/events`,
    hooks_url: `${url}/hooks`,
    issues_url: `${url}/issues`,
    members_url: `${url}/members{/member}`,
    public_members_url: `${url}/public_members{/member}`,
    avatar_url: `${origin}/avatars/u/${org.id}?v=4`,
    // name, company, blog, location, email: unset profile fields, left out (the schema types
    // them as strings when present)
    description: null
  }
}

/** The fields `organization-full` and a team's `organization` share (`team-organization`). */
function organizationBase(shapes: Shapes, org: UserRecord, counts: OrganizationCounts) {
  return {
    ...organizationSimple(shapes.origin, org),
    twitter_username: null,
    is_verified: false,
    has_organization_projects: true,
    has_repository_projects: true,
    public_repos: counts.publicRepos,
    public_gists: 0,
    followers: 0,
    following: 0,
    html_url: `${shapes.origin}/${encodeURIComponent(org.login)}`,
    created_at: EPOCH,
    updated_at: EPOCH,
    archived_at: null,
    type: 'Organization'
  }
}

/** `organization-full` of `GET /orgs/{org}`. */
export function organizationFull(
  shapes: Shapes,
  org: UserRecord,
  counts: OrganizationCounts
): Record<string, unknown> {
  return {
    ...organizationBase(shapes, org, counts),
    total_private_repos: counts.privateRepos,
    owned_private_repos: counts.privateRepos,
    private_gists: 0,
    disk_usage: 0,
    collaborators: 0,
    default_repository_permission: 'read',
    members_can_create_repositories: true,
    two_factor_requirement_enabled: false,
    members_allowed_repository_creation_type: 'all',
    members_can_create_public_repositories: true,
    members_can_create_private_repositories: true,
    members_can_create_internal_repositories: false,
    members_can_create_pages: true,
    members_can_fork_private_repositories: false,
    web_commit_signoff_required: false
  }
}

/**
 * `team-full` of `GET /orgs/{org}/teams/{team_slug}`. Its `url` is `/teams/{id}` (the form in
 * GitHub's OpenAPI description), so a client that lists members from `url + "/members"`
 * reaches `teams/list-members-legacy`.
 */
export function teamFull(
  shapes: Shapes,
  team: TeamRecord,
  org: UserRecord,
  counts: OrganizationCounts & { teamRepos: number }
): Record<string, unknown> {
  const url = `${shapes.origin}/teams/${team.id}`
  return {
    id: team.id,
    node_id: nodeId('Team', team.id),
    url,
    html_url: `${shapes.origin}/orgs/${encodeURIComponent(org.login)}/teams/${encodeURIComponent(team.slug)}`,
    name: team.slug,
    slug: team.slug,
    description: null,
    privacy: 'closed',
    notification_setting: 'notifications_enabled',
    permission: 'pull',
    members_url: `${url}/members{/member}`,
    repositories_url: `${url}/repos`,
    parent: null,
    members_count: team.members.length,
    repos_count: counts.teamRepos,
    created_at: EPOCH,
    updated_at: EPOCH,
    organization: organizationBase(shapes, org, counts),
    type: 'organization',
    organization_id: org.id
  }
}
