import { randomUUID } from 'node:crypto'
import type { Clock } from '../clock.js'
import type { DomainEvent } from '../events.js'
import type { GitStore } from '../git/store.js'
import type { AppRecord, InstallationRecord } from '../models/app-records.js'
import type { Models } from '../models/index.js'
import { sameName } from '../models/users.js'
import { nodeId } from '../shapes/common.js'
import { Shapes } from '../shapes/resources.js'
import type { RepoRecord, Store } from '../state.js'
import { DeliveryLog } from './deliveries.js'
import { DeliveryTooOldToRedeliver } from './errors.js'
import { DeliveryFaults } from './faults.js'
import { webhookEvent, type WebhookEvent } from './payloads.js'
import type { DeliveryRecord, DeliveryTarget, RepoHookRecord } from './records.js'
import { deliveryBody, deliveryHeaders, sendDelivery } from './send.js'
import { WebhookShapes } from './shapes.js'

/** Deliveries can be redelivered for 3 days (GitHub's window, by the emulator clock; §7.1). */
export const REDELIVERY_WINDOW_MS = 3 * 24 * 60 * 60 * 1000

/** Events an App gets whether or not it subscribed to them (GitHub's). */
const ALWAYS_FOR_APPS = new Set(['installation', 'installation_repositories', 'ping'])

/** GitHub's `zen` lines; a ping carries one. */
const ZEN = ['Keep it logically awesome.', 'Design for failure.', 'Practicality beats purity.']

/** What the engine needs of the emulator instance. */
export interface WebhookContext {
  store: Store
  models: Models
  git: GitStore
  clock: Clock
}

/**
 * The webhook delivery engine of one emulator instance: subscribes to the domain events,
 * builds GitHub's payload for each (`payloads.ts`) while the state is as the change left it,
 * and POSTs it, outside the request that caused it, to every repository webhook and App
 * webhook that wants it (`send.ts`), recording every attempt (`deliveries.ts`). `settle()`
 * waits for every queued delivery, so tests never sleep.
 */
export class WebhookEngine {
  readonly log = new DeliveryLog()
  readonly faults = new DeliveryFaults()
  /** The emulator's URL: payload URLs point there (set once the server listens). */
  origin = 'http://127.0.0.1'
  private readonly pending = new Set<Promise<unknown>>()
  /** The last event's send: events are sent in the order they happened. */
  private sending: Promise<unknown> = Promise.resolve()
  /** The last attempt queued per hook: one hook's deliveries go out one at a time, in order. */
  private readonly chains = new Map<string, Promise<unknown>>()
  private readonly abort = new AbortController()
  private readonly unsubscribe: () => void

  constructor(private readonly ctx: WebhookContext) {
    this.unsubscribe = ctx.models.events.subscribe((event) => this.onEvent(event))
  }

  /** Stops listening; attempts in flight are aborted. */
  close(): void {
    this.unsubscribe()
    this.abort.abort()
  }

  /** Forgets every delivery and fault (admin reset). */
  reset(): void {
    this.log.clear()
    this.faults.clear()
  }

  /**
   * Resolves once no delivery is queued or in flight (also those queued while waiting);
   * answers how many were waited for.
   */
  async settle(): Promise<number> {
    let count = 0
    while (this.pending.size > 0) {
      const batch = [...this.pending]
      count += batch.length
      await Promise.allSettled(batch)
      for (const p of batch) this.pending.delete(p)
    }
    return count
  }

  /** Sends a `ping` to a repository webhook (on creation and `POST …/pings`). */
  pingRepoHook(repo: RepoRecord, hook: RepoHookRecord): void {
    const shapes = this.shapes()
    const organization = shapes.organization(repo)
    const event: WebhookEvent = {
      event: 'ping',
      action: null,
      repo,
      installation: null,
      payload: {
        zen: ZEN[hook.id % ZEN.length],
        hook_id: hook.id,
        hook: shapes.hook(repo, hook),
        repository: shapes.repository(repo),
        sender: shapes.user(repo.owner),
        ...(organization ? { organization } : {})
      }
    }
    this.send(event, [this.repoTarget(repo, hook)])
  }

  /** Sends a `ping` to an App's webhook (on registration, when it has a webhook URL). */
  pingApp(app: AppRecord): void {
    const target = this.appTarget(app)
    if (!target) return
    const url = `${this.origin}/app/hook`
    const event: WebhookEvent = {
      event: 'ping',
      action: null,
      repo: null,
      installation: null,
      payload: {
        zen: ZEN[app.id % ZEN.length],
        hook_id: app.id,
        hook: {
          type: 'App',
          id: app.id,
          name: 'web',
          active: true,
          events: [...app.events],
          config: {
            content_type: 'json',
            insecure_ssl: '0',
            url: target.url,
            ...(target.secret ? { secret: '********' } : {})
          },
          updated_at: app.updated_at,
          created_at: app.created_at,
          app_id: app.id,
          url: `${url}/config`,
          ping_url: `${url}/pings`,
          deliveries_url: `${url}/deliveries`
        },
        sender: this.shapes().user(app.owner)
      }
    }
    this.send(event, [target])
  }

  /**
   * Sends the delivery `id` of a hook again: same GUID and payload, `redelivery: true`, a new
   * attempt record. Throws `NotFound`, or `DeliveryTooOldToRedeliver` past `REDELIVERY_WINDOW_MS`.
   */
  redeliver(type: 'App' | 'Repository', hookId: number, id: number): void {
    const original = this.log.get(type, hookId, id)
    const age = this.ctx.clock.now().getTime() - Date.parse(original.delivered_at)
    if (age > REDELIVERY_WINDOW_MS) throw new DeliveryTooOldToRedeliver()
    this.track(
      this.inOrder(original.target, {
        guid: original.guid,
        event: original.event,
        action: original.action,
        payload: original.request.payload,
        redelivery: true,
        installationId: original.installation_id,
        repositoryId: original.repository_id
      })
    )
  }

  private shapes(): WebhookShapes {
    const { store, models } = this.ctx
    return new WebhookShapes(store, new Shapes(store, this.origin), models.apps)
  }

  private onEvent(event: DomainEvent): void {
    const targets = this.targetsFor(event)
    if (targets.length === 0) return
    try {
      // Payloads build concurrently (a push reads git) but are sent in the order of the events.
      const built = Promise.resolve(webhookEvent(event, this.ctx, this.shapes()))
      const sent = this.sending
        .then(() => built)
        .then((e) => e && this.send(e, targets))
        .catch(report)
      this.sending = sent
      this.track(sent)
    } catch (error) {
      report(error)
    }
  }

  /**
   * Who wants `event`: its repository's active webhooks and the Apps installed there; for a
   * deleted repository, the Apps whose installation covered it (by the `snapshot`'s id).
   */
  private targetsFor(
    event: DomainEvent
  ): Array<{ target: DeliveryTarget; installation: InstallationRecord | null }> {
    const data = this.ctx.store.data
    const out: Array<{ target: DeliveryTarget; installation: InstallationRecord | null }> = []
    const installations = Object.values(data.apps?.installations ?? {})
    const apps = this.ctx.models.apps
    if (event.name === 'installation' || event.name === 'installation_repositories') {
      const installation =
        (event.name === 'installation' ? event.record : undefined) ??
        data.apps?.installations[String(event.installationId)]
      if (!installation) return out
      const target = this.appTarget(apps.appOf(installation))
      if (target) out.push({ target, installation })
      return out
    }
    if (event.name === 'repository' && event.action === 'deleted') {
      // Its own webhooks went with it (as on GitHub); the Apps installed on it still hear of it.
      const id = Number(event.snapshot?.id)
      const owner = event.repo.split('/')[0]
      for (const installation of installations) {
        const app = apps.appOf(installation)
        if (!app.events.includes('repository') || !sameName(installation.account, owner)) continue
        if (
          installation.repository_selection !== 'all' &&
          !installation.repository_ids.includes(id)
        )
          continue
        const target = this.appTarget(app)
        if (target) out.push({ target, installation })
      }
      return out
    }
    const repo = data.repos[event.repo.toLowerCase()]
    if (!repo) return out
    for (const hook of this.ctx.models.repoHooks.hooksOf(repo))
      if (hook.active && (hook.events.includes(event.name) || hook.events.includes('*')))
        out.push({ target: this.repoTarget(repo, hook), installation: null })
    for (const installation of installations) {
      const app = apps.appOf(installation)
      if (!app.webhook_url) continue
      if (!ALWAYS_FOR_APPS.has(event.name) && !app.events.includes(event.name)) continue
      if (!apps.repositoriesOf(installation).some((r) => r.id === repo.id)) continue
      const target = this.appTarget(app)
      if (target) out.push({ target, installation })
    }
    return out
  }

  private appTarget(app: AppRecord): DeliveryTarget | null {
    if (!app.webhook_url) return null
    return {
      type: 'App',
      hookId: app.id,
      targetType: 'integration',
      targetId: app.id,
      url: app.webhook_url,
      secret: app.webhook_secret,
      contentType: 'json'
    }
  }

  private repoTarget(repo: RepoRecord, hook: RepoHookRecord): DeliveryTarget {
    return {
      type: 'Repository',
      hookId: hook.id,
      targetType: 'repository',
      targetId: repo.id,
      url: hook.config.url,
      secret: hook.config.secret ?? null,
      contentType: hook.config.content_type
    }
  }

  private send(
    event: WebhookEvent,
    targets: Array<
      DeliveryTarget | { target: DeliveryTarget; installation: InstallationRecord | null }
    >
  ): void {
    for (const entry of targets) {
      const { target, installation } =
        'target' in entry ? entry : { target: entry, installation: null }
      const forApp = target.type === 'App' && installation !== null
      const payload =
        forApp && !('installation' in event.payload)
          ? {
              ...event.payload,
              installation: {
                id: installation.id,
                node_id: nodeId('Installation', installation.id)
              }
            }
          : event.payload
      this.track(
        this.inOrder(target, {
          guid: randomUUID(),
          event: event.event,
          action: event.action,
          payload,
          redelivery: false,
          installationId: installation?.id ?? event.installation?.id ?? null,
          repositoryId: event.repo?.id ?? event.deletedRepositoryId ?? null
        })
      )
    }
  }

  /**
   * Counts `work` as a queued delivery until it settles (a git push holds itself open until
   * its push events are emitted); answers `work`.
   */
  hold<T>(work: Promise<T>): Promise<T> {
    this.track(work)
    return work
  }

  private track(work: Promise<unknown>): void {
    const p = work.catch(report)
    this.pending.add(p)
    void p.finally(() => this.pending.delete(p))
  }

  /** `attempt`, after every attempt queued earlier for the same hook. */
  private inOrder(
    target: DeliveryTarget,
    d: Parameters<WebhookEngine['attempt']>[1]
  ): Promise<void> {
    const key = `${target.type}:${target.hookId}`
    const previous = this.chains.get(key) ?? Promise.resolve()
    const next = previous.catch(() => undefined).then(() => this.attempt(target, d))
    this.chains.set(key, next)
    void next
      .finally(() => {
        if (this.chains.get(key) === next) this.chains.delete(key)
      })
      .catch(() => undefined)
    return next
  }

  /** One attempt, started on a later turn of the event loop (never inside the request). */
  private async attempt(
    target: DeliveryTarget,
    d: {
      guid: string
      event: string
      action: string | null
      payload: Record<string, unknown>
      redelivery: boolean
      installationId: number | null
      repositoryId: number | null
    }
  ): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve))
    const json = JSON.stringify(d.payload)
    const body = deliveryBody(target, json)
    const headers = deliveryHeaders(target, d.event, d.guid, body)
    const record: DeliveryRecord = {
      id: this.log.newId(),
      guid: d.guid,
      delivered_at: this.ctx.clock.timestamp(),
      redelivery: d.redelivery,
      duration: 0,
      status: 'pending',
      status_code: 0,
      event: d.event,
      action: d.action,
      installation_id: d.installationId,
      repository_id: d.repositoryId,
      url: target.url,
      target,
      request: { headers, payload: d.payload },
      response: { headers: {}, payload: null },
      done: false
    }
    this.log.add(record)
    const fault = this.faults.take(d.event)
    const result = await sendDelivery(target.url, headers, body, fault, this.abort.signal)
    record.status = result.status
    record.status_code = result.status_code
    record.duration = result.duration
    record.response = { headers: result.headers, payload: result.payload }
    record.done = true
  }
}

function report(error: unknown): void {
  console.error('[hubstore emulator] webhook delivery:', error)
}
