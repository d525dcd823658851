import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import type { Clock } from './clock.js'
import type { AppsData } from './models/app-records.js'
import type { RepoHookRecord } from './webhooks/records.js'

/** A token's (or a user's) access level on a repository. */
export type Permission = 'admin' | 'write' | 'read'
/** `Permission` plus `none` (no access at all). */
export type PermissionLevel = Permission | 'none'
/** GitHub account kinds. */
export type AccountType = 'User' | 'Bot' | 'Organization'
/** The eight reaction contents GitHub accepts (docs/github-behaviour.md §3.3). */
export const REACTION_CONTENTS = [
  '+1',
  '-1',
  'laugh',
  'confused',
  'heart',
  'hooray',
  'rocket',
  'eyes'
] as const
export type ReactionContent = (typeof REACTION_CONTENTS)[number]

export interface UserRecord {
  id: number
  login: string
  type: AccountType
  /**
   * Verified e-mail addresses (lower-cased): a commit whose author or committer e-mail is one of
   * them is attributed to this account, as GitHub does (docs/github-behaviour.md §12.1).
   */
  emails?: string[]
}

export interface TokenRecord {
  token: string
  login: string
  permission: Permission
  /** Full names (`owner/repo`) the token is limited to; `null` = every repository. */
  repos: string[] | null
  /** Primary rate-limit budget, requests per hour. */
  rate_limit_per_hour: number
}

export interface ReactionRecord {
  id: number
  content: ReactionContent
  user: string
  created_at: string
}

export interface LabelRecord {
  id: number
  name: string
  color: string
  description: string | null
  default: boolean
}

export interface IssueRecord {
  id: number
  number: number
  title: string
  body: string | null
  state: 'open' | 'closed'
  state_reason: string | null
  /** Label ids, in the order they were applied. */
  labels: number[]
  user: string
  created_at: string
  updated_at: string
  closed_at: string | null
  closed_by: string | null
  /** Number of comments (kept in step by the comments model). */
  comments: number
  reactions: ReactionRecord[]
}

export interface CommentRecord {
  id: number
  issue_number: number
  body: string
  user: string
  created_at: string
  updated_at: string
  reactions: ReactionRecord[]
}

export interface FileRecord {
  content_base64: string
  size: number
  /** Git blob SHA-1 of the bytes. */
  sha: string
}

export interface RepoRecord {
  id: number
  owner: string
  name: string
  owner_type: 'User' | 'Organization'
  private: boolean
  default_branch: string
  created_at: string
  next_issue_number: number
  labels: LabelRecord[]
  /** Keyed by issue number. */
  issues: Record<string, IssueRecord>
  /** Keyed by comment id. */
  comments: Record<string, CommentRecord>
  /** Keyed by path (no leading slash). */
  files: Record<string, FileRecord>
  /** Actions variables keyed by the upper-cased name; absent until the first one is created. */
  variables?: Record<string, VariableRecord>
  /** Pull requests keyed by number (they share `next_issue_number`); absent until the first. */
  pulls?: Record<string, PullRecord>
  /** Last change of the repository's settings (rename); `created_at` when absent. */
  updated_at?: string
  /** Last push to any branch (a merge, a contents write is not tracked); `created_at` when absent. */
  pushed_at?: string
  description?: string | null
}

/** A pull request (docs/github-behaviour.md §12.3); `head`/`base` are branch names of the repo. */
export interface PullRecord {
  id: number
  number: number
  title: string
  body: string | null
  state: 'open' | 'closed'
  head: string
  base: string
  /** The head commit when the pull request was opened or last synchronised. */
  head_sha: string
  /** The base branch head when opened (for `base.sha`). */
  base_sha: string
  user: string
  draft: boolean
  created_at: string
  updated_at: string
  closed_at: string | null
  merged_at: string | null
  merged_by: string | null
  merge_commit_sha: string | null
}

/** An Actions repository variable (docs/github-behaviour.md §4); `name` is upper-cased. */
export interface VariableRecord {
  name: string
  value: string
  created_at: string
  updated_at: string
}

export interface TeamRecord {
  id: number
  org: string
  slug: string
  members: string[]
}

/** Everything that survives a restart; plain JSON. */
export interface StateData {
  version: 1
  next_id: number
  /** Keyed by lower-cased login. */
  users: Record<string, UserRecord>
  /** Keyed by the token string. */
  tokens: Record<string, TokenRecord>
  /** Keyed by lower-cased `owner/repo`. */
  repos: Record<string, RepoRecord>
  /** Keyed by lower-cased `org/slug`. */
  teams: Record<string, TeamRecord>
  /** GitHub Apps, installations and installation tokens; absent until the first App. */
  apps?: AppsData
  /**
   * Renamed repositories: lower-cased old `owner/name` → the repository id, so the old name
   * keeps redirecting (301) after further renames (docs/github-behaviour.md §12.2).
   */
  redirects?: Record<string, number>
  /** Repository webhooks keyed by hook id; absent until the first one. */
  hooks?: Record<string, RepoHookRecord>
}

/**
 * A null-prototype copy of `record`. Logins, tokens, repository and team names are user data:
 * `constructor`, `toString` or `__proto__` must be looked up and stored like any other key,
 * which a plain object does not do (it finds, or sets, `Object.prototype`'s member).
 */
export function dictionary<T>(record: Readonly<Record<string, T>> = {}): Record<string, T> {
  const out = Object.create(null) as Record<string, T>
  for (const key of Object.keys(record)) out[key] = record[key] as T
  return out
}

/** A fresh, empty state. */
export function emptyState(): StateData {
  return {
    version: 1,
    next_id: 1,
    users: dictionary(),
    tokens: dictionary(),
    repos: dictionary(),
    teams: dictionary()
  }
}

/** Name of the state file inside `dataDir`. */
export const STATE_FILE = 'state.json'

/**
 * The state of one emulator instance plus its clock and its storage. With a `dataDir` the
 * state is loaded on construction and written (temp file + rename) by `save()`; without one
 * `save()` does nothing. Two instances never share anything.
 */
export class Store {
  data: StateData
  private readonly file: string | null

  constructor(
    readonly clock: Clock,
    dataDir?: string
  ) {
    this.file = dataDir ? join(dataDir, STATE_FILE) : null
    if (dataDir) mkdirSync(dataDir, { recursive: true })
    this.data = this.file && existsSync(this.file) ? loadState(this.file) : emptyState()
  }

  /** A new id, unique within this instance across all resources. */
  nextId(): number {
    return this.data.next_id++
  }

  /** Current emulated time as a GitHub timestamp (whole seconds). */
  timestamp(): string {
    return this.clock.timestamp()
  }

  /** Writes the state to `dataDir` (atomically); a no-op when in memory. */
  save(): void {
    if (!this.file) return
    const tmp = `${this.file}.${process.pid}.tmp`
    writeFileSync(tmp, JSON.stringify(this.data))
    renameSync(tmp, this.file)
  }

  /** Replaces everything with a fresh empty state (and saves it). */
  reset(): void {
    this.data = emptyState()
    this.save()
  }
}

function loadState(file: string): StateData {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as StateData
  if (parsed.version !== 1) throw new Error(`${file}: unsupported state version ${parsed.version}`)
  const apps = parsed.apps
  return {
    ...parsed,
    users: dictionary(parsed.users),
    tokens: dictionary(parsed.tokens),
    repos: dictionary(parsed.repos),
    teams: dictionary(parsed.teams),
    ...(parsed.redirects ? { redirects: dictionary(parsed.redirects) } : {}),
    ...(apps
      ? {
          apps: {
            ...apps,
            apps: dictionary(apps.apps),
            installations: dictionary(apps.installations),
            tokens: dictionary(apps.tokens)
          }
        }
      : {})
  }
}
