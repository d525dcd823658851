import type { Clock } from './clock.js'
import type { Faults } from './faults.js'
import type { GitStore } from './git/store.js'
import type { LfsAccounting } from './git-http/lfs-accounting.js'
import type { Ledger } from './ledger.js'
import type { Models } from './models/index.js'
import type { RateLimiter } from './rate-limit.js'
import type { Store } from './state.js'
import type { WebhookEngine } from './webhooks/engine.js'

/** Everything one running emulator owns; nothing of it is module-level. */
export interface EmulatorContext {
  clock: Clock
  store: Store
  models: Models
  ledger: Ledger
  rate: RateLimiter
  /** Injected faults and latency (admin API `/_emulator/faults`, `/_emulator/latency`). */
  faults: Faults
  /** Repository content as real git (bare repositories, refs, the per-repository lock). */
  git: GitStore
  /** Git LFS accounting and quotas per repository (admin API `/_emulator/repos/…/lfs`). */
  lfs: LfsAccounting
  /** Webhook deliveries (`src/webhooks/`): repository and App webhooks, the delivery log. */
  webhooks: WebhookEngine
  /**
   * Aborted by `close()`: an injected delay still running then ends at once, and a request
   * still in a handler is dropped without a log line (its store is gone).
   */
  lifetime: AbortSignal
}
