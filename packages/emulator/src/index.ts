/**
 * `@hubstore/emulator`: a local GitHub REST API on 127.0.0.1 for tests, the demo and users.
 * See README.md for what it serves and the admin API.
 */
export { startEmulator, type Emulator, type EmulatorOptions } from './server.js'
export type { Exchange } from './exchange.js'
export type { HookAction, HookedRequest, RequestHook, RequestMatch } from './hooks.js'
export { EmulatorAdminClient, EmulatorAdminError } from './admin/client.js'
export type { LedgerEntry } from './ledger.js'
export type { LfsQuotaInput, LfsUsage } from './git-http/lfs-accounting.js'
export type { FaultInput, FaultPhase, FaultRule, LatencyInput, LatencyRule } from './faults.js'
export type {
  BudgetInput,
  RateStatus,
  SecondaryLimitInput,
  SecondaryLimitRule
} from './rate-limit.js'
export { LIMITS } from './limits.js'
export { gitBlobSha } from './models/contents.js'
export type { Permission, PermissionLevel, ReactionContent } from './state.js'
export type { DomainEvent, DomainEventListener, DomainEvents } from './events.js'
