/**
 * Who may update stored objects. gh-store (docs/gh-store-format.md §2.7) trusts the repo owner and
 * everyone named in CODEOWNERS; hubstore also trusts collaborators with write, maintain or admin
 * permission (fixing §7.4 item 17: org repos, bots). Checks run cheapest first and stop at the
 * first yes: (1) owner login (free), (2) the collaborator permission endpoint (1 request per user),
 * (3) CODEOWNERS users (1–3 requests, once per run), (4) CODEOWNERS teams' members (1 request per
 * page per team, expanded one team at a time). Everything is cached for the authorizer's lifetime,
 * which is one processing run.
 */
import type { HubstoreOctokit } from '../github/client.js'
import { statusOf, toGitHubRequestError } from '../github/request.js'
import { PER_PAGE } from './constants.js'

/** Why a login is (or is not) authorised. */
export interface AuthorizationDecision {
  authorized: boolean
  /** the rule that said yes */
  via?: 'owner' | 'permission' | 'codeowners' | 'codeowners-team'
  /** human explanation, used in rejection reasons */
  reason: string
}

/** Users and teams named as owners in a CODEOWNERS file (path patterns are ignored, as gh-store). */
export interface Codeowners {
  /** lowercased logins */
  users: Set<string>
  teams: Array<{ org: string; slug: string }>
}

/** CODEOWNERS locations, first found wins (GitHub's and gh-store's order, §2.7). */
export const CODEOWNERS_PATHS = ['.github/CODEOWNERS', 'docs/CODEOWNERS', 'CODEOWNERS'] as const

/**
 * Parses CODEOWNERS as gh-store does: skip blank and `#` lines; on each line every token after the
 * path that starts with `@` is an owner, `@user` or `@org/team`; e-mail owners are ignored.
 */
export function parseCodeowners(text: string): Codeowners {
  const users = new Set<string>()
  const teams = new Map<string, { org: string; slug: string }>()
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/\s#.*$/, '').trim()
    if (line === '' || line.startsWith('#')) continue
    for (const token of line.split(/\s+/).slice(1)) {
      if (!token.startsWith('@') || token.length < 2) continue
      const [org, slug, extra] = token.slice(1).split('/')
      if (slug === undefined) users.add(org.toLowerCase())
      else if (org && slug && extra === undefined) {
        const key = `${org}/${slug}`.toLowerCase()
        if (!teams.has(key)) teams.set(key, { org, slug })
      }
    }
  }
  return { users, teams: [...teams.values()] }
}

/** True when the permission endpoint's answer grants write access or more. */
export function grantsWrite(answer: { permission?: string; role_name?: string }): boolean {
  return (
    ['admin', 'write'].includes(answer.permission ?? '') ||
    ['admin', 'maintain', 'write'].includes(answer.role_name ?? '')
  )
}

/** Where an authorizer reads GitHub; {@link githubAuthorizationSource} is the real one. */
export interface AuthorizationSource {
  /** the permission answer, or `undefined` when the user is not a collaborator (404/403) */
  permission(login: string): Promise<{ permission?: string; role_name?: string } | undefined>
  /** the first CODEOWNERS file's text, or `undefined` when there is none */
  codeowners(): Promise<string | undefined>
  /** lowercased member logins, or an error text when the team cannot be read */
  teamMembers(org: string, slug: string): Promise<Set<string> | string>
}

/** Decides authorisation for one processing run, caching every lookup. */
export class Authorizer {
  readonly #decisions = new Map<string, Promise<AuthorizationDecision>>()
  readonly #teams = new Map<string, Promise<Set<string> | string>>()
  #codeowners: Promise<Codeowners | undefined> | undefined

  constructor(
    readonly owner: string,
    readonly source: AuthorizationSource
  ) {}

  /** Decides for `login` (case-insensitive); `null` (deleted user) is never authorised. */
  decide(login: string | null | undefined): Promise<AuthorizationDecision> {
    if (!login)
      return Promise.resolve({
        authorized: false,
        reason: 'the author is unknown (deleted account)'
      })
    const key = login.toLowerCase()
    let decision = this.#decisions.get(key)
    if (!decision) {
      decision = this.#decideUncached(login)
      this.#decisions.set(key, decision)
    }
    return decision
  }

  async #decideUncached(login: string): Promise<AuthorizationDecision> {
    const key = login.toLowerCase()
    if (key === this.owner.toLowerCase())
      return { authorized: true, via: 'owner', reason: `${login} owns the repository` }
    const permission = await this.source.permission(login)
    if (permission && grantsWrite(permission))
      return {
        authorized: true,
        via: 'permission',
        reason: `${login} has ${permission.role_name ?? permission.permission} permission`
      }
    this.#codeowners ??= this.source
      .codeowners()
      .then((text) => (text === undefined ? undefined : parseCodeowners(text)))
    const codeowners = await this.#codeowners
    if (codeowners?.users.has(key))
      return { authorized: true, via: 'codeowners', reason: `${login} is listed in CODEOWNERS` }
    const unreadable: string[] = []
    for (const team of codeowners?.teams ?? []) {
      const teamKey = `${team.org}/${team.slug}`.toLowerCase()
      let members = this.#teams.get(teamKey)
      if (!members) {
        members = this.source.teamMembers(team.org, team.slug)
        this.#teams.set(teamKey, members)
      }
      const result = await members
      if (typeof result === 'string') unreadable.push(`@${team.org}/${team.slug} (${result})`)
      else if (result.has(key))
        return {
          authorized: true,
          via: 'codeowners-team',
          reason: `${login} is in @${team.org}/${team.slug}`
        }
    }
    return {
      authorized: false,
      reason:
        `${login} is not the repository owner, has no write permission` +
        (codeowners ? ' and is not in CODEOWNERS' : ' and there is no CODEOWNERS file') +
        (unreadable.length > 0 ? ` (could not read team(s) ${unreadable.join(', ')})` : '')
    }
  }
}

/** The real {@link AuthorizationSource}: REST calls through the hubstore client. */
export function githubAuthorizationSource(ctx: {
  octokit: HubstoreOctokit
  owner: string
  repo: string
}): AuthorizationSource {
  const { octokit, owner, repo } = ctx
  return {
    async permission(username) {
      try {
        const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({
          owner,
          repo,
          username
        })
        return data
      } catch (error) {
        const status = statusOf(error)
        if (status === 404 || status === 403) return undefined
        throw toGitHubRequestError(`check ${username}'s permission`, error)
      }
    },
    async codeowners() {
      for (const path of CODEOWNERS_PATHS) {
        try {
          const { data } = await octokit.rest.repos.getContent({ owner, repo, path })
          if (!Array.isArray(data) && data.type === 'file' && 'content' in data)
            return Buffer.from(data.content, 'base64').toString('utf8')
        } catch (error) {
          if (statusOf(error) !== 404) throw toGitHubRequestError(`read ${path}`, error)
        }
      }
      return undefined
    },
    async teamMembers(org, slug) {
      try {
        const members = await octokit.paginate(octokit.rest.teams.listMembersInOrg, {
          org,
          team_slug: slug,
          per_page: PER_PAGE
        })
        return new Set(members.map((m) => m.login.toLowerCase()))
      } catch (error) {
        const status = statusOf(error)
        if (status === 404 || status === 403) return `GitHub answered ${status}`
        throw toGitHubRequestError(`list members of @${org}/${slug}`, error)
      }
    }
  }
}
