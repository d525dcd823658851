import { fields } from '../decode.js'
import { NotFound } from '../errors.js'
import { fullName, tokenPermission } from '../models/access.js'
import type { ReposModel } from '../models/repos.js'
import type { Caller } from '../models/users.js'
import { dictionary, type RepoRecord, type Store } from '../state.js'
import { HookEventsInvalid, HookUrlInvalid } from './errors.js'
import type { HookConfig, RepoHookRecord } from './records.js'

/** The events a new repository webhook gets when `events` is absent (GitHub's default). */
const DEFAULT_EVENTS = ['push']

/**
 * Repository webhooks (`repos/create-webhook`, `list-webhooks`, `get-webhook`,
 * `update-webhook`, `delete-webhook`; https://docs.github.com/rest/repos/webhooks): kept in
 * the state, managed by callers with admin access to the repository (anyone else: 404, as on
 * GitHub). `config.secret` is stored and never answered.
 */
export class RepoHooksModel {
  constructor(
    private readonly s: Store,
    private readonly repos: ReposModel
  ) {}

  private get hooks(): Record<string, RepoHookRecord> {
    return (this.s.data.hooks ??= dictionary())
  }

  /** The repository, when the caller has admin access to it; 404 otherwise. */
  adminRepo(caller: Caller | null, owner: string, name: string): RepoRecord {
    const repo = this.repos.access(caller, owner, name, 'read')
    if (tokenPermission(caller, repo) !== 'admin') throw new NotFound()
    return repo
  }

  /** Every hook of `repo`, oldest first (the delivery engine's lookup; no access check). */
  hooksOf(repo: RepoRecord): RepoHookRecord[] {
    return Object.values(this.hooks)
      .filter((h) => h.repository_id === repo.id)
      .sort((a, b) => a.id - b.id)
  }

  /** `repos/create-webhook`: `config.url` required (422), `events` default `["push"]`. */
  create(caller: Caller | null, owner: string, name: string, body: unknown) {
    const repo = this.adminRepo(caller, owner, name)
    const obj = fields(body)
    const config = decodeConfig(obj.config, null)
    const now = this.s.timestamp()
    const hook: RepoHookRecord = {
      id: this.s.nextId(),
      repo_key: fullName(repo).toLowerCase(),
      repository_id: repo.id,
      active: obj.active === undefined ? true : obj.active === true,
      events: decodeEvents(obj.events) ?? DEFAULT_EVENTS,
      config,
      created_at: now,
      updated_at: now
    }
    this.hooks[String(hook.id)] = hook
    return { repo, hook }
  }

  /** `repos/list-webhooks`. */
  list(caller: Caller | null, owner: string, name: string) {
    const repo = this.adminRepo(caller, owner, name)
    return { repo, hooks: this.hooksOf(repo) }
  }

  /** `repos/get-webhook`: 404 for a hook of another repository. */
  get(caller: Caller | null, owner: string, name: string, id: number) {
    const repo = this.adminRepo(caller, owner, name)
    const hook = this.hooks[String(id)]
    if (!hook || hook.repository_id !== repo.id) throw new NotFound()
    return { repo, hook }
  }

  /**
   * `repos/update-webhook`: `config` replaces the configuration (a missing `secret` keeps the
   * old one), `events` replaces, `add_events` / `remove_events` edit the list, `active`.
   */
  update(caller: Caller | null, owner: string, name: string, id: number, body: unknown) {
    const { repo, hook } = this.get(caller, owner, name, id)
    const obj = fields(body)
    if (obj.config !== undefined) hook.config = decodeConfig(obj.config, hook.config)
    const events = decodeEvents(obj.events)
    if (events) hook.events = events
    const add = decodeEvents(obj.add_events) ?? []
    const remove = decodeEvents(obj.remove_events) ?? []
    hook.events = [...new Set([...hook.events, ...add])].filter((e) => !remove.includes(e))
    if (obj.active !== undefined) hook.active = obj.active === true
    hook.updated_at = this.s.timestamp()
    return { repo, hook }
  }

  /** `repos/delete-webhook` (204). */
  delete(caller: Caller | null, owner: string, name: string, id: number): void {
    const { hook } = this.get(caller, owner, name, id)
    delete this.hooks[String(hook.id)]
  }
}

function decodeConfig(value: unknown, previous: HookConfig | null): HookConfig {
  const obj = value && typeof value === 'object' && !Array.isArray(value) ? fields(value) : {}
  const url = obj.url ?? previous?.url
  if (typeof url !== 'string' || !/^https?:\/\/[^/]/.test(url)) throw new HookUrlInvalid()
  const secret = typeof obj.secret === 'string' && obj.secret !== '' ? obj.secret : previous?.secret
  return {
    url,
    content_type: obj.content_type === 'json' ? 'json' : 'form',
    insecure_ssl: obj.insecure_ssl === '1' || obj.insecure_ssl === 1 ? '1' : '0',
    ...(secret === undefined ? {} : { secret })
  }
}

function decodeEvents(value: unknown): string[] | undefined {
  if (value === undefined) return undefined
  if (!Array.isArray(value) || value.some((e) => typeof e !== 'string' || e === ''))
    throw new HookEventsInvalid()
  return [...new Set(value as string[])]
}
