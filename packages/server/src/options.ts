import { hostname } from 'node:os'
import { InvalidOptionsError } from '@hubstore/core'
import { Cron } from 'croner'
import type { ActivityService } from './service.js'

/**
 * Options of {@link startServer}. Every field but `service` is optional; the defaults are
 * {@link SERVER_DEFAULTS} and the environment variables named on each field (the seed's names,
 * packages/server/README.md "Configuration").
 */
export interface ServerOptions {
  /** The activity store the server works on (database and GitHub clients bound). */
  service: ActivityService
  /** TCP port; 0 picks a free one. Default 0. */
  port?: number
  /** Interface to bind. Default `127.0.0.1` (loopback only; put a proxy in front for GitHub). */
  host?: string
  /** Webhook secret. Default `$GITHUB_WEBHOOK_SECRET`; required. */
  webhookSecret?: string
  /** Admin bearer token. Default `$HUBSTORE_ADMIN_TOKEN`, else one generated at first start. */
  adminToken?: string
  /**
   * Where the SHA-256 of a generated admin token is kept (mode 0600), so a restart keeps it.
   * Required when no admin token is given.
   */
  adminTokenFile?: string
  /** Largest webhook body accepted, bytes; bigger → 413, nothing stored. Default 25 MiB. */
  maxPayloadBytes?: number
  /** Cron expression (croner syntax, UTC) of the periodic sweep; `false` turns it off. */
  sweepCron?: string | false
  /** Cron expression of the redelivery of failed deliveries; runs only when the service can redeliver. */
  redeliveryCron?: string | false
  /** A repository synced within this many ms is skipped by the sweep. Default 10 minutes. */
  minIntervalMs?: number
  /** Inbox workers in this process. Default 2. */
  workers?: number
  /** How long a scheduler lock is held at most, ms, should its holder die. Default 30 minutes. */
  lockTtlMs?: number
  /** This process's name in locks and worker ids. Default `<host>:<pid>`. */
  runnerId?: string
  /** The clock. Default `() => new Date()`. */
  now?: () => Date
  /** Where the server's own lines go (the listening line, a generated token). Default stdout. */
  log?: (line: string) => void
}

/** The defaults of {@link ServerOptions}, one literal. */
export const SERVER_DEFAULTS = {
  port: 0,
  host: '127.0.0.1',
  // GitHub caps webhook payloads at 25 MB (docs/github-behaviour.md §7).
  maxPayloadBytes: 25 * 1024 * 1024,
  // The seed's cron runs every 15–30 minutes and skips repositories synced in the last
  // 10 (docs/sync-server.md §2).
  sweepCron: '*/15 * * * *',
  // Failed deliveries can be redelivered for 3 days (docs/github-behaviour.md §7.1); four
  // attempts a day leave room for an outage.
  redeliveryCron: '0 */6 * * *',
  minIntervalMs: 10 * 60_000,
  workers: 2,
  lockTtlMs: 30 * 60_000
} as const

/** {@link ServerOptions} with every default applied and the environment read. */
export interface ServerState {
  service: ActivityService
  port: number
  host: string
  webhookSecret: string
  adminToken: string | undefined
  adminTokenFile: string | undefined
  maxPayloadBytes: number
  sweepCron: string | false
  redeliveryCron: string | false
  minIntervalMs: number
  workers: number
  lockTtlMs: number
  runnerId: string
  now: () => Date
  log: (line: string) => void
}

/**
 * Applies {@link SERVER_DEFAULTS} and the environment to `options`.
 * @throws {InvalidOptionsError} no webhook secret; no admin token and no file to keep one;
 * a count or duration that is not a positive whole number; a schedule croner cannot parse.
 */
export function resolveServerOptions(
  options: ServerOptions,
  env: NodeJS.ProcessEnv = process.env
): ServerState {
  const webhookSecret = options.webhookSecret ?? env.GITHUB_WEBHOOK_SECRET
  if (!webhookSecret)
    throw new InvalidOptionsError(
      'webhookSecret',
      'the webhook secret set on the GitHub App (set GITHUB_WEBHOOK_SECRET)',
      webhookSecret
    )
  const adminToken = options.adminToken ?? (env.HUBSTORE_ADMIN_TOKEN || undefined)
  if (adminToken === undefined && options.adminTokenFile === undefined)
    throw new InvalidOptionsError(
      'adminTokenFile',
      'a file to keep the generated admin token in, or set HUBSTORE_ADMIN_TOKEN',
      undefined
    )
  const state: ServerState = {
    service: options.service,
    port: options.port ?? SERVER_DEFAULTS.port,
    host: options.host ?? SERVER_DEFAULTS.host,
    webhookSecret,
    adminToken,
    adminTokenFile: options.adminTokenFile,
    maxPayloadBytes: options.maxPayloadBytes ?? SERVER_DEFAULTS.maxPayloadBytes,
    sweepCron: options.sweepCron ?? SERVER_DEFAULTS.sweepCron,
    redeliveryCron: options.redeliveryCron ?? SERVER_DEFAULTS.redeliveryCron,
    minIntervalMs: options.minIntervalMs ?? SERVER_DEFAULTS.minIntervalMs,
    workers: options.workers ?? SERVER_DEFAULTS.workers,
    lockTtlMs: options.lockTtlMs ?? SERVER_DEFAULTS.lockTtlMs,
    runnerId: options.runnerId ?? `${hostname()}:${process.pid}`,
    now: options.now ?? (() => new Date()),
    log: options.log ?? ((line) => void process.stdout.write(`${line}\n`))
  }
  for (const key of ['maxPayloadBytes', 'minIntervalMs', 'lockTtlMs'] as const)
    if (!Number.isSafeInteger(state[key]) || state[key] <= 0)
      throw new InvalidOptionsError(key, 'a positive whole number', state[key])
  if (!Number.isSafeInteger(state.workers) || state.workers < 0)
    throw new InvalidOptionsError('workers', 'a whole number ≥ 0', state.workers)
  for (const key of ['sweepCron', 'redeliveryCron'] as const) {
    const pattern = state[key]
    if (pattern === false) continue
    try {
      new Cron(pattern, { paused: true, timezone: 'UTC' }).stop()
    } catch {
      throw new InvalidOptionsError(
        key,
        'a cron expression such as "*/15 * * * *" (minute hour day month weekday, UTC)',
        pattern
      )
    }
  }
  return state
}
